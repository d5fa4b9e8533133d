package server_test

import (
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/web"
)

// who may call each route: A anonymous, L learner, T trainer, E employer,
// D admin. A caller not listed gets 401 (anonymous) or 403; a caller
// listed never does (unknown ids then answer 404, empty bodies 422, and
// so on). Every registered route must be in this table.
var authorization = map[string]string{
	"GET /healthz":                                            "ALTED",
	"GET /readyz":                                             "ALTED",
	"GET /metrics":                                            "ALTED",
	"GET /openapi.json":                                       "ALTED",
	"GET /.well-known/jwks.json":                              "ALTED",
	"GET /verify/{id}":                                        "ALTED",
	"GET /verify":                                             "ALTED",
	"GET /issuer":                                             "ALTED",
	"GET /achievements/{slug}/{version}":                      "ALTED",
	"POST /api/v1/auth/register":                              "ALTED",
	"POST /api/v1/auth/login":                                 "ALTED",
	"POST /api/v1/auth/refresh":                               "ALTED",
	"POST /api/v1/auth/logout":                                "LTED",
	"GET /api/v1/me":                                          "LTED",
	"DELETE /api/v1/me":                                       "L",
	"GET /api/v1/me/export":                                   "LTED",
	"POST /api/v1/me/password":                                "LTED",
	"POST /api/v1/users":                                      "D",
	"GET /api/v1/users":                                       "D",
	"PATCH /api/v1/users/{id}":                                "D",
	"POST /api/v1/users/{id}/reset":                           "D",
	"POST /api/v1/auth/card":                                  "ALTED",
	"POST /api/v1/classes":                                    "TD",
	"GET /api/v1/classes":                                     "TD",
	"GET /api/v1/classes/{id}":                                "TD",
	"PATCH /api/v1/classes/{id}":                              "TD",
	"POST /api/v1/classes/{id}/learners":                      "TD",
	"GET /api/v1/classes/{id}/progress":                       "TD",
	"POST /api/v1/classes/{id}/cards":                         "TD",
	"POST /api/v1/organizations":                              "D",
	"GET /api/v1/organizations":                               "D",
	"GET /api/v1/organizations/{id}":                          "ED",
	"GET /api/v1/courses":                                     "ALTED",
	"POST /api/v1/courses":                                    "TD",
	"GET /api/v1/courses/{id}":                                "ALTED",
	"PATCH /api/v1/courses/{id}":                              "TD",
	"POST /api/v1/courses/{id}/modules":                       "TD",
	"POST /api/v1/courses/{id}/publish":                       "TD",
	"POST /api/v1/courses/{id}/endorse":                       "D",
	"POST /api/v1/courses/{id}/enrollments":                   "L",
	"GET /api/v1/courses/{id}/package":                        "LTED",
	"GET /api/v1/courses/{id}/images/{name}":                  "ALTED",
	"POST /api/v1/modules/{id}/lessons":                       "TD",
	"GET /api/v1/lessons/{id}":                                "LTED",
	"PATCH /api/v1/lessons/{id}":                              "TD",
	"DELETE /api/v1/lessons/{id}":                             "TD",
	"PATCH /api/v1/modules/{id}":                              "TD",
	"DELETE /api/v1/modules/{id}":                             "TD",
	"PATCH /api/v1/questions/{id}":                            "TD",
	"DELETE /api/v1/questions/{id}":                           "TD",
	"PATCH /api/v1/assessments/{id}":                          "TD",
	"DELETE /api/v1/assessments/{id}":                         "TD",
	"POST /api/v1/lessons/{id}/complete":                      "L",
	"GET /api/v1/me/enrollments":                              "L",
	"POST /api/v1/courses/{id}/questions/import":              "TD",
	"POST /api/v1/courses/{id}/questions":                     "TD",
	"GET /api/v1/courses/{id}/questions":                      "TD",
	"POST /api/v1/courses/{id}/assessments":                   "TD",
	"GET /api/v1/courses/{id}/assessments":                    "ALTED",
	"POST /api/v1/assessments/{id}/attempts":                  "L",
	"GET /api/v1/assessments/{id}/statistics":                 "TD",
	"PUT /api/v1/attempts/{id}/answers":                       "L",
	"POST /api/v1/attempts/{id}/submit":                       "L",
	"GET /api/v1/attempts/{id}":                               "LTED",
	"GET /api/v1/me/certificates":                             "L",
	"GET /api/v1/certificates/{id}":                           "LTED",
	"GET /api/v1/certificates/{id}/pdf":                       "LTED",
	"POST /api/v1/certificates/{id}/revoke":                   "TD",
	"POST /api/v1/verify/batch":                               "ED",
	"GET /api/v1/verify/{id}":                                 "ALTED",
	"POST /api/v1/verify":                                     "ALTED",
	"GET /api/v1/status-lists/{id}":                           "ALTED",
	"GET /api/v1/tiers":                                       "ALTED",
	"POST /api/v1/tiers":                                      "D",
	"PUT /api/v1/tiers/{id}":                                  "D",
	"GET /api/v1/me/tier":                                     "L",
	"GET /api/v1/me/verifications":                            "L",
	"POST /api/v1/eligibility":                                "ED",
	"GET /api/v1/organizations/{id}/verifications":            "ED",
	"POST /api/v1/organizations/{id}/webhooks":                "ED",
	"GET /api/v1/organizations/{id}/webhooks":                 "ED",
	"DELETE /api/v1/organizations/{id}/webhooks/{webhook_id}": "ED",
}

// webPages are the site's routes. They never accept a bearer token, only
// the site's session cookie, and every POST needs the page's CSRF token, so
// this table's bearer walk cannot exercise them: site/security_test.go and
// site/journey_test.go cover who may use them.
var webPages = map[string]bool{
	"GET /": true, "GET /login": true, "POST /login": true, "GET /signup": true, "POST /signup": true,
	"POST /logout": true, "GET /courses/{slug}": true, "POST /courses/{slug}/enroll": true,
	"GET /lessons/{id}": true, "POST /lessons/{id}/complete": true, "GET /assessments/{id}": true,
	"POST /assessments/{id}/start": true, "GET /attempts/{id}": true, "POST /attempts/{id}": true,
	"GET /certificates": true, "GET /certificates/{id}/pdf": true, "GET /me": true, "POST /me/language": true,
	"POST /me/password": true, "GET /me/export": true, "GET /me/delete": true, "POST /me/delete": true,
	"GET /static/app.js": true, "GET /sw.js": true, "GET /*": true, "GET /card/{secret}": true, "POST /card": true,
}

// TestEveryRouteWithEveryRole walks every registered route as every role.
func TestEveryRouteWithEveryRole(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	tokens := map[byte]string{'A': "", 'L': e.Learner().Token, 'T': e.UserWithRole(web.RoleTrainer).Token,
		'E': e.UserWithRole(web.RoleEmployer).Token, 'D': e.UserWithRole(web.RoleAdmin).Token}
	seen := map[string]bool{}
	for _, r := range e.App.GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "OPTIONS" || r.Method == "CONNECT" || r.Method == "TRACE" {
			continue
		}
		key := r.Method + " " + paramRe.ReplaceAllString(r.Path, "{$1}")
		if seen[key] {
			continue
		}
		seen[key] = true
		if webPages[key] || strings.HasPrefix(r.Path, "/staff") {
			continue // the staff pages are web pages too: site/staff_test.go
		}
		allowed, ok := authorization[key]
		if !ok {
			t.Errorf("%s has no rule in the authorization table", key)
			continue
		}
		path := paramRe.ReplaceAllString(r.Path, "no-such-id")
		for _, role := range []byte("ALTED") {
			var body any
			if r.Method != "GET" && r.Method != "DELETE" {
				body = map[string]any{}
			}
			token := tokens[role]
			if key == "DELETE /api/v1/me" && role == 'L' {
				token = e.Learner().Token // deleting ends the account: use one of its own
			}
			res := e.Call(r.Method, path, token, body)
			may := strings.IndexByte(allowed, role) >= 0
			switch {
			case res.Status >= 500:
				t.Errorf("%s as %c: %d %s", key, role, res.Status, res.Body)
			case may && (res.Status == 401 || res.Status == 403):
				t.Errorf("%s as %c: %d, but the table allows it: %s", key, role, res.Status, res.Body)
			case !may && role == 'A' && res.Status != 401:
				t.Errorf("%s anonymous: %d, want 401", key, res.Status)
			case !may && role != 'A' && res.Status != 403:
				t.Errorf("%s as %c: %d, want 403", key, role, res.Status)
			}
		}
	}
	for key := range authorization {
		if !seen[key] {
			t.Errorf("the table names %s, which is not registered", key)
		}
	}
}
