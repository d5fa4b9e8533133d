package certs_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/certs"
)

// TestVerificationFromMemory: once a certificate has been verified, the
// answers by id, by code, by token and in a batch read nothing of the
// certificates table; a revocation shows at once, and so does expiry,
// which no change announces: it is computed from the kept expiry at every
// answer. An unknown id is never remembered as unknown.
func TestVerificationFromMemory(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		_, c := f.holder(t)
		employer := f.e.UserWithRole("employer")
		status := map[string]func() string{
			"by id":    func() string { return verifyIDStatus(t, f, c.ID) },
			"by code":  func() string { return verifyIDStatus(t, f, c.Code) },
			"by token": func() string { return f.verifyToken(t, c.Token).Status },
			"batch": func() string {
				var out struct{ Results []struct{ Status string } }
				f.e.Call("POST", api+"/verify/batch", employer.Token, map[string]any{"ids": []string{c.ID, c.Code}}).JSON(t, &out)
				if len(out.Results) != 2 || out.Results[0].Status != out.Results[1].Status {
					t.Fatalf("batch: %+v", out)
				}
				return out.Results[0].Status
			},
		}
		for name, st := range status {
			if got := st(); got != "active" {
				t.Fatalf("%s: %s", name, got)
			}
		}
		n := countQueries(t, db)
		for name, st := range status {
			if got := st(); got != "active" {
				t.Fatalf("%s again: %s", name, got)
			}
		}
		if got := n.Load(); got != 0 {
			t.Fatalf("verifying a known certificate again read the certificates table %d times", got)
		}

		// Unknown, then issued: the later certificate is found.
		other := f.e.Learner()
		f.e.Scenarios(t, []apptest.Scenario{{Name: "verify an id not issued yet", Method: "GET", Path: api + "/verify/00000000-0000-0000-0000-000000000000",
			Status: 404, Problem: "not-found"}})
		c2 := f.cert(t, f.earn(t, other), other.Token)
		if got := verifyIDStatus(t, f, c2.ID); got != "active" {
			t.Fatalf("a certificate issued after its id was asked for: %s", got)
		}

		// Expiry: nothing is announced, every answer says expired (the
		// employer signs in again: access tokens expire too).
		past := c.ExpiresAt.Sub(f.e.Clock.Now()) + time.Hour
		f.e.Clock.Advance(past)
		employer = f.e.UserWithRole("employer")
		for name, st := range status {
			if got := st(); got != "expired" {
				t.Fatalf("%s after expiry: %s", name, got)
			}
		}
		f.e.Clock.Advance(-past)
		employer = f.e.UserWithRole("employer")

		// Revocation: announced, every answer says revoked at once.
		admin := f.e.UserWithRole("admin")
		if r := f.e.Call("POST", api+"/certificates/"+c.ID+"/revoke", admin.Token, map[string]any{"reason": "issued in error"}); r.Status != 200 {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		for name, st := range status {
			if got := st(); got != "revoked" {
				t.Fatalf("%s after revocation: %s", name, got)
			}
		}
	})
}

// TestJWKSKeepsARetiredKeyUntilItsLastCertificateExpires: after a
// rotation the old key stays published while a certificate it signed is
// valid, without the JWKS reading the certificates table per request,
// and leaves the set once that certificate expires.
func TestJWKSKeepsARetiredKeyUntilItsLastCertificateExpires(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		_, c := f.holder(t)
		old := f.e.Certs.SigningKey(apptest.Context(t))
		if _, err := f.e.Certs.RotateKey(apptest.Context(t)); err != nil {
			t.Fatal(err)
		}
		kids := func() string {
			var set certs.JWKS
			f.e.Call("GET", "/.well-known/jwks.json", "", nil).JSON(t, &set)
			var out []string
			for _, k := range set.Keys {
				out = append(out, k.Kid)
			}
			return strings.Join(out, " ")
		}
		if got := kids(); !strings.Contains(got, old.Kid()) || strings.Count(got, " ") != 2 {
			t.Fatalf("after rotation: %s", got)
		}
		n := countQueries(t, db)
		f.e.Clock.Advance(c.ExpiresAt.Sub(f.e.Clock.Now()) - time.Hour)
		for i := 0; i < 20; i++ {
			if got := kids(); !strings.Contains(got, old.Kid()) {
				t.Fatalf("the old key left before its certificate expired: %s", got)
			}
		}
		if got := n.Load(); got != 0 {
			t.Fatalf("20 JWKS requests read the certificates table %d times", got)
		}
		f.e.Clock.Advance(2 * time.Hour)
		if got := kids(); strings.Contains(got, old.Kid()) || strings.Count(got, " ") != 1 {
			t.Fatalf("the old key is still published after its last certificate expired: %s", got)
		}
	})
}

func verifyIDStatus(t *testing.T, f *fixture, idOrCode string) string {
	t.Helper()
	var v verifyJSON
	f.e.Call("GET", api+"/verify/"+idOrCode, "", nil).JSON(t, &v)
	return v.Status
}
