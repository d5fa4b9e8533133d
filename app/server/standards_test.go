package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/server"
	"skillgate/app/web"
)

// TestEveryUnauthorizedCarriesAChallenge: RFC 9110 and 6750 want a
// WWW-Authenticate on every 401; error="invalid_token" when a token was
// sent and refused.
func TestEveryUnauthorizedCarriesAChallenge(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	cases := []struct {
		name, method, path, token string
		body                      any
		invalid                   bool
	}{
		{"no token", "GET", "/api/v1/me", "", nil, false},
		{"garbage token", "GET", "/api/v1/me", "not.a.token", nil, true},
		{"wrong password", "POST", "/api/v1/auth/login", "", map[string]any{"email": "x@example.org", "password": "wrong password here"}, false},
		{"bad refresh token", "POST", "/api/v1/auth/refresh", "", map[string]any{"refresh_token": "nope"}, false},
	}
	for _, tc := range cases {
		res := e.Call(tc.method, tc.path, tc.token, tc.body)
		h := res.Header.Get("WWW-Authenticate")
		if res.Status != 401 || !strings.HasPrefix(h, "Bearer") || strings.Contains(h, `error="invalid_token"`) != tc.invalid {
			t.Errorf("%s: %d WWW-Authenticate %q", tc.name, res.Status, h)
		}
	}
}

// TestUnknownMethodsAreProblemsAndCounted: a method known but not allowed
// is 405 with Allow; one not known at all is 501; both are problem+json
// and both reach the metrics.
func TestUnknownMethodsAreProblemsAndCounted(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	res := e.Call("DELETE", "/api/v1/auth/login", "", nil)
	if res.Status != 405 || res.Header.Get("Allow") == "" || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("DELETE on a POST route: %d %v %s", res.Status, res.Header, res.Body)
	}
	for _, m := range []string{"PROPFIND", "BREW"} {
		res = e.Call(m, "/api/v1/courses", "", nil)
		if res.Status != 501 || res.Header.Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(string(res.Body), `"status":501`) || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: %d %v %s", m, res.Status, res.Header, res.Body)
		}
	}
	metrics := string(e.Call("GET", "/metrics", "", nil).Body)
	for _, want := range []string{`skillgate_http_requests_total{method="OTHER",route="unmatched",status="501"} 2`,
		`method="DELETE",route="/api/v1",status="405"`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("%s not in the metrics", want)
		}
	}
	if strings.Contains(metrics, "PROPFIND") || strings.Contains(metrics, "BREW") {
		t.Error("a client-chosen method became a metric label")
	}
}

// TestBodyLimits: the 413 is titled as RFC 9110 names it, and only the
// named import routes take more than 1 MiB.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	big := strings.Repeat("x", 1<<20+1)
	for _, path := range []string{"/api/v1/auth/register", "/api/v1/auth/import", "/api/v1/courses/x/import", "/api/v1/anything/import"} {
		res := e.Do(apptest.Request{Method: "POST", Path: path, Body: big, Headers: map[string]string{"Content-Type": "text/plain"}})
		if res.Status != 413 || !strings.Contains(string(res.Body), `"title":"Content Too Large"`) {
			t.Errorf("POST %s with 1 MiB + 1: %d %s", path, res.Status, res.Body)
		}
	}
	// The GIFT import takes it (and answers 401 here: no token).
	for _, path := range []string{"/api/v1/courses/x/questions/import", "/API/V1/courses/x/questions/import/"} {
		res := e.Do(apptest.Request{Method: "POST", Path: path, Body: big, Headers: map[string]string{"Content-Type": "text/plain"}})
		if res.Status == 413 {
			t.Errorf("POST %s: 413 on an import route", path)
		}
	}
}

// TestErrorsMemberOnlyOnValidation: field messages appear on 422 and on a
// 400 for a field of the wrong type, never on other problems.
func TestErrorsMemberOnlyOnValidation(t *testing.T) {
	t.Parallel()
	fields := []web.FieldError{{Field: "x", Message: "bad"}}
	for _, k := range []web.Kind{web.KindConflict, web.KindForbidden, web.KindNotFound, web.KindUnauthenticated, web.KindRateLimited, web.KindTooLarge} {
		body, err := web.ProblemFor(&web.Error{Kind: k, Message: "m", Fields: fields, Extra: map[string]any{"errors": fields}}).MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), `"errors"`) {
			t.Errorf("kind %s: %s", k.Slug(), body)
		}
	}
	for _, k := range []web.Kind{web.KindValidation, web.KindBadRequest} {
		body, _ := web.ProblemFor(&web.Error{Kind: k, Message: "m", Fields: fields}).MarshalJSON()
		if !strings.Contains(string(body), `"errors":[{"field":"x"`) {
			t.Errorf("kind %s lost its field messages: %s", k.Slug(), body)
		}
	}
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	for _, tc := range []struct {
		method, path, token string
		status              int
	}{
		{"GET", "/api/v1/me", "", 401},
		{"GET", "/api/v1/nothing-here", "", 404},
		{"DELETE", "/api/v1/auth/login", "", 405},
		{"PROPFIND", "/api/v1/courses", "", 501},
	} {
		res := e.Call(tc.method, tc.path, tc.token, nil)
		if res.Status != tc.status || strings.Contains(string(res.Body), `"errors"`) {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, res.Status, res.Body)
		}
	}
}

// bodyless are the operations that take no request body.
var bodyless = []string{
	"postCoursesByIdPublish", "postCoursesByIdEnrollments", "postLessonsByIdComplete",
	"postAssessmentsByIdAttempts", "postCoursesByIdEndorse", "postUsersReset",
}

// TestOpenAPIOperationsAreComplete: every operation has a unique
// operationId; every POST under /api/v1 that may be retried names the
// Idempotency-Key parameter (the read-only checks, which are never
// replayed, do not); every POST, PUT and PATCH documents its body, except
// the few that take none.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	t.Parallel()
	doc, err := server.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	var d struct {
		Paths map[string]map[string]struct {
			OperationID string           `json:"operationId"`
			Parameters  []map[string]any `json:"parameters"`
			RequestBody *struct {
				Content map[string]struct {
					Schema map[string]any `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	never := []string{"/api/v1/verify", "/api/v1/verify/batch", "/api/v1/eligibility"}
	seen := map[string]string{}
	for path, ops := range d.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			where := strings.ToUpper(method) + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := seen[op.OperationID]; dup {
				t.Errorf("%s and %s share operationId %s", where, other, op.OperationID)
			}
			seen[op.OperationID] = where
			idem := false
			for _, p := range op.Parameters {
				if p["$ref"] == "#/components/parameters/idempotencyKey" || (p["name"] == "Idempotency-Key" && p["in"] == "header") {
					idem = true
				}
			}
			wantIdem := method == "post" && strings.HasPrefix(path, "/api/v1/") && !slices.Contains(never, path)
			if idem != wantIdem {
				t.Errorf("%s: Idempotency-Key parameter %v, want %v", where, idem, wantIdem)
			}
			if method == "post" || method == "put" || method == "patch" {
				documented := op.RequestBody != nil && len(op.RequestBody.Content) > 0
				for _, c := range func() map[string]struct {
					Schema map[string]any `json:"schema"`
				} {
					if op.RequestBody == nil {
						return nil
					}
					return op.RequestBody.Content
				}() {
					if len(c.Schema) == 0 {
						documented = false
					}
				}
				if documented == slices.Contains(bodyless, op.OperationID) {
					t.Errorf("%s (%s): request body documented %v", where, op.OperationID, documented)
				}
			}
		}
	}
	if c := doc["components"].(map[string]any)["parameters"].(map[string]any)["idempotencyKey"].(map[string]any); c["name"] != http.CanonicalHeaderKey("Idempotency-Key") {
		t.Errorf("the idempotencyKey parameter is %v", c)
	}
}
