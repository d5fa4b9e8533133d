package site_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"skillgate/app/apptest"
)

// browser is a small cookie-keeping client over the real Fiber app: what a
// phone's browser does with scripting off, one form at a time.
type browser struct {
	t       testing.TB
	e       *apptest.Env
	cookies map[string]string
	headers map[string]string
	last    string // the body of the last page, for its CSRF token
}

func newBrowser(t testing.TB, e *apptest.Env) *browser {
	return &browser{t: t, e: e, cookies: map[string]string{}, headers: map[string]string{}}
}

type page struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.headers {
		r.Header.Set(k, v)
	}
	var cs []string
	for k, v := range b.cookies {
		cs = append(cs, k+"="+v)
	}
	if len(cs) > 0 {
		r.Header.Set("Cookie", strings.Join(cs, "; "))
	}
	resp, err := b.e.App.Test(r, -1)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	p := page{Status: resp.StatusCode, Body: string(raw), Header: resp.Header, Location: resp.Header.Get("Location")}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b.last = p.Body
	}
	return p
}

// follow makes the request and follows redirects as a browser does.
func (b *browser) follow(method, path string, form url.Values) page {
	b.t.Helper()
	p := b.do(method, path, form)
	for i := 0; i < 5 && p.Status >= 300 && p.Status < 400; i++ {
		p = b.do("GET", p.Location, nil)
	}
	return p
}

func (b *browser) get(path string) page { b.t.Helper(); return b.follow("GET", path, nil) }

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// submit posts form with the CSRF token of the last page shown.
func (b *browser) submit(path string, form url.Values) page {
	b.t.Helper()
	m := csrfRe.FindStringSubmatch(b.last)
	if m == nil {
		b.t.Fatalf("no CSRF token on the last page:\n%s", b.last)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", m[1])
	return b.follow("POST", path, form)
}

func must(t *testing.T, p page, status int, want ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d\n%s", p.Status, status, p.Body)
	}
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Fatalf("page lacks %q:\n%s", w, p.Body)
		}
	}
}

func mustNot(t *testing.T, p page, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(p.Body, w) {
			t.Fatalf("page shows %q:\n%s", w, p.Body)
		}
	}
}

// signUp makes an account through the sign-up form.
func (b *browser) signUp(name, email string) page {
	b.t.Helper()
	b.get("/signup")
	return b.submit("/signup", url.Values{"name": {name}, "email": {email}, "password": {apptest.TestPassword}})
}
