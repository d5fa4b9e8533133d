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

func TestAccountsHTTP(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		admin := e.UserWithRole(web.RoleAdmin)
		trainer := e.UserWithRole(web.RoleTrainer)
		employer := e.UserWithRole(web.RoleEmployer)
		learner := e.Learner()
		huge := `{"email":"big@example.org","password":"` + strings.Repeat("x", 2<<20) + `","name":"Big"}`

		e.Scenarios(t, []apptest.Scenario{
			{Name: "register ignores role", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "New.Person@Example.org", "password": "river candle mango seventy", "name": "New Person", "role": "admin", "locale": "hi"},
				Status: 201, Contains: []string{`"role":"learner"`, `"token_type":"Bearer"`, `"expires_in":900`, `"locale":"hi"`, `"organization_id":null`},
				Absent: []string{"password_hash", "river candle"}},
			{Name: "register duplicate email in other case", Method: "POST", Path: api + "/auth/register",
				Body: map[string]any{"email": "new.person@EXAMPLE.org", "password": "another long passphrase", "name": "Twin"}, Status: 409, Problem: "conflict"},
			{Name: "register short password", Method: "POST", Path: api + "/auth/register",
				Body: map[string]any{"email": "short@example.org", "password": "abc123xyz", "name": "S"}, Status: 422, Problem: "validation", Contains: []string{`"field":"password"`}},
			{Name: "register common password", Method: "POST", Path: api + "/auth/register",
				Body: map[string]any{"email": "common@example.org", "password": "1234567890", "name": "C"}, Status: 422, Problem: "validation", Contains: []string{"most common"}},
			{Name: "register common password any case", Method: "POST", Path: api + "/auth/register",
				Body: map[string]any{"email": "common2@example.org", "password": "PassWord123", "name": "C"}, Status: 422, Problem: "validation"},
			{Name: "register bad email and missing name", Method: "POST", Path: api + "/auth/register",
				Body: map[string]any{"email": "not-an-email", "password": "river candle mango seventy"}, Status: 422, Problem: "validation",
				Contains: []string{`"field":"email"`, `"field":"name"`}},
			{Name: "register malformed JSON", Method: "POST", Path: api + "/auth/register", Body: `{"email":`, Status: 400, Problem: "bad-request"},
			{Name: "register wrong type", Method: "POST", Path: api + "/auth/register", Body: `{"email":42,"password":"x","name":"y"}`, Status: 400, Problem: "bad-request", Contains: []string{"email"}},
			{Name: "register wrong content type", Method: "POST", Path: api + "/auth/register", Body: "email=a", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 415, Problem: "unsupported-media-type"},
			{Name: "register 2 MiB body", Method: "POST", Path: api + "/auth/register", Body: huge, Status: 413, Problem: "too-large"},

			{Name: "login", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"email": strings.ToUpper(learner.Email), "password": apptest.TestPassword},
				Status: 200, Contains: []string{`"access_token"`, `"refresh_token"`, learner.ID}},
			{Name: "login wrong password", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"email": learner.Email, "password": "wrong password here"},
				Status: 401, Problem: "unauthenticated", Contains: []string{"wrong email or password"}},
			{Name: "login unknown email same answer", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"email": "nobody@example.org", "password": "wrong password here"},
				Status: 401, Problem: "unauthenticated", Contains: []string{"wrong email or password"}},
			{Name: "login empty body", Method: "POST", Path: api + "/auth/login", Status: 422, Problem: "validation"},

			{Name: "me", Method: "GET", Path: api + "/me", Token: learner.Token, Status: 200,
				Contains: []string{`"id":"` + learner.ID, `"email":"` + learner.Email, `"role":"learner"`, `"locale":"en"`}, Absent: []string{"password"}},
			{Name: "me without token", Method: "GET", Path: api + "/me", Status: 401, Problem: "unauthenticated"},
			{Name: "me with basic auth", Method: "GET", Path: api + "/me", Headers: map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}, Status: 401, Problem: "unauthenticated"},
			{Name: "me with oversized header", Method: "GET", Path: api + "/me", Headers: map[string]string{"Authorization": "Bearer " + strings.Repeat("a", 5000)}, Status: 401, Problem: "unauthenticated"},
			{Name: "me with garbage token", Method: "GET", Path: api + "/me", Token: "not.a.token", Status: 401, Problem: "unauthenticated"},

			{Name: "admin creates trainer", Method: "POST", Path: api + "/users", Token: admin.Token,
				Body: map[string]any{"email": "t9@example.org", "password": "river candle mango seventy", "name": "Trainer Nine", "role": "trainer"}, Status: 201, Contains: []string{`"role":"trainer"`}},
			{Name: "admin creates employer without organization", Method: "POST", Path: api + "/users", Token: admin.Token,
				Body: map[string]any{"email": "e9@example.org", "password": "river candle mango seventy", "name": "E", "role": "employer"}, Status: 422, Contains: []string{"organization_id"}},
			{Name: "admin creates employer with unknown organization", Method: "POST", Path: api + "/users", Token: admin.Token,
				Body: map[string]any{"email": "e9@example.org", "password": "river candle mango seventy", "name": "E", "role": "employer", "organization_id": "nope"}, Status: 422, Contains: []string{"no such organization"}},
			{Name: "admin creates employer", Method: "POST", Path: api + "/users", Token: admin.Token,
				Body:   map[string]any{"email": "e9@example.org", "password": "river candle mango seventy", "name": "E", "role": "employer", "organization_id": employer.OrganizationID},
				Status: 201, Contains: []string{`"organization_id":"` + employer.OrganizationID}},
			{Name: "admin creates unknown role", Method: "POST", Path: api + "/users", Token: admin.Token,
				Body: map[string]any{"email": "x9@example.org", "password": "river candle mango seventy", "name": "X", "role": "root"}, Status: 422, Contains: []string{`"field":"role"`}},
			{Name: "learner cannot create users", Method: "POST", Path: api + "/users", Token: learner.Token,
				Body: map[string]any{"email": "z@example.org", "password": "river candle mango seventy", "name": "Z", "role": "admin"}, Status: 403, Problem: "forbidden"},
			{Name: "employer cannot create users", Method: "POST", Path: api + "/users", Token: employer.Token,
				Body: map[string]any{"email": "z@example.org", "password": "river candle mango seventy", "name": "Z", "role": "admin"}, Status: 403, Problem: "forbidden"},
			{Name: "trainer cannot list users", Method: "GET", Path: api + "/users", Token: trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "anonymous cannot list users", Method: "GET", Path: api + "/users", Status: 401, Problem: "unauthenticated"},
			{Name: "admin lists users", Method: "GET", Path: api + "/users?limit=2", Token: admin.Token, Status: 200, Contains: []string{`"items":[`, `"next_cursor":"`}},
			{Name: "admin lists with bad limit", Method: "GET", Path: api + "/users?limit=-1", Token: admin.Token, Status: 400, Problem: "bad-request"},
			{Name: "admin lists with bad cursor", Method: "GET", Path: api + "/users?cursor=%%%", Token: admin.Token, Status: 400, Problem: "bad-request"},
			{Name: "admin creates organization", Method: "POST", Path: api + "/organizations", Token: admin.Token, Body: map[string]any{"name": "Acme Data"}, Status: 201, Contains: []string{`"name":"Acme Data"`}},
			{Name: "organization without name", Method: "POST", Path: api + "/organizations", Token: admin.Token, Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "learner cannot create organization", Method: "POST", Path: api + "/organizations", Token: learner.Token, Body: map[string]any{"name": "X"}, Status: 403, Problem: "forbidden"},
			{Name: "employer reads own organization", Method: "GET", Path: api + "/organizations/" + employer.OrganizationID, Token: employer.Token, Status: 200},
			{Name: "employer cannot read another organization", Method: "GET", Path: api + "/organizations/" + e.UserWithRole(web.RoleEmployer).OrganizationID, Token: employer.Token, Status: 404},
			{Name: "learner cannot patch users", Method: "PATCH", Path: api + "/users/" + learner.ID, Token: learner.Token, Body: map[string]any{"role": "admin"}, Status: 403},
			{Name: "admin patches unknown user", Method: "PATCH", Path: api + "/users/nope", Token: admin.Token, Body: map[string]any{"disabled": true}, Status: 404},
			{Name: "admin cannot disable self", Method: "PATCH", Path: api + "/users/" + admin.ID, Token: admin.Token, Body: map[string]any{"disabled": true}, Status: 409},

			{Name: "learner cannot list organizations", Method: "GET", Path: api + "/organizations", Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "learner cannot read an organization", Method: "GET", Path: api + "/organizations/" + employer.OrganizationID, Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "admin patches with bad role", Method: "PATCH", Path: api + "/users/" + learner.ID, Token: admin.Token, Body: map[string]any{"role": "root"}, Status: 422, Problem: "validation"},
			{Name: "admin patches with malformed body", Method: "PATCH", Path: api + "/users/" + learner.ID, Token: admin.Token, Body: `{"role":`, Status: 400, Problem: "bad-request"},
			{Name: "admin patches with wrong type", Method: "PATCH", Path: api + "/users/" + learner.ID, Token: admin.Token, Body: `{"disabled":"yes"}`, Status: 400, Problem: "bad-request"},
			{Name: "logout with nothing to end", Method: "POST", Path: api + "/auth/logout", Token: learner.Token, Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "logout malformed", Method: "POST", Path: api + "/auth/logout", Token: learner.Token, Body: `[`, Status: 400, Problem: "bad-request"},
			{Name: "password change malformed", Method: "POST", Path: api + "/me/password", Token: learner.Token, Body: `{`, Status: 400, Problem: "bad-request"},
			{Name: "password change anonymous", Method: "POST", Path: api + "/me/password", Body: map[string]any{"current_password": "x", "new_password": "y"}, Status: 401, Problem: "unauthenticated"},
			{Name: "password change to a common one", Method: "POST", Path: api + "/me/password", Token: learner.Token,
				Body: map[string]any{"current_password": apptest.TestPassword, "new_password": "1234567890"}, Status: 422, Contains: []string{`"field":"new_password"`}},
			{Name: "refresh malformed", Method: "POST", Path: api + "/auth/refresh", Body: `{"refresh_token":1}`, Status: 400, Problem: "bad-request"},
			{Name: "unknown route", Method: "GET", Path: api + "/nothing-here", Status: 404, Problem: "not-found"},
			{Name: "wrong method", Method: "DELETE", Path: api + "/auth/login", Status: 405, Problem: "method-not-allowed"},
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
