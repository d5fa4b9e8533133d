package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/web"
)

// FuzzRequestBodies sends arbitrary bodies to every route that takes one,
// as an admin and as a learner: whatever the body, the answer is never a
// 5xx and always JSON.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{`{}`, `{"email":"a@b.c","password":"x"}`, `{"answers":[{"question_id":"x","option_ids":["a"]}]}`,
		`{"ids":["x"],"tokens":["a.b.c"]}`, `[`, `{"title":"` + strings.Repeat("é", 300) + `"}`, `{"requirements":[{"min_percent":1e308}]}`,
		`{"url":"http://[::1]:0/"}`, `null`, `"string"`, `{"position":-1,"rank":99999999999999999999}`} {
		f.Add(uint8(0), seed)
	}
	e := apptest.New(f, apptest.NewDB(f, dbx.SQLite))
	var routes []fiber.Route
	for _, r := range e.App.GetRoutes(true) {
		if r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
			routes = append(routes, r)
		}
	}
	tokens := []string{e.UserWithRole(web.RoleAdmin).Token, e.Learner().Token}
	f.Fuzz(func(t *testing.T, pick uint8, body string) {
		r := routes[int(pick)%len(routes)]
		path := paramRe.ReplaceAllString(r.Path, "no-such-id")
		req := httptest.NewRequest(r.Method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens[int(pick)/len(routes)%len(tokens)])
		resp, err := e.App.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s with %q: %d", r.Method, path, body, resp.StatusCode)
		}
	})
}
