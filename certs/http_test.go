package certs_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
	"skillgate/certs"
)

const api = "/api/v1"

type fixture struct {
	*apptest.CertificateCourse
	e *apptest.Env
}

func newFixture(t *testing.T, db *gorm.DB, opt ...apptest.Options) *fixture {
	t.Helper()
	e := apptest.New(t, db, opt...)
	return &fixture{CertificateCourse: e.NewCertificateCourse(), e: e}
}

func (f *fixture) earn(t *testing.T, learner apptest.User) string { return f.Earn(learner) }

// holder is a new learner who has earned the course's certificate, with
// the certificate as they see it.
func (f *fixture) holder(t *testing.T) (apptest.User, certJSON) {
	t.Helper()
	learner := f.e.Learner()
	return learner, f.cert(t, f.earn(t, learner), learner.Token)
}

type certJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Status    string `json:"status"`
	Token     string `json:"token"`
	VerifyURL string `json:"verify_url"`
	Holder    struct{ ID, Name string }
	Course    struct {
		ID, Slug, Title string
		Version         int
	}
	ScorePercent float64   `json:"score_percent"`
	IssuedAt     time.Time `json:"issued_at"`
	ExpiresAt    time.Time `json:"expires_at"`
}

type verifyJSON struct {
	Valid       bool    `json:"valid"`
	Status      string  `json:"status"`
	Reason      *string `json:"reason"`
	Certificate *struct {
		ID, Code   string
		HolderName string `json:"holder_name"`
	} `json:"certificate"`
	RevokedAt        *time.Time `json:"revoked_at"`
	RevocationReason *string    `json:"revocation_reason"`
}

// decode is the JSON of res as a T.
func decode[T any](t *testing.T, res apptest.Response) T {
	t.Helper()
	var v T
	res.JSON(t, &v)
	return v
}

func (f *fixture) cert(t *testing.T, id, token string) certJSON {
	t.Helper()
	var c certJSON
	res := f.e.Call("GET", api+"/certificates/"+id, token, nil)
	if res.Status != 200 {
		t.Fatalf("certificate: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &c)
	return c
}

func (f *fixture) verifyToken(t *testing.T, token string) verifyJSON {
	t.Helper()
	var v verifyJSON
	res := f.e.Call("POST", api+"/verify", "", map[string]any{"token": token})
	if res.Status != 200 {
		t.Fatalf("verify: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &v)
	return v
}

func TestCertificateContents(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		learner := f.e.Learner()
		id := f.earn(t, learner)
		c := f.cert(t, id, learner.Token)
		now := f.e.Clock.Now()
		if c.Status != "active" || c.Holder.ID != learner.ID || c.Holder.Name != learner.Name || !strings.HasPrefix(c.Course.Slug, "safe-data") ||
			c.Course.Version != 1 || c.ScorePercent != 100 || !c.IssuedAt.Equal(now) || !c.ExpiresAt.Equal(now.Add(365*24*time.Hour)) ||
			c.VerifyURL != "http://skillgate.test/verify/"+id || !strings.HasPrefix(c.Code, "SG-") {
			t.Fatalf("certificate: %+v", c)
		}
		// The JWS: header {alg, kid} only; payload per OB 3.0 and VC-JOSE-COSE.
		if h := header(t, c.Token); len(h) != 2 || h["alg"] != "EdDSA" || h["kid"] == "" {
			t.Fatalf("header %v", h)
		}
		p := payloadOf(t, c.Token)
		subj := p["credentialSubject"].(map[string]any)
		ach := subj["achievement"].(map[string]any)
		status := p["credentialStatus"].(map[string]any)
		issuer := p["issuer"].(map[string]any)
		checks := map[string]bool{
			"@context":        fmt.Sprint(p["@context"]) == "[https://www.w3.org/ns/credentials/v2 https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json]",
			"type":            fmt.Sprint(p["type"]) == "[VerifiableCredential OpenBadgeCredential]",
			"no vc claim":     p["vc"] == nil,
			"iss":             p["iss"] == issuer["id"],
			"sub":             p["sub"] == subj["id"],
			"jti":             p["jti"] == p["id"] && strings.HasSuffix(p["jti"].(string), id),
			"nbf/iat/exp":     p["nbf"] != nil && p["iat"] != nil && p["exp"] != nil,
			"validFrom":       p["validFrom"] == now.UTC().Format(time.RFC3339),
			"achievementType": ach["achievementType"] == "Certification" && ach["name"] == "Safe Data" && ach["criteria"] != nil && ach["description"] != nil,
			"result":          fmt.Sprint(subj["result"]) != "" && strings.Contains(fmt.Sprint(subj["result"]), "100"),
			"status entry":    status["type"] == "BitstringStatusListEntry" && status["statusPurpose"] == "revocation" && status["statusListCredential"] != nil,
		}
		for name, ok := range checks {
			if !ok {
				t.Errorf("%s wrong in %v", name, p)
			}
		}
		// By code, in another letter case.
		if res := f.e.Call("GET", api+"/verify/"+strings.ToLower(c.Code), "", nil); res.Status != 200 || !strings.Contains(string(res.Body), `"valid":true`) {
			t.Fatalf("verify by code: %d %s", res.Status, res.Body)
		}
		// Access to certificates: holder and admin only; revocation: admin and the course's trainer.
		other := f.e.Learner()
		otherTrainer := f.e.UserWithRole(web.RoleTrainer)
		admin := f.e.UserWithRole(web.RoleAdmin)
		cert, verify := api+"/certificates/"+id, api+"/verify"
		reason := map[string]any{"reason": "x"}
		batch := map[string]any{"ids": []string{id}}
		f.e.Scenarios(t, []apptest.Scenario{
			{Name: "another learner reads it", Method: "GET", Path: cert, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "another learner's PDF", Method: "GET", Path: cert + "/pdf", Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "the course's trainer reads it", Method: "GET", Path: cert, Token: f.Trainer.Token, Status: 404, Problem: "not-found"},
			{Name: "anonymous reads it", Method: "GET", Path: cert, Status: 401, Problem: "unauthenticated"},
			{Name: "an admin reads it", Method: "GET", Path: cert, Token: admin.Token, Status: 200, Contains: []string{id}},
			{Name: "unknown certificate", Method: "GET", Path: api + "/certificates/nope", Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "the holder revokes", Method: "POST", Path: cert + "/revoke", Token: learner.Token, Body: map[string]any{"reason": "mine"}, Status: 403, Problem: "forbidden"},
			{Name: "another learner revokes", Method: "POST", Path: cert + "/revoke", Token: other.Token, Body: reason, Status: 403, Problem: "forbidden"},
			{Name: "another course's trainer revokes", Method: "POST", Path: cert + "/revoke", Token: otherTrainer.Token, Body: reason, Status: 403, Problem: "forbidden"},
			{Name: "revoke without a reason", Method: "POST", Path: cert + "/revoke", Token: f.Trainer.Token, Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "malformed revocation", Method: "POST", Path: cert + "/revoke", Token: f.Trainer.Token, Body: `{"reason":`, Status: 400, Problem: "bad-request"},
			{Name: "revoke an unknown certificate", Method: "POST", Path: api + "/certificates/nope/revoke", Token: admin.Token, Body: reason, Status: 404, Problem: "not-found"},
			{Name: "the refused revocations changed nothing", Method: "GET", Path: cert, Token: learner.Token, Status: 200,
				Check: func(t *testing.T, res apptest.Response) {
					if c := decode[certJSON](t, res); c.Status != "active" || c.ID != id {
						t.Fatalf("a refused revocation changed the certificate: %s", res.Body)
					}
				}},
			// Verification is public; batches are for employers and admins.
			{Name: "verify an unknown id", Method: "GET", Path: verify + "/nope", Status: 404, Problem: "not-found"},
			{Name: "verify nothing", Method: "POST", Path: verify, Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "verify a token of the wrong type", Method: "POST", Path: verify, Body: `{"token":5}`, Status: 400, Problem: "bad-request"},
			{Name: "a learner's batch", Method: "POST", Path: verify + "/batch", Token: learner.Token, Body: batch, Status: 403, Problem: "forbidden"},
			{Name: "a trainer's batch", Method: "POST", Path: verify + "/batch", Token: f.Trainer.Token, Body: batch, Status: 403, Problem: "forbidden"},
			{Name: "an anonymous batch", Method: "POST", Path: verify + "/batch", Body: batch, Status: 401, Problem: "unauthenticated"},
			// A learner's own certificates are their own.
			{Name: "a trainer's own certificates", Method: "GET", Path: api + "/me/certificates", Token: f.Trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "the holder's own certificates", Method: "GET", Path: api + "/me/certificates", Token: learner.Token, Status: 200, Contains: []string{id}},
			{Name: "another learner's own certificates", Method: "GET", Path: api + "/me/certificates", Token: other.Token, Status: 200, Absent: []string{id}},
		})
	})
}

// TestIndependentJOSEVerifiesTheToken checks the token as an employer's
// system would: another JOSE library, the served JWKS, nothing else.
func TestIndependentJOSEVerifiesTheToken(t *testing.T) {
	f := newFixture(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	_, c := f.holder(t)
	res := f.e.Call("GET", "/.well-known/jwks.json", "", nil)
	set, err := jwk.Parse(res.Body)
	if err != nil {
		t.Fatalf("jwx cannot read the JWKS: %v\n%s", err, res.Body)
	}
	payload, err := jws.Verify([]byte(c.Token), jws.WithKeySet(set, jws.WithRequireKid(true)))
	if err != nil {
		t.Fatalf("jwx rejects the token: %v", err)
	}
	if !bytes.Contains(payload, []byte(`"OpenBadgeCredential"`)) {
		t.Fatalf("payload %s", payload)
	}
	// And jwx refuses it with the wrong algorithm.
	k, _ := set.Key(0)
	if _, err := jws.Verify([]byte(c.Token), jws.WithKey(jwa.HS256(), k)); err == nil {
		t.Fatal("jwx verified with HS256")
	}
}

func TestTamperedTokens(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		learner := f.e.Learner()
		admin := f.e.UserWithRole(web.RoleAdmin)
		c := f.cert(t, f.earn(t, learner), learner.Token)
		parts := strings.Split(c.Token, ".")
		kid, payload := header(t, c.Token)["kid"], payloadOf(t, c.Token)
		enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }

		changed := map[string]any{}
		for k, v := range payload {
			changed[k] = v
		}
		subj := map[string]any{}
		for k, v := range payload["credentialSubject"].(map[string]any) {
			subj[k] = v
		}
		subj["name"] = "Someone Else"
		changed["credentialSubject"] = subj

		// Another key of ours: rotate and swap the kid.
		newKey, err := f.e.Certs.RotateKey(apptest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		swapped := map[string]any{"alg": "EdDSA", "kid": newKey.ID}
		unknown := map[string]any{"alg": "EdDSA", "kid": "not-a-key"}

		jwks := f.e.Call("GET", "/.well-known/jwks.json", "", nil)
		var set certs.JWKS
		jwks.JSON(t, &set)
		pubX := ""
		for _, k := range set.Keys {
			if k.Kid == kid {
				pubX = k.X
			}
		}
		pub, _ := base64.RawURLEncoding.DecodeString(pubX)
		hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(payload))
		hs.Header["kid"] = kid
		hsToken, _ := hs.SignedString(pub)
		noneToken := enc(map[string]any{"alg": "none", "kid": kid}) + "." + parts[1] + "."

		cases := []struct {
			name, token string
			reason      string
		}{
			{"changed claim", parts[0] + "." + enc(changed) + "." + parts[2], "bad_signature"},
			{"swapped kid", enc(swapped) + "." + parts[1] + "." + parts[2], "bad_signature"},
			{"unknown kid", enc(unknown) + "." + parts[1] + "." + parts[2], "unknown_key"},
			{"alg none", noneToken, "bad_signature"},
			{"HS256 with the public key as secret", hsToken, "bad_signature"},
			{"garbage", "not a token", "malformed"},
			{"two parts", parts[0] + "." + parts[1], "malformed"},
			{"access token", learner.Token, "bad_signature"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				v := f.verifyToken(t, tc.token)
				if v.Valid || v.Status != "invalid" || v.Reason == nil || *v.Reason != tc.reason {
					t.Fatalf("%+v, want invalid %s", v, tc.reason)
				}
			})
		}
		// A certificate token is never an access token.
		f.e.Scenarios(t, []apptest.Scenario{{Name: "a certificate as an access token", Method: "GET", Path: api + "/me", Token: c.Token,
			Status: 401, Problem: "unauthenticated"}})
		// The genuine token still verifies after the rotation; a new
		// certificate is signed with the new key, and both verify.
		if v := f.verifyToken(t, c.Token); !v.Valid || v.Status != "active" {
			t.Fatalf("old-key certificate after rotation: %+v", v)
		}
		second := f.e.Learner()
		c2 := f.cert(t, f.earn(t, second), second.Token)
		if h2 := header(t, c2.Token); !strings.Contains(fmt.Sprint(h2["kid"]), newKey.ID) {
			t.Fatalf("new certificate not signed with the new key: %v", h2)
		}
		if v := f.verifyToken(t, c2.Token); !v.Valid {
			t.Fatalf("new-key certificate: %+v", v)
		}
		var after certs.JWKS
		f.e.Call("GET", "/.well-known/jwks.json", "", nil).JSON(t, &after)
		ed := 0
		for _, k := range after.Keys {
			if k.Kty == "OKP" {
				ed++
			}
		}
		if ed != 2 {
			t.Fatalf("JWKS after rotation: %+v", after)
		}

		// Revoked, then expired.
		if r := f.e.Call("POST", api+"/certificates/"+c.ID+"/revoke", admin.Token, map[string]any{"reason": "issued in error"}); r.Status != 200 ||
			!strings.Contains(string(r.Body), `"status":"revoked"`) {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		f.e.Scenarios(t, []apptest.Scenario{{Name: "revoke twice", Method: "POST", Path: api + "/certificates/" + c.ID + "/revoke", Token: admin.Token,
			Body: map[string]any{"reason": "again"}, Status: 409, Problem: "conflict"}})
		if v := f.verifyToken(t, c.Token); v.Valid || v.Status != "revoked" || *v.Reason != "revoked" || v.RevocationReason == nil {
			t.Fatalf("revoked: %+v", v)
		}
		f.e.Clock.Advance(366 * 24 * time.Hour)
		if v := f.verifyToken(t, c2.Token); v.Valid || v.Status != "expired" || *v.Reason != "expired" {
			t.Fatalf("expired: %+v", v)
		}
	})
}

func TestRevocationReachesEveryView(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		learner, c := f.holder(t)
		jwks := f.e.Call("GET", "/.well-known/jwks.json", "", nil).Body
		listURL := payloadOf(t, c.Token)["credentialStatus"].(map[string]any)["statusListCredential"].(string)
		listPath := strings.TrimPrefix(listURL, "http://skillgate.test")
		statusList := func() []byte {
			r := f.e.Call("GET", listPath, "", nil)
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/vc+jwt" || r.Header.Get("Cache-Control") == "" {
				t.Fatalf("status list: %d %v", r.Status, r.Header)
			}
			return r.Body
		}
		now := f.e.Clock.Now()

		// Before: every view says valid.
		if v := f.verifyToken(t, c.Token); !v.Valid {
			t.Fatalf("token: %+v", v)
		}
		if r := certs.VerifyOffline(c.Token, jwks, statusList(), now); !r.Valid {
			t.Fatalf("offline: %+v", r)
		}
		page := f.e.Call("GET", "/verify/"+c.Code, "", nil)
		if page.Status != 200 || !strings.Contains(string(page.Body), ">VALID<") || len(page.Body) > 30<<10 ||
			strings.Contains(string(page.Body), "<script") || !strings.Contains(string(page.Body), c.Holder.Name) {
			t.Fatalf("page: %d %d bytes\n%s", page.Status, len(page.Body), page.Body)
		}

		f.e.Scenarios(t, []apptest.Scenario{{Name: "revoke with an unknown category", Method: "POST", Path: api + "/certificates/" + c.ID + "/revoke",
			Token: f.Trainer.Token, Body: map[string]any{"reason": "shared answers", "category": "cheating"}, Status: 422, Problem: "validation"}})
		if r := f.e.Call("POST", api+"/certificates/"+c.ID+"/revoke", f.Trainer.Token, map[string]any{"reason": "shared answers", "category": "misconduct"}); r.Status != 200 ||
			!strings.Contains(string(r.Body), `"revocation_reason":"shared answers"`) {
			t.Fatalf("owning trainer revokes: %d %s", r.Status, r.Body)
		}
		// After: by id, by token, offline with a fresh list, and the page.
		// The public sees the category; the free text stays with the
		// holder, admins and the course's trainers.
		res := f.e.Call("GET", api+"/verify/"+c.ID, "", nil)
		var byID verifyJSON
		res.JSON(t, &byID)
		if byID.Valid || byID.Status != "revoked" || *byID.RevocationReason != "misconduct" || byID.RevokedAt == nil ||
			strings.Contains(string(res.Body), "shared answers") || !strings.Contains(string(res.Body), `"revocation_category":"misconduct"`) {
			t.Fatalf("by id: %s", res.Body)
		}
		if v := f.verifyToken(t, c.Token); v.Valid || v.Status != "revoked" || *v.RevocationReason != "misconduct" {
			t.Fatalf("by token: %+v", v)
		}
		if r := f.e.Call("GET", api+"/certificates/"+c.ID, learner.Token, nil); !strings.Contains(string(r.Body), `"revocation_reason":"shared answers"`) ||
			!strings.Contains(string(r.Body), `"revocation_category":"misconduct"`) {
			t.Fatalf("the holder's view: %s", r.Body)
		}
		emp := f.e.UserWithRole(web.RoleEmployer)
		r := f.e.Call("POST", api+"/verify/batch", emp.Token, map[string]any{"ids": []string{c.ID}})
		if r.Status != 200 || strings.Contains(string(r.Body), "shared answers") || !strings.Contains(string(r.Body), "misconduct") {
			t.Fatalf("batch: %d %s", r.Status, r.Body)
		}
		if r := certs.VerifyOffline(c.Token, jwks, statusList(), now); r.Valid || r.Reason != certs.ReasonRevoked {
			t.Fatalf("offline: %+v", r)
		}
		page = f.e.Call("GET", "/verify/"+c.ID, "", nil)
		if !strings.Contains(string(page.Body), "REVOKED") || strings.Contains(string(page.Body), "shared answers") || !strings.Contains(string(page.Body), "Misconduct") {
			t.Fatalf("page: %s", page.Body)
		}
		// The PDF says REVOKED, with the date, and no longer "Valid until".
		pdfText := pdfText(t, f.e.Call("GET", api+"/certificates/"+c.ID+"/pdf", learner.Token, nil))
		if !strings.Contains(pdfText, "REVOKED") || !strings.Contains(pdfText, "REVOKED on "+now.UTC().Format("2 January 2006")) ||
			strings.Contains(pdfText, "Valid until") || strings.Contains(pdfText, "VALID until") || strings.Contains(pdfText, "shared answers") {
			t.Fatalf("revoked PDF: %s", pdfText)
		}
		// The JSON form of the list carries the same token.
		r = f.e.Do(apptest.Request{Method: "GET", Path: listPath, Headers: map[string]string{"Accept": "application/json"}})
		if !strings.Contains(string(r.Body), `"encodedList":"u`) || !strings.Contains(string(r.Body), `"token":"`) {
			t.Fatalf("JSON status list: %s", r.Body)
		}
		if r := certs.VerifyOffline(c.Token, jwks, r.Body, now); r.Reason != certs.ReasonRevoked {
			t.Fatalf("offline with the JSON list: %+v", r)
		}
		// A list past its ttl says status unknown, never valid.
		stale := certs.VerifyOffline(c.Token, jwks, statusList(), now.Add(certs.StatusListTTL+time.Minute))
		if stale.Valid || stale.Reason != certs.ReasonStatus {
			t.Fatalf("stale list: %+v", stale)
		}
		f.e.Scenarios(t, []apptest.Scenario{
			{Name: "an unknown status list", Method: "GET", Path: api + "/status-lists/nope", Status: 404, Problem: "not-found"},
			{Name: "the page of an unknown code", Method: "GET", Path: "/verify/SG-00000-00000", Status: 404, Contains: []string{"UNKNOWN"}},
		})
		// The audit trail keeps who revoked and why.
		events, err := certs.NewStore(db).Events(apptest.Context(t), c.ID)
		if err != nil || len(events) != 2 || events[1].Action != "revoked" || events[1].ActorID != f.Trainer.ID || events[1].Reason != "shared answers" {
			t.Fatalf("events: %+v %v", events, err)
		}
	})
}

func TestBatchVerification(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_RATE_BATCH_PER_ORG": "3/1m"}})
		_, c := f.holder(t)
		employer := f.e.UserWithRole(web.RoleEmployer)
		colleague := f.e.UserWithRole(web.RoleEmployer, employer.OrganizationID)
		res := f.e.Call("POST", api+"/verify/batch", employer.Token, map[string]any{"ids": []string{"nope", c.ID, strings.ToLower(c.Code)}})
		var out struct{ Results []verifyJSON }
		res.JSON(t, &out)
		if res.Status != 200 || len(out.Results) != 3 || out.Results[0].Valid || out.Results[0].Status != "not_found" ||
			!out.Results[1].Valid || out.Results[1].Certificate.ID != c.ID || !out.Results[2].Valid {
			t.Fatalf("batch by id: %d %s", res.Status, res.Body)
		}
		res = f.e.Call("POST", api+"/verify/batch", colleague.Token, map[string]any{"tokens": []string{c.Token, "x.y.z"}})
		res.JSON(t, &out)
		if len(out.Results) != 2 || !out.Results[0].Valid || out.Results[1].Status != "invalid" {
			t.Fatalf("batch by token: %s", res.Body)
		}
		too := make([]string, 1001)
		for i := range too {
			too[i] = "x"
		}
		admin := f.e.UserWithRole(web.RoleAdmin)
		batch := api + "/verify/batch"
		one := map[string]any{"ids": []string{c.ID}}
		f.e.Scenarios(t, []apptest.Scenario{
			{Name: "1001 ids", Method: "POST", Path: batch, Token: admin.Token, Body: map[string]any{"ids": too}, Status: 422, Problem: "validation"},
			{Name: "neither ids nor tokens", Method: "POST", Path: batch, Token: admin.Token, Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "both ids and tokens", Method: "POST", Path: batch, Token: admin.Token, Body: map[string]any{"ids": []string{"a"}, "tokens": []string{"b"}},
				Status: 422, Problem: "validation"},
			// The organization's limit (3 a minute) is shared by its employers.
			{Name: "the organization's third batch", Method: "POST", Path: batch, Token: employer.Token, Body: one, Status: 200},
			{Name: "the organization's fourth batch", Method: "POST", Path: batch, Token: colleague.Token, Body: one, Status: 429, Problem: "rate-limited",
				Check: func(t *testing.T, res apptest.Response) {
					if res.Header.Get("Retry-After") == "" {
						t.Fatalf("no Retry-After: %v", res.Header)
					}
				}},
			{Name: "another organization is not limited by it", Method: "POST", Path: batch, Token: f.e.UserWithRole(web.RoleEmployer).Token, Body: one, Status: 200},
		})
	})
}

func TestPDFCarriesTheCertificate(t *testing.T) {
	f := newFixture(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	learner := f.e.Learner()
	id := f.earn(t, learner)
	all := pdfText(t, f.e.Call("GET", api+"/certificates/"+id+"/pdf", learner.Token, nil))
	for _, want := range []string{id, learner.Name, "Safe Data", "http://skillgate.test/verify/" + id, "VALID until"} {
		if !strings.Contains(all, want) {
			t.Errorf("%q not in the PDF text: %s", want, all)
		}
	}
	// Once expired, the PDF says so instead of "valid until".
	f.e.Clock.Advance(366 * 24 * time.Hour)
	f.e.SignIn(&learner)
	all = pdfText(t, f.e.Call("GET", api+"/certificates/"+id+"/pdf", learner.Token, nil))
	if !strings.Contains(all, "EXPIRED") || strings.Contains(all, "VALID until") {
		t.Fatalf("expired PDF: %s", all)
	}
}

// pdfText is the text of a PDF answer, read as a PDF reader would.
func pdfText(t *testing.T, res apptest.Response) string {
	t.Helper()
	if res.Status != 200 || res.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
		t.Fatalf("pdf: %d %v", res.Status, res.Header)
	}
	text, _ := apptest.PDFText(t, res.Body, "")
	return text
}

// TestPageSpeaksTheCoursesLanguage: a certificate of a Hindi course is
// shown in Hindi.
func TestPageSpeaksTheCoursesLanguage(t *testing.T) {
	f := newFixture(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	if r := f.e.Call("PATCH", api+"/courses/"+f.CourseID, f.Trainer.Token, map[string]any{"language": "hi", "title": "सुरक्षित डेटा"}); r.Status != 200 {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	if r := f.e.Call("POST", api+"/courses/"+f.CourseID+"/publish", f.Trainer.Token, nil); r.Status != 200 {
		t.Fatalf("publish: %d", r.Status)
	}
	learner := f.e.Learner()
	id := f.earn(t, learner)
	page := f.e.Call("GET", "/verify/"+id, "", nil)
	body := string(page.Body)
	if page.Status != 200 || !strings.Contains(body, `lang="hi"`) || !strings.Contains(body, "मान्य") || !strings.Contains(body, "सुरक्षित डेटा") {
		t.Fatalf("Hindi page: %d %s", page.Status, body)
	}
	// The PDF falls back to Latin text rather than printing garbage.
	res := f.e.Call("GET", api+"/certificates/"+id+"/pdf", learner.Token, nil)
	if res.Status != 200 || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
		t.Fatalf("pdf: %d", res.Status)
	}
}

// TestUnknownCodeOffersTheBoxAgain: a code misread over the phone lands on
// a page with a box to type it again, which leads to the certificate.
func TestUnknownCodeOffersTheBoxAgain(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	course := e.NewCertificateCourse()
	learner := e.Learner()
	certID := course.Earn(learner)
	var cert struct{ Code string }
	e.Call("GET", "/api/v1/certificates/"+certID, learner.Token, nil).JSON(t, &cert)

	e.Scenarios(t, []apptest.Scenario{{Name: "the page of a misread code", Method: "GET", Path: "/verify/SG-WRONG-CODE",
		Headers: map[string]string{"Accept-Language": "hi-IN"}, Status: 404,
		Contains: []string{`action="/verify"`, `value="SG-WRONG-CODE"`, `lang="hi"`}}})
	spoken := strings.ToLower(strings.ReplaceAll(cert.Code, "-", " "))
	res := e.Do(apptest.Request{Method: "GET", Path: "/verify?code=" + url.QueryEscape(spoken)})
	if res.Status != 303 {
		t.Fatalf("lookup: %d %s", res.Status, res.Body)
	}
	res = e.Do(apptest.Request{Method: "GET", Path: res.Header.Get("Location")})
	if res.Status != 200 || !strings.Contains(string(res.Body), "VALID") {
		t.Fatalf("the typed code's page: %d\n%s", res.Status, res.Body)
	}
	if res := e.Do(apptest.Request{Method: "GET", Path: "/verify"}); res.Status != 200 || !strings.Contains(string(res.Body), `name="code"`) {
		t.Fatalf("the empty box: %d", res.Status)
	}
}
