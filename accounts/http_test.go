package accounts_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

type scenario struct {
	name     string
	method   string
	path     string
	token    string
	body     any
	headers  map[string]string
	status   int
	problem  string   // expected problem type slug
	contains []string // text that must appear
	absent   []string // text that must not appear
}

func run(t *testing.T, e *apptest.Env, cases []scenario) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			res := e.Do(apptest.Request{Method: sc.method, Path: sc.path, Token: sc.token, Body: sc.body, Headers: sc.headers})
			if res.Status != sc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, sc.status, res.Body)
			}
			body := string(res.Body)
			if sc.problem != "" {
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type %q, want application/problem+json", ct)
				}
				if !strings.Contains(body, `"type":"`+web.ProblemTypeBase+sc.problem+`"`) {
					t.Errorf("problem type %q not in %s", sc.problem, body)
				}
			}
			for _, s := range sc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("%q not in %s", s, body)
				}
			}
			for _, s := range append(sc.absent, "goroutine", "SQLSTATE", "SELECT ", "INSERT ") {
				if strings.Contains(body, s) {
					t.Errorf("%q must not be in %s", s, body)
				}
			}
		})
	}
}

func TestAccountsHTTP(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		admin := e.UserWithRole(web.RoleAdmin)
		trainer := e.UserWithRole(web.RoleTrainer)
		employer := e.UserWithRole(web.RoleEmployer)
		learner := e.Learner()
		huge := `{"email":"big@example.org","password":"` + strings.Repeat("x", 2<<20) + `","name":"Big"}`

		run(t, e, []scenario{
			{name: "register ignores role", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "New.Person@Example.org", "password": "river candle mango seventy", "name": "New Person", "role": "admin", "locale": "hi"},
				status: 201, contains: []string{`"role":"learner"`, `"token_type":"Bearer"`, `"expires_in":900`, `"locale":"hi"`, `"organization_id":null`},
				absent: []string{"password_hash", "river candle"}},
			{name: "register duplicate email in other case", method: "POST", path: api + "/auth/register",
				body: map[string]any{"email": "new.person@EXAMPLE.org", "password": "another long passphrase", "name": "Twin"}, status: 409, problem: "conflict"},
			{name: "register short password", method: "POST", path: api + "/auth/register",
				body: map[string]any{"email": "short@example.org", "password": "abc123xyz", "name": "S"}, status: 422, problem: "validation", contains: []string{`"field":"password"`}},
			{name: "register common password", method: "POST", path: api + "/auth/register",
				body: map[string]any{"email": "common@example.org", "password": "1234567890", "name": "C"}, status: 422, problem: "validation", contains: []string{"most common"}},
			{name: "register common password any case", method: "POST", path: api + "/auth/register",
				body: map[string]any{"email": "common2@example.org", "password": "PassWord123", "name": "C"}, status: 422, problem: "validation"},
			{name: "register bad email and missing name", method: "POST", path: api + "/auth/register",
				body: map[string]any{"email": "not-an-email", "password": "river candle mango seventy"}, status: 422, problem: "validation",
				contains: []string{`"field":"email"`, `"field":"name"`}},
			{name: "register malformed JSON", method: "POST", path: api + "/auth/register", body: `{"email":`, status: 400, problem: "bad-request"},
			{name: "register wrong type", method: "POST", path: api + "/auth/register", body: `{"email":42,"password":"x","name":"y"}`, status: 400, problem: "bad-request", contains: []string{"email"}},
			{name: "register wrong content type", method: "POST", path: api + "/auth/register", body: "email=a", headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 415, problem: "unsupported-media-type"},
			{name: "register 2 MiB body", method: "POST", path: api + "/auth/register", body: huge, status: 413, problem: "too-large"},

			{name: "login", method: "POST", path: api + "/auth/login", body: map[string]any{"email": strings.ToUpper(learner.Email), "password": apptest.TestPassword},
				status: 200, contains: []string{`"access_token"`, `"refresh_token"`, learner.ID}},
			{name: "login wrong password", method: "POST", path: api + "/auth/login", body: map[string]any{"email": learner.Email, "password": "wrong password here"},
				status: 401, problem: "unauthenticated", contains: []string{"wrong email or password"}},
			{name: "login unknown email same answer", method: "POST", path: api + "/auth/login", body: map[string]any{"email": "nobody@example.org", "password": "wrong password here"},
				status: 401, problem: "unauthenticated", contains: []string{"wrong email or password"}},
			{name: "login empty body", method: "POST", path: api + "/auth/login", status: 422, problem: "validation"},

			{name: "me", method: "GET", path: api + "/me", token: learner.Token, status: 200,
				contains: []string{`"id":"` + learner.ID, `"email":"` + learner.Email, `"role":"learner"`, `"locale":"en"`}, absent: []string{"password"}},
			{name: "me without token", method: "GET", path: api + "/me", status: 401, problem: "unauthenticated"},
			{name: "me with basic auth", method: "GET", path: api + "/me", headers: map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}, status: 401, problem: "unauthenticated"},
			{name: "me with oversized header", method: "GET", path: api + "/me", headers: map[string]string{"Authorization": "Bearer " + strings.Repeat("a", 5000)}, status: 401, problem: "unauthenticated"},
			{name: "me with garbage token", method: "GET", path: api + "/me", token: "not.a.token", status: 401, problem: "unauthenticated"},

			{name: "admin creates trainer", method: "POST", path: api + "/users", token: admin.Token,
				body: map[string]any{"email": "t9@example.org", "password": "river candle mango seventy", "name": "Trainer Nine", "role": "trainer"}, status: 201, contains: []string{`"role":"trainer"`}},
			{name: "admin creates employer without organization", method: "POST", path: api + "/users", token: admin.Token,
				body: map[string]any{"email": "e9@example.org", "password": "river candle mango seventy", "name": "E", "role": "employer"}, status: 422, contains: []string{"organization_id"}},
			{name: "admin creates employer with unknown organization", method: "POST", path: api + "/users", token: admin.Token,
				body: map[string]any{"email": "e9@example.org", "password": "river candle mango seventy", "name": "E", "role": "employer", "organization_id": "nope"}, status: 422, contains: []string{"no such organization"}},
			{name: "admin creates employer", method: "POST", path: api + "/users", token: admin.Token,
				body:   map[string]any{"email": "e9@example.org", "password": "river candle mango seventy", "name": "E", "role": "employer", "organization_id": employer.OrganizationID},
				status: 201, contains: []string{`"organization_id":"` + employer.OrganizationID}},
			{name: "admin creates unknown role", method: "POST", path: api + "/users", token: admin.Token,
				body: map[string]any{"email": "x9@example.org", "password": "river candle mango seventy", "name": "X", "role": "root"}, status: 422, contains: []string{`"field":"role"`}},
			{name: "learner cannot create users", method: "POST", path: api + "/users", token: learner.Token,
				body: map[string]any{"email": "z@example.org", "password": "river candle mango seventy", "name": "Z", "role": "admin"}, status: 403, problem: "forbidden"},
			{name: "employer cannot create users", method: "POST", path: api + "/users", token: employer.Token,
				body: map[string]any{"email": "z@example.org", "password": "river candle mango seventy", "name": "Z", "role": "admin"}, status: 403, problem: "forbidden"},
			{name: "trainer cannot list users", method: "GET", path: api + "/users", token: trainer.Token, status: 403, problem: "forbidden"},
			{name: "anonymous cannot list users", method: "GET", path: api + "/users", status: 401, problem: "unauthenticated"},
			{name: "admin lists users", method: "GET", path: api + "/users?limit=2", token: admin.Token, status: 200, contains: []string{`"items":[`, `"next_cursor":"`}},
			{name: "admin lists with bad limit", method: "GET", path: api + "/users?limit=-1", token: admin.Token, status: 400, problem: "bad-request"},
			{name: "admin lists with bad cursor", method: "GET", path: api + "/users?cursor=%%%", token: admin.Token, status: 400, problem: "bad-request"},
			{name: "admin creates organization", method: "POST", path: api + "/organizations", token: admin.Token, body: map[string]any{"name": "Acme Data"}, status: 201, contains: []string{`"name":"Acme Data"`}},
			{name: "organization without name", method: "POST", path: api + "/organizations", token: admin.Token, body: map[string]any{}, status: 422, problem: "validation"},
			{name: "learner cannot create organization", method: "POST", path: api + "/organizations", token: learner.Token, body: map[string]any{"name": "X"}, status: 403, problem: "forbidden"},
			{name: "employer reads own organization", method: "GET", path: api + "/organizations/" + employer.OrganizationID, token: employer.Token, status: 200},
			{name: "employer cannot read another organization", method: "GET", path: api + "/organizations/" + e.UserWithRole(web.RoleEmployer).OrganizationID, token: employer.Token, status: 404},
			{name: "learner cannot patch users", method: "PATCH", path: api + "/users/" + learner.ID, token: learner.Token, body: map[string]any{"role": "admin"}, status: 403},
			{name: "admin patches unknown user", method: "PATCH", path: api + "/users/nope", token: admin.Token, body: map[string]any{"disabled": true}, status: 404},
			{name: "admin cannot disable self", method: "PATCH", path: api + "/users/" + admin.ID, token: admin.Token, body: map[string]any{"disabled": true}, status: 409},

			{name: "learner cannot list organizations", method: "GET", path: api + "/organizations", token: learner.Token, status: 403, problem: "forbidden"},
			{name: "learner cannot read an organization", method: "GET", path: api + "/organizations/" + employer.OrganizationID, token: learner.Token, status: 403, problem: "forbidden"},
			{name: "admin patches with bad role", method: "PATCH", path: api + "/users/" + learner.ID, token: admin.Token, body: map[string]any{"role": "root"}, status: 422, problem: "validation"},
			{name: "admin patches with malformed body", method: "PATCH", path: api + "/users/" + learner.ID, token: admin.Token, body: `{"role":`, status: 400, problem: "bad-request"},
			{name: "admin patches with wrong type", method: "PATCH", path: api + "/users/" + learner.ID, token: admin.Token, body: `{"disabled":"yes"}`, status: 400, problem: "bad-request"},
			{name: "logout with nothing to end", method: "POST", path: api + "/auth/logout", token: learner.Token, body: map[string]any{}, status: 422, problem: "validation"},
			{name: "logout malformed", method: "POST", path: api + "/auth/logout", token: learner.Token, body: `[`, status: 400, problem: "bad-request"},
			{name: "password change malformed", method: "POST", path: api + "/me/password", token: learner.Token, body: `{`, status: 400, problem: "bad-request"},
			{name: "password change anonymous", method: "POST", path: api + "/me/password", body: map[string]any{"current_password": "x", "new_password": "y"}, status: 401, problem: "unauthenticated"},
			{name: "password change to a common one", method: "POST", path: api + "/me/password", token: learner.Token,
				body: map[string]any{"current_password": apptest.TestPassword, "new_password": "1234567890"}, status: 422, contains: []string{`"field":"new_password"`}},
			{name: "refresh malformed", method: "POST", path: api + "/auth/refresh", body: `{"refresh_token":1}`, status: 400, problem: "bad-request"},
			{name: "unknown route", method: "GET", path: api + "/nothing-here", status: 404, problem: "not-found"},
			{name: "wrong method", method: "DELETE", path: api + "/auth/login", status: 405, problem: "method-not-allowed"},
		})
	})
}

// forge signs claims with key, so that the tests can try every way a
// token can be wrong.
func forge(t *testing.T, method jwt.SigningMethod, key any, header map[string]any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAccessTokenRejections(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		u := e.Learner()
		now := e.Clock.Now()
		good := jwt.MapClaims{"iss": e.Config.BaseURL, "sub": u.ID, "aud": "skillgate-api", "exp": now.Add(time.Hour).Unix(),
			"iat": now.Unix(), "nbf": now.Unix(), "ver": 1, "role": "admin"}
		with := func(k string, v any) jwt.MapClaims {
			c := jwt.MapClaims{}
			for kk, vv := range good {
				c[kk] = vv
			}
			if v == nil {
				delete(c, k)
			} else {
				c[k] = v
			}
			return c
		}
		atHeader := map[string]any{"typ": "at+jwt"}
		otherKey := []byte("0123456789abcdef0123456789abcdef")
		none := forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, atHeader, good)
		cases := map[string]string{
			"alg none":         none,
			"another key":      forge(t, jwt.SigningMethodHS256, otherKey, atHeader, good),
			"truncated":        u.Token[:len(u.Token)-4],
			"payload swapped":  swapPayload(t, u.Token, none),
			"no typ":           forge(t, jwt.SigningMethodHS256, otherKey, nil, good),
			"another issuer":   forge(t, jwt.SigningMethodHS256, otherKey, atHeader, with("iss", "https://evil.example")),
			"no expiry":        forge(t, jwt.SigningMethodHS256, otherKey, atHeader, with("exp", nil)),
			"another audience": forge(t, jwt.SigningMethodHS256, otherKey, atHeader, with("aud", "other")),
		}
		for name, tok := range cases {
			t.Run(name, func(t *testing.T) {
				res := e.Call("GET", api+"/me", tok, nil)
				if res.Status != 401 {
					t.Fatalf("status %d, want 401: %s", res.Status, res.Body)
				}
			})
		}
		t.Run("expired", func(t *testing.T) {
			if res := e.Call("GET", api+"/me", u.Token, nil); res.Status != 200 {
				t.Fatalf("fresh token: %d", res.Status)
			}
			e.Clock.Advance(e.Config.AccessTokenTTL + time.Minute)
			if res := e.Call("GET", api+"/me", u.Token, nil); res.Status != 401 {
				t.Fatalf("expired token: %d %s", res.Status, res.Body)
			}
		})
	})
}

// swapPayload puts the payload of other into tok, keeping tok's signature.
func swapPayload(t *testing.T, tok, other string) string {
	a := strings.Split(tok, ".")
	b := strings.Split(other, ".")
	return a[0] + "." + b[1] + "." + a[2]
}

func TestRefreshRotationAndReuse(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		u := e.Learner()

		first := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": u.Refresh})
		if first.Status != 200 {
			t.Fatalf("refresh: %d %s", first.Status, first.Body)
		}
		var pair struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		first.JSON(t, &pair)
		if pair.RefreshToken == u.Refresh {
			t.Fatal("refresh token was not rotated")
		}
		if res := e.Call("GET", api+"/me", pair.AccessToken, nil); res.Status != 200 {
			t.Fatalf("new access token: %d", res.Status)
		}
		// The spent token again: refused, and the family ends.
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": u.Refresh}); res.Status != 401 {
			t.Fatalf("reuse: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": pair.RefreshToken}); res.Status != 401 {
			t.Fatalf("family not ended after reuse: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": "made-up"}); res.Status != 401 {
			t.Fatalf("unknown token: %d", res.Status)
		}
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{}); res.Status != 422 {
			t.Fatalf("missing token: %d", res.Status)
		}
	})
}

func TestRefreshFamilyExpires(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		u := e.Learner()
		e.Clock.Advance(e.Config.RefreshTokenTTL + time.Second)
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": u.Refresh}); res.Status != 401 {
			t.Fatalf("expired family: %d %s", res.Status, res.Body)
		}
	})
}

func TestLogoutAndRevocation(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		admin := e.UserWithRole(web.RoleAdmin)

		t.Run("logout ends the refresh family", func(t *testing.T) {
			u := e.Learner()
			other := e.Learner()
			// Someone else's refresh token is not the caller's to end.
			if res := e.Call("POST", api+"/auth/logout", u.Token, map[string]any{"refresh_token": other.Refresh}); res.Status != 204 {
				t.Fatalf("logout other: %d", res.Status)
			}
			if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": other.Refresh}); res.Status != 200 {
				t.Fatalf("another user's token was ended: %d", res.Status)
			}
			if res := e.Call("POST", api+"/auth/logout", u.Token, map[string]any{"refresh_token": u.Refresh}); res.Status != 204 {
				t.Fatalf("logout: %d %s", res.Status, res.Body)
			}
			if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": u.Refresh}); res.Status != 401 {
				t.Fatalf("refresh after logout: %d", res.Status)
			}
			if res := e.Call("POST", api+"/auth/logout", "", map[string]any{"refresh_token": u.Refresh}); res.Status != 401 {
				t.Fatalf("logout without token: %d", res.Status)
			}
		})
		t.Run("logout everywhere cuts access tokens", func(t *testing.T) {
			u := e.Learner()
			if res := e.Call("POST", api+"/auth/logout", u.Token, map[string]any{"everywhere": true}); res.Status != 204 {
				t.Fatalf("logout everywhere: %d %s", res.Status, res.Body)
			}
			if res := e.Call("GET", api+"/me", u.Token, nil); res.Status != 401 {
				t.Fatalf("access after logout everywhere: %d", res.Status)
			}
		})
		t.Run("password change cuts access tokens", func(t *testing.T) {
			u := e.Learner()
			if res := e.Call("POST", api+"/me/password", u.Token, map[string]any{"current_password": "wrong one entirely", "new_password": "a brand new passphrase"}); res.Status != 403 {
				t.Fatalf("wrong current password: %d", res.Status)
			}
			if res := e.Call("POST", api+"/me/password", u.Token, map[string]any{"current_password": u.Password, "new_password": "a brand new passphrase"}); res.Status != 204 {
				t.Fatalf("change: %d %s", res.Status, res.Body)
			}
			if res := e.Call("GET", api+"/me", u.Token, nil); res.Status != 401 {
				t.Fatalf("old token still works: %d", res.Status)
			}
			if res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": "a brand new passphrase"}); res.Status != 200 {
				t.Fatalf("login with new password: %d", res.Status)
			}
		})
		t.Run("disable and role change cut access tokens", func(t *testing.T) {
			u := e.Learner()
			if res := e.Call("PATCH", api+"/users/"+u.ID, admin.Token, map[string]any{"role": "trainer"}); res.Status != 200 {
				t.Fatalf("role change: %d %s", res.Status, res.Body)
			}
			if res := e.Call("GET", api+"/me", u.Token, nil); res.Status != 401 {
				t.Fatalf("token survived role change: %d", res.Status)
			}
			login := e.Call("POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": u.Password})
			var s struct {
				AccessToken string `json:"access_token"`
			}
			login.JSON(t, &s)
			if res := e.Call("PATCH", api+"/users/"+u.ID, admin.Token, map[string]any{"disabled": true}); res.Status != 200 {
				t.Fatalf("disable: %d", res.Status)
			}
			if res := e.Call("GET", api+"/me", s.AccessToken, nil); res.Status != 401 {
				t.Fatalf("token survived disable: %d", res.Status)
			}
			if res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": u.Password}); res.Status != 401 {
				t.Fatalf("disabled account signed in: %d", res.Status)
			}
		})
	})
}

func TestSignInRateLimits(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		u := e.Learner()
		for i := 0; i < 5; i++ {
			if res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": "wrong password here"}); res.Status != 401 {
				t.Fatalf("failure %d: %d", i, res.Status)
			}
		}
		res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": strings.ToUpper(u.Email), "password": u.Password})
		if res.Status != 429 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("after 5 failures: %d %v %s", res.Status, res.Header, res.Body)
		}
		e.Clock.Advance(16 * time.Minute)
		if res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": u.Password}); res.Status != 200 {
			t.Fatalf("after the window: %d %s", res.Status, res.Body)
		}
	})
}

func TestPerAddressLimitLetsAClassIn(t *testing.T) {
	db := apptest.NewDB(t, apptest.Dialects(t)[0])
	e := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_RATE_AUTH_PER_ADDRESS": "130/10m"}})
	// A class of 60 registers and signs in from one address.
	for i := 0; i < 60; i++ {
		u := e.Learner()
		if res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": u.Password}); res.Status != 200 {
			t.Fatalf("learner %d login: %d", i, res.Status)
		}
	}
	var last apptest.Response
	for i := 0; i < 11; i++ {
		last = e.Call("POST", api+"/auth/login", "", map[string]any{"email": "x@example.org", "password": "whatever at all"})
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d %s", last.Status, last.Body)
	}
}

func TestIdempotencyKey(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		admin := e.UserWithRole(web.RoleAdmin)
		send := func(name string) apptest.Response {
			return e.Do(apptest.Request{Method: "POST", Path: api + "/organizations", Token: admin.Token,
				Body: map[string]any{"name": name}, Headers: map[string]string{"Idempotency-Key": "org-create-1"}})
		}
		a, b := send("Once Only"), send("Once Only")
		if a.Status != 201 || b.Status != 201 || string(a.Body) != string(b.Body) {
			t.Fatalf("replay differs: %d %s / %d %s", a.Status, a.Body, b.Status, b.Body)
		}
		if b.Header.Get("Idempotent-Replayed") != "true" {
			t.Error("replay not marked")
		}
		list := e.Call("GET", api+"/organizations?limit=100", admin.Token, nil)
		if n := strings.Count(string(list.Body), "Once Only"); n != 1 {
			t.Fatalf("%d organizations made, want 1", n)
		}
		if c := send("Another Name"); c.Status != 422 {
			t.Fatalf("same key, other body: %d %s", c.Status, c.Body)
		}
	})
}

// TestRegistrationRetriedWithIdempotencyKey: a client on a weak connection
// that retries its registration gets the first answer, not a 409.
func TestRegistrationRetriedWithIdempotencyKey(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	send := func() apptest.Response {
		return e.Do(apptest.Request{Method: "POST", Path: api + "/auth/register", Headers: map[string]string{"Idempotency-Key": "reg-1"},
			Body: map[string]any{"email": "retry@example.org", "password": "river candle mango seventy", "name": "Retry"}})
	}
	a, b := send(), send()
	if a.Status != 201 || b.Status != 201 || string(a.Body) != string(b.Body) {
		t.Fatalf("retried registration: %d / %d %s", a.Status, b.Status, b.Body)
	}
}
