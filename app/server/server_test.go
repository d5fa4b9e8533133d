package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/idempotency"
	"skillgate/app/server"
	"skillgate/app/web"
)

var paramRe = regexp.MustCompile(`:([A-Za-z_]+)\??`)

// TestOpenAPICoversEveryRoute fails when a registered route is missing from
// openapi.json, or the document names a route that does not exist.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	res := e.Call("GET", "/openapi.json", "", nil)
	if res.Status != 200 {
		t.Fatalf("openapi.json: %d", res.Status)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	res.JSON(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, r := range e.App.GetRoutes(true) {
		if r.Method == "HEAD" || r.Method == "OPTIONS" || r.Method == "CONNECT" || r.Method == "TRACE" {
			continue
		}
		if strings.Contains(r.Path, "*") {
			continue // the site's catch-all not-found page is no operation
		}
		path := paramRe.ReplaceAllString(r.Path, "{$1}")
		key := strings.ToLower(r.Method) + " " + path
		registered[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			if !registered[m+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not registered", m, path)
			}
		}
	}
}

type panicky struct{}

func (panicky) Mount(api fiber.Router, g web.Guard) {
	api.Get("/test/panic", func(*fiber.Ctx) error { panic("boom: secret internals") })
	api.Get("/test/error", func(*fiber.Ctx) error { return errors.New("pq: relation users does not exist") })
	api.Get("/test/cooldown", func(*fiber.Ctx) error {
		return &web.Error{Kind: web.KindConflict, Message: "in cooldown", Extra: map[string]any{"retry_at": "2030-01-01T00:00:00Z"}}
	})
}

func TestErrorsAreProblems(t *testing.T) {
	t.Parallel()
	db := apptest.NewDB(t, dbx.SQLite)
	cfg := apptest.Config(t, nil)
	app := server.New(cfg, server.Deps{Ready: dbx.HandleOf(db).Ping, Idempotency: idempotency.NewStore(db), Log: apptest.Log(), Domains: []server.Mounter{panicky{}}})
	for _, tc := range []struct {
		method, path string
		status       int
		must, mustNo []string
	}{
		{"GET", "/api/v1/test/panic", 500, []string{`"status":500`}, []string{"boom", "secret"}},
		{"GET", "/api/v1/test/error", 500, []string{`"status":500`}, []string{"relation", "pq:"}},
		{"GET", "/api/v1/test/cooldown", 409, []string{`"retry_at":"2030-01-01T00:00:00Z"`, `"detail":"in cooldown"`}, nil},
		{"GET", "/nowhere", 404, []string{`"status":404`}, nil},
		{"POST", "/healthz", 405, []string{`"status":405`}, nil},
	} {
		resp, err := app.Test(httptest.NewRequest(tc.method, tc.path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		buf := make([]byte, 4096)
		n, _ := resp.Body.Read(buf)
		body.Write(buf[:n])
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body.String())
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(body.String()), &m); err != nil {
			t.Errorf("%s: not JSON: %s", tc.path, body.String())
		}
		for _, s := range tc.must {
			if !strings.Contains(body.String(), s) {
				t.Errorf("%s: %q not in %s", tc.path, s, body.String())
			}
		}
		for _, s := range tc.mustNo {
			if strings.Contains(body.String(), s) {
				t.Errorf("%s: %q leaked in %s", tc.path, s, body.String())
			}
		}
	}
	resp, err := app.Test(httptest.NewRequest("GET", "/metrics", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(raw), `skillgate_http_requests_total{method="GET",route="/api/v1/test/panic",status="500"} 1`) {
		t.Errorf("the panic was not counted:\n%s", raw)
	}
}

func TestOperations(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	if res := e.Call("GET", "/healthz", "", nil); res.Status != 200 {
		t.Fatalf("healthz %d", res.Status)
	}
	if res := e.Call("GET", "/readyz", "", nil); res.Status != 200 {
		t.Fatalf("readyz %d", res.Status)
	}
	e.Call("POST", "/api/v1/auth/login", "", map[string]any{"email": "x@example.org", "password": "nothing much"})
	res := e.Call("GET", "/metrics", "", nil)
	if res.Status != 200 || !strings.Contains(string(res.Body), `skillgate_http_requests_total{method="POST",route="/api/v1/auth/login",status="401"} 1`) ||
		!strings.Contains(string(res.Body), "skillgate_http_request_duration_seconds_bucket") ||
		!strings.Contains(string(res.Body), `go_sql_wait_count_total{db_name="skillgate"}`) ||
		!strings.Contains(string(res.Body), `go_sql_max_open_connections{db_name="skillgate"}`) {
		t.Fatalf("metrics: %d %s", res.Status, res.Body)
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "X-Request-Id"} {
		if res.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	// With the database gone, readiness says so.
	_ = dbx.Close(e.DB)
	res = e.Call("GET", "/readyz", "", nil)
	if res.Status != 503 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("readyz with the database closed: %d %s", res.Status, res.Body)
	}
	if res = e.Call("GET", "/healthz", "", nil); res.Status != 200 {
		t.Fatalf("healthz with the database closed: %d", res.Status)
	}
}

// TestCompressedBodiesAreRefused: a gzip bomb must not be inflated.
func TestCompressedBodiesAreRefused(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bytes.Repeat([]byte(" "), 64<<20)) // 64 MiB of spaces, about 64 KiB compressed
	zw.Close()
	res := e.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/login", Body: buf.Bytes(),
		Headers: map[string]string{"Content-Encoding": "gzip"}})
	if res.Status != 415 {
		t.Fatalf("gzip body: %d %s", res.Status, res.Body)
	}
}
