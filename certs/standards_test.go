package certs_test

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
	"skillgate/certs"
)

func header(t *testing.T, token string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestKidIsAURIThatLeadsToTheKey: Open Badges 3.0 wants a kid that
// dereferences to the key. The JWS header's kid is the JWKS URL with the
// RFC 7638 thumbprint as fragment, the JWKS names the key with the same
// string, and an independent JOSE library finds the key by it. Tokens
// signed before, with the bare thumbprint, keep verifying.
func TestKidIsAURIThatLeadsToTheKey(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		_, c := f.holder(t)
		kid, _ := header(t, c.Token)["kid"].(string)
		const prefix = "http://skillgate.test/.well-known/jwks.json#"
		if !strings.HasPrefix(kid, prefix) {
			t.Fatalf("kid %q is not the JWKS URL with a fragment", kid)
		}
		res := f.e.Call("GET", "/.well-known/jwks.json", "", nil)
		set, err := jwk.Parse(res.Body)
		if err != nil {
			t.Fatalf("jwx cannot read the JWKS: %v", err)
		}
		key, ok := set.LookupKeyID(kid)
		if !ok {
			t.Fatalf("no key with kid %q in %s", kid, res.Body)
		}
		tp, err := key.Thumbprint(crypto.SHA256)
		if err != nil || base64.RawURLEncoding.EncodeToString(tp) != strings.TrimPrefix(kid, prefix) {
			t.Fatalf("the fragment is not the key's RFC 7638 thumbprint: %v", err)
		}
		if _, err := jws.Verify([]byte(c.Token), jws.WithKeySet(set, jws.WithRequireKid(true))); err != nil {
			t.Fatalf("jwx rejects the token: %v", err)
		}
		// The status list is signed the same way.
		listURL := payloadOf(t, c.Token)["credentialStatus"].(map[string]any)["statusListCredential"].(string)
		list := f.e.Call("GET", strings.TrimPrefix(listURL, "http://skillgate.test"), "", nil)
		if h := header(t, string(list.Body)); h["kid"] != kid {
			t.Fatalf("status list kid %v", h["kid"])
		}
		if _, err := jws.Verify(list.Body, jws.WithKeySet(set, jws.WithRequireKid(true))); err != nil {
			t.Fatalf("jwx rejects the status list: %v", err)
		}
		// A token signed before v1.1 (bare thumbprint as kid) still verifies,
		// online and offline; a kid naming another host's JWKS does not.
		k := f.e.Certs.SigningKey(apptest.Context(t))
		bare := k
		bare.URI = ""
		old, err := certs.Sign(jwt.MapClaims(payloadOf(t, c.Token)), bare)
		if err != nil {
			t.Fatal(err)
		}
		if h := header(t, old); h["kid"] != k.ID {
			t.Fatalf("old-style kid %v", h["kid"])
		}
		if v := f.verifyToken(t, old); !v.Valid {
			t.Fatalf("bare-kid token: %+v", v)
		}
		if r := certs.VerifyOffline(old, res.Body, nil, f.e.Clock.Now()); !r.Valid {
			t.Fatalf("bare-kid token offline: %+v", r)
		}
		if r := certs.VerifyOffline(c.Token, res.Body, nil, f.e.Clock.Now()); !r.Valid {
			t.Fatalf("URI-kid token offline: %+v", r)
		}
		elsewhere := k
		elsewhere.URI = "https://evil.example/.well-known/jwks.json#" + k.ID
		forged, _ := certs.Sign(jwt.MapClaims(payloadOf(t, c.Token)), elsewhere)
		if v := f.verifyToken(t, forged); v.Valid || v.Reason == nil || *v.Reason != "unknown_key" {
			t.Fatalf("a kid of another host: %+v", v)
		}
	})
}

func payloadOf(t *testing.T, token string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// countQueries counts the statements that read the certificates table.
func countQueries(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	name := "count_certificates_" + strings.ReplaceAll(t.Name(), "/", "_")
	err := db.Callback().Query().After("gorm:query").Register(name, func(tx *gorm.DB) {
		if strings.Contains(tx.Statement.SQL.String(), "certificates") {
			n.Add(1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return &n
}

// TestJWKSIsCached: the public JWKS no longer scans the certificates
// table on every request, and a rotation shows at once.
func TestJWKSIsCached(t *testing.T) {
	db := apptest.NewDB(t, apptest.Dialects(t)[0])
	f := newFixture(t, db)
	learner := f.e.Learner()
	f.earn(t, learner)
	n := countQueries(t, db)
	first := f.e.Call("GET", "/.well-known/jwks.json", "", nil)
	for i := 0; i < 50; i++ {
		if r := f.e.Call("GET", "/.well-known/jwks.json", "", nil); r.Status != 200 || string(r.Body) != string(first.Body) {
			t.Fatalf("jwks: %d %s", r.Status, r.Body)
		}
	}
	if got := n.Load(); got > 1 {
		t.Fatalf("51 JWKS requests read the certificates table %d times", got)
	}
	k, err := f.e.Certs.RotateKey(apptest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	var set certs.JWKS
	f.e.Call("GET", "/.well-known/jwks.json", "", nil).JSON(t, &set)
	published := false
	for _, jk := range set.Keys {
		published = published || jk.Kid == k.Kid()
	}
	if len(set.Keys) != 3 || !published { // two Ed25519 keys and the P-256 one
		t.Fatalf("rotated key not published at once: %+v", set)
	}
}

// TestStatusListSignedOncePerChange: the same list is served with the
// same bytes until a revocation changes it, with Last-Modified in GMT and
// a strong ETag, and 304 to a client that holds it.
func TestStatusListSignedOncePerChange(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		_, c := f.holder(t)
		path := strings.TrimPrefix(payloadOf(t, c.Token)["credentialStatus"].(map[string]any)["statusListCredential"].(string), "http://skillgate.test")
		get := func(h map[string]string) apptest.Response {
			return f.e.Do(apptest.Request{Method: "GET", Path: path, Headers: h})
		}
		first := get(nil)
		lm, etag := first.Header.Get("Last-Modified"), first.Header.Get("ETag")
		if first.Status != 200 || !strings.HasSuffix(lm, " GMT") || !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
			t.Fatalf("first: %d Last-Modified %q ETag %q", first.Status, lm, etag)
		}
		if _, err := http.ParseTime(lm); err != nil {
			t.Fatalf("Last-Modified %q: %v", lm, err)
		}
		f.e.Clock.Advance(time.Minute)
		again := get(nil)
		if string(again.Body) != string(first.Body) || again.Header.Get("ETag") != etag || again.Header.Get("Last-Modified") != lm {
			t.Fatal("the unchanged list was signed again")
		}
		if r := get(map[string]string{"If-None-Match": etag}); r.Status != 304 || len(r.Body) != 0 {
			t.Fatalf("If-None-Match: %d", r.Status)
		}
		if r := get(map[string]string{"If-Modified-Since": lm}); r.Status != 304 {
			t.Fatalf("If-Modified-Since: %d", r.Status)
		}
		if r := get(map[string]string{"If-None-Match": `"other"`, "If-Modified-Since": lm}); r.Status != 200 {
			t.Fatalf("a different ETag wins over the date: %d", r.Status)
		}
		js := get(map[string]string{"Accept": "application/json"})
		if js.Status != 200 || js.Header.Get("ETag") == etag {
			t.Fatalf("JSON form: %d ETag %q", js.Status, js.Header.Get("ETag"))
		}
		// A revocation changes the list: signed again, new ETag, and the
		// old ETag no longer matches.
		admin := f.e.UserWithRole(web.RoleAdmin)
		f.e.Clock.Advance(time.Minute)
		if r := f.e.Call("POST", api+"/certificates/"+c.ID+"/revoke", admin.Token, map[string]any{"reason": "test"}); r.Status != 200 {
			t.Fatalf("revoke: %d", r.Status)
		}
		after := get(map[string]string{"If-None-Match": etag})
		if after.Status != 200 || after.Header.Get("ETag") == etag || string(after.Body) == string(first.Body) {
			t.Fatalf("after revocation: %d %q", after.Status, after.Header.Get("ETag"))
		}
		jwks := f.e.Call("GET", "/.well-known/jwks.json", "", nil).Body
		if r := certs.VerifyOffline(c.Token, jwks, after.Body, f.e.Clock.Now()); r.Reason != certs.ReasonRevoked {
			t.Fatalf("the new list does not say revoked: %+v", r)
		}
		// Before half its ttl the list is signed anew, so that no verifier
		// holds an expired one.
		f.e.Clock.Advance(certs.StatusListTTL/2 + time.Minute)
		if r := get(nil); r.Header.Get("ETag") == after.Header.Get("ETag") {
			t.Fatal("a list past half its ttl was not signed again")
		}
	})
}

// TestCodesWithSpaces: a code read out and typed with spaces verifies
// like one with dashes (issue #15).
func TestCodesWithSpaces(t *testing.T) {
	f := newFixture(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	_, c := f.holder(t)
	spaced := strings.ToLower(strings.ReplaceAll(c.Code, "-", " "))
	for _, path := range []string{api + "/verify/" + strings.ReplaceAll(spaced, " ", "%20"), "/verify/" + strings.ReplaceAll(spaced, " ", "%20")} {
		if r := f.e.Call("GET", path, "", nil); r.Status != 200 || !strings.Contains(string(r.Body), c.Code) || !(strings.Contains(string(r.Body), `"valid":true`) || strings.Contains(string(r.Body), ">VALID<")) {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	emp := f.e.UserWithRole(web.RoleEmployer)
	r := f.e.Call("POST", api+"/verify/batch", emp.Token, map[string]any{"ids": []string{spaced, "  " + strings.ReplaceAll(c.Code, "-", "  ") + " "}})
	var out struct{ Results []verifyJSON }
	r.JSON(t, &out)
	if len(out.Results) != 2 || !out.Results[0].Valid || !out.Results[1].Valid {
		t.Fatalf("batch with spaced codes: %s", r.Body)
	}
}

// TestES256TokenForVerifiersWithoutEd25519: next to the contract's EdDSA
// token, a certificate carries the same credential signed with ES256; an
// independent JOSE library verifies it with the served JWKS (kid a URI to
// a P-256 key), the service and the offline check accept it, and an
// algorithm that is not its key's own is refused.
func TestES256TokenForVerifiersWithoutEd25519(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		learner := f.e.Learner()
		id := f.earn(t, learner)
		var c struct {
			Token      string `json:"token"`
			TokenES256 string `json:"token_es256"`
		}
		f.e.Call("GET", api+"/certificates/"+id, learner.Token, nil).JSON(t, &c)
		if c.TokenES256 == "" {
			t.Fatal("no token_es256")
		}
		h := header(t, c.TokenES256)
		kid, _ := h["kid"].(string)
		if len(h) != 2 || h["alg"] != "ES256" || !strings.HasPrefix(kid, "http://skillgate.test/.well-known/jwks.json#") {
			t.Fatalf("ES256 header %v", h)
		}
		jwksBody := f.e.Call("GET", "/.well-known/jwks.json", "", nil).Body
		set, err := jwk.Parse(jwksBody)
		if err != nil {
			t.Fatal(err)
		}
		key, ok := set.LookupKeyID(kid)
		if !ok {
			t.Fatalf("no key %s in %s", kid, jwksBody)
		}
		if tp, err := key.Thumbprint(crypto.SHA256); err != nil || !strings.HasSuffix(kid, "#"+base64.RawURLEncoding.EncodeToString(tp)) {
			t.Fatalf("ES256 kid fragment is not the thumbprint: %v", err)
		}
		payload, err := jws.Verify([]byte(c.TokenES256), jws.WithKeySet(set, jws.WithRequireKid(true)))
		if err != nil {
			t.Fatalf("jwx rejects the ES256 token: %v", err)
		}
		var got, want map[string]any
		json.Unmarshal(payload, &got)
		want = payloadOf(t, c.Token)
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Fatalf("the ES256 credential differs:\n%s\n%s", gb, wb)
		}
		if v := f.verifyToken(t, c.TokenES256); !v.Valid {
			t.Fatalf("service: %+v", v)
		}
		if r := certs.VerifyOffline(c.TokenES256, jwksBody, nil, f.e.Clock.Now()); !r.Valid {
			t.Fatalf("offline: %+v", r)
		}
		parts := strings.Split(c.TokenES256, ".")
		edParts := strings.Split(c.Token, ".")
		enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
		edKid := header(t, c.Token)["kid"]
		changed := payloadOf(t, c.Token)
		changed["credentialSubject"].(map[string]any)["name"] = "Someone Else"
		for name, tc := range map[string]struct{ token, reason string }{
			"tampered ES256":             {parts[0] + "." + enc(changed) + "." + parts[2], "bad_signature"},
			"ES256 naming the EdDSA key": {enc(map[string]any{"alg": "ES256", "kid": edKid}) + "." + parts[1] + "." + parts[2], "bad_signature"},
			"EdDSA naming the P-256 key": {enc(map[string]any{"alg": "EdDSA", "kid": kid}) + "." + edParts[1] + "." + edParts[2], "bad_signature"},
			"ES384":                      {enc(map[string]any{"alg": "ES384", "kid": kid}) + "." + parts[1] + "." + parts[2], "bad_signature"},
		} {
			if v := f.verifyToken(t, tc.token); v.Valid || v.Reason == nil || *v.Reason != tc.reason {
				t.Errorf("%s: %+v", name, v)
			}
		}
		admin := f.e.UserWithRole(web.RoleAdmin)
		f.e.Call("POST", api+"/certificates/"+id+"/revoke", admin.Token, map[string]any{"reason": "test"})
		if v := f.verifyToken(t, c.TokenES256); v.Valid || v.Status != "revoked" {
			t.Fatalf("revoked ES256: %+v", v)
		}
	})
}

// TestErasureReachesTheStatusList: a learner who deletes their account has
// their certificates revoked outside Revoke; the signed status list must
// change too, not keep serving the list signed before.
func TestErasureReachesTheStatusList(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		learner, c := f.holder(t)
		path := strings.TrimPrefix(payloadOf(t, c.Token)["credentialStatus"].(map[string]any)["statusListCredential"].(string), "http://skillgate.test")
		before := f.e.Call("GET", path, "", nil)
		jwks := f.e.Call("GET", "/.well-known/jwks.json", "", nil).Body
		if r := certs.VerifyOffline(c.Token, jwks, before.Body, f.e.Clock.Now()); !r.Valid {
			t.Fatalf("before: %+v", r)
		}
		if r := f.e.Call("DELETE", api+"/me", learner.Token, nil); r.Status != 204 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		after := f.e.Do(apptest.Request{Method: "GET", Path: path, Headers: map[string]string{"If-None-Match": before.Header.Get("ETag")}})
		if after.Status != 200 {
			t.Fatalf("the list did not change after erasure: %d", after.Status)
		}
		if r := certs.VerifyOffline(c.Token, jwks, after.Body, f.e.Clock.Now()); r.Reason != certs.ReasonRevoked {
			t.Fatalf("after erasure: %+v", r)
		}
	})
}
