package apptest

import (
	"strings"
	"testing"

	"skillgate/app/web"
)

// Scenario is one HTTP exchange and what its answer must show. A table of
// them documents an API: who may call what, with which body, and what
// comes back (after pocketbase's tests/api.go).
type Scenario struct {
	Name    string // defaults to "METHOD path"
	Method  string
	Path    string
	Token   string // sent as a Bearer token when set
	Body    any    // string or []byte as it is, anything else as JSON
	Headers map[string]string

	Status   int
	Problem  string   // the problem type's slug ("forbidden", "validation"), when an error is expected
	Contains []string // text the body must contain
	Absent   []string // text the body must not contain
	// Check, when set, looks further at the answer (decode it, re-read
	// what a refused request must not have changed).
	Check func(t *testing.T, res Response)
}

// leaks is text no answer may ever carry: a stack trace or SQL.
var leaks = []string{"goroutine", "SQLSTATE", "SELECT ", "INSERT "}

// Scenarios sends each scenario through the real app as a subtest, in order, so
// that later lines may rely on the effects of earlier ones.
func (e *Env) Scenarios(t *testing.T, cases []Scenario) {
	t.Helper()
	for _, sc := range cases {
		name := sc.Name
		if name == "" {
			name = sc.Method + " " + sc.Path
		}
		t.Run(name, func(t *testing.T) {
			res := e.do(t, Request{Method: sc.Method, Path: sc.Path, Token: sc.Token, Body: sc.Body, Headers: sc.Headers})
			sc.verify(t, res)
		})
	}
}

func (sc Scenario) verify(t *testing.T, res Response) {
	t.Helper()
	body := string(res.Body)
	if res.Status != sc.Status {
		t.Fatalf("status %d, want %d: %.2000s", res.Status, sc.Status, body)
	}
	if sc.Problem != "" {
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("content type %q, want application/problem+json", ct)
		}
		if !strings.Contains(body, `"type":"`+web.ProblemTypeBase+sc.Problem+`"`) {
			t.Errorf("problem type %q not in %s", sc.Problem, body)
		}
	}
	for _, s := range sc.Contains {
		if !strings.Contains(body, s) {
			t.Errorf("%q not in %.2000s", s, body)
		}
	}
	for _, s := range append(append([]string{}, sc.Absent...), leaks...) {
		if strings.Contains(body, s) {
			t.Errorf("%q must not be in %.2000s", s, body)
		}
	}
	if sc.Check != nil {
		sc.Check(t, res)
	}
}
