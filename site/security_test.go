package site_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
)

// TestFormsWithoutCSRFAreRefused: a POST without the page's token is 403
// and changes nothing.
func TestFormsWithoutCSRFAreRefused(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		b := newBrowser(t, e)
		p := b.do("POST", "/signup", url.Values{"name": {"X"}, "email": {"x@example.org"}, "password": {apptest.TestPassword}})
		must(t, p, 403, "This form is too old")
		if res := e.Call("POST", "/api/v1/auth/login", "", map[string]any{"email": "x@example.org", "password": apptest.TestPassword}); res.Status != 401 {
			t.Fatalf("the refused sign-up made an account: %d", res.Status)
		}

		b.signUp("Asha", "asha@example.org")
		for _, form := range []url.Values{{}, {"csrf": {"forged-token-forged-token-forged"}}} {
			p = b.do("POST", "/courses/"+course.CourseID+"/enroll", form)
			must(t, p, 403)
		}
		must(t, b.get("/courses/"+course.CourseID), 200, "Join this course")
	})
}

// TestAPIIgnoresTheSessionCookie: /api/v1 stays Bearer-only.
func TestAPIIgnoresTheSessionCookie(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := newBrowser(t, e)
		b.signUp("Asha", "asha@example.org")
		if len(b.cookies) == 0 {
			t.Fatal("no session cookie")
		}
		p := b.do("GET", "/api/v1/me", nil)
		if p.Status != 401 {
			t.Fatalf("cookie accepted by the API: %d %s", p.Status, p.Body)
		}
	})
}

// TestSessionCookie checks the cookie's attributes on http and https.
func TestSessionCookie(t *testing.T) {
	for _, base := range []string{"http://skillgate.test", "https://skillgate.test"} {
		e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]), apptest.Options{Env: map[string]string{"SKILLGATE_BASE_URL": base}})
		b := newBrowser(t, e)
		b.get("/signup")
		token := csrfRe.FindStringSubmatch(b.last)[1]
		p := b.do("POST", "/signup", url.Values{"csrf": {token}, "name": {"Asha"}, "email": {"asha@example.org"}, "password": {apptest.TestPassword}})
		var set string
		for _, h := range p.Header.Values("Set-Cookie") {
			if strings.Contains(h, "sg_session=") {
				set = h
			}
		}
		if set == "" {
			t.Fatalf("%s: no session cookie set", base)
		}
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(strings.ToLower(set), strings.ToLower(want)) {
				t.Errorf("%s: cookie %q lacks %s", base, set, want)
			}
		}
		https := strings.HasPrefix(base, "https")
		if strings.Contains(strings.ToLower(set), "secure") != https || strings.HasPrefix(set, "__Host-") != https {
			t.Errorf("%s: cookie %q", base, set)
		}
	}
}

// TestSessionsEnd: API logout everywhere, a password change and idle time
// each end the web session.
func TestSessionsEnd(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := newBrowser(t, e)
		b.signUp("Asha", "asha@example.org")
		must(t, b.get("/me"), 200, "My account")

		u := apptest.User{Email: "asha@example.org", Password: apptest.TestPassword}
		e.SignIn(&u)
		if res := e.Call("POST", "/api/v1/auth/logout", u.Token, map[string]any{"refresh_token": u.Refresh, "everywhere": true}); res.Status != 204 {
			t.Fatalf("logout: %d %s", res.Status, res.Body)
		}
		must(t, b.get("/me"), 200, "Please sign in first.")

		b.get("/login")
		must(t, b.submit("/login", url.Values{"login": {"asha@example.org"}, "password": {apptest.TestPassword}, "next": {"/me"}}), 200, "My account")
		e.Clock.Advance(31 * time.Minute)
		must(t, b.get("/me"), 200, "Please sign in first.")
	})
}

// TestOutputIsEscaped: a course title, a lesson body and a learner's name
// cannot put markup on a page.
func TestOutputIsEscaped(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		tr := e.UserWithRole("trainer")
		res := e.Call("POST", "/api/v1/courses", tr.Token, map[string]any{"slug": "xss", "title": `<script>alert(1)</script>Evil`,
			"summary": `<img src=x onerror=alert(2)>`, "language": "en"})
		var c struct{ ID string }
		res.JSON(t, &c)
		var m struct{ ID string }
		e.Call("POST", "/api/v1/courses/"+c.ID+"/modules", tr.Token, map[string]any{"title": "M"}).JSON(t, &m)
		e.Call("POST", "/api/v1/modules/"+m.ID+"/lessons", tr.Token, map[string]any{"title": "L",
			"body_markdown": "Hi <script>alert(3)</script> <a href=\"javascript:alert(4)\">x</a>"})
		if res := e.Call("POST", "/api/v1/courses/"+c.ID+"/publish", tr.Token, nil); res.Status != 200 {
			t.Fatalf("publish: %s", res.Body)
		}
		b := newBrowser(t, e)
		b.signUp(`<b onmouseover=alert(5)>Mallory</b>`, "m@example.org")
		for _, path := range []string{"/", "/courses/xss", "/me"} {
			p := b.get(path)
			mustNot(t, p, "<script>alert", "<img src=x", "<b onmouseover")
		}
		b.get("/courses/xss")
		p := b.submit("/courses/xss/enroll", nil)
		must(t, p, 200, "Hi")
		mustNot(t, p, "<script>alert", "javascript:alert")
	})
}

// TestLanguage: Accept-Language, ?lang= remembered, and the account's
// locale, in that order of strength as the contract says.
func TestLanguage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := newBrowser(t, e)
		must(t, b.get("/"), 200, `<html lang="en"`, "Courses")
		b.headers["Accept-Language"] = "hi-IN,hi;q=0.9,en;q=0.5"
		must(t, b.get("/"), 200, `<html lang="hi"`, "कोर्स")
		must(t, b.get("/?lang=en"), 200, `<html lang="en"`)
		must(t, b.get("/login"), 200, `<html lang="en"`, "Sign in")
		must(t, b.get("/login?lang=hi"), 200, `<html lang="hi"`, "साइन इन")

		// Errors on a page are in its language.
		b.get("/login")
		p := b.submit("/login", url.Values{"login": {"nobody@example.org"}, "password": {"wrong password 123"}})
		must(t, p, 401, "गलत है")

		// Signing up in Hindi keeps Hindi as the account's language, over
		// the browser's wish.
		b.headers["Accept-Language"] = "en"
		b.get("/signup?lang=hi")
		b.submit("/signup", url.Values{"name": {"आशा"}, "email": {"asha@example.org"}, "password": {apptest.TestPassword}})
		delete(b.cookies, "sg_lang")
		must(t, b.get("/me"), 200, `<html lang="hi"`, "मेरा खाता")
	})
}

// TestUnknownPages: a browser gets a page in its language, an API client
// problem+json.
func TestUnknownPages(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	b := newBrowser(t, e)
	b.headers["Accept"] = "text/html,application/xhtml+xml"
	b.headers["Accept-Language"] = "hi"
	must(t, b.get("/no/such/page"), 404, `<html lang="hi"`, "यह पेज मौजूद नहीं है")
	for _, path := range []string{"/api/v1/nothing", "/nothing"} {
		res := e.Call("GET", path, "", nil)
		if res.Status != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s", path, res.Status, res.Header.Get("Content-Type"))
		}
	}
}

// TestSignInFormsAreRateLimited: the sign-in form shares the API's
// per-address budget, and says so in the page's language.
func TestSignInFormsAreRateLimited(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]), apptest.Options{Env: map[string]string{"SKILLGATE_RATE_AUTH_PER_ADDRESS": "3/1m"}})
	b := newBrowser(t, e)
	b.headers["Accept-Language"] = "hi"
	var p page
	for i := 0; i < 4; i++ {
		b.get("/login")
		p = b.submit("/login", url.Values{"login": {"nobody@example.org"}, "password": {"not the password 1"}})
	}
	must(t, p, 429, "बहुत सारी कोशिशें")
	if p.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

// TestOtherLearnersObjects: another learner's attempt, its form and a
// certificate's PDF are not found; a control naming no question of the
// attempt is ignored and saves nothing.
func TestOtherLearnersObjects(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	course := e.NewCertificateCourse()
	owner := e.Learner()
	certID := course.Earn(owner)
	a := newBrowser(t, e)
	a.signUp("Asha", "asha@example.org")
	a.get("/courses/" + course.CourseID)
	a.submit("/courses/"+course.CourseID+"/enroll", nil)
	a.get("/assessments/" + course.FinalID)
	p := a.submit("/assessments/"+course.FinalID+"/start", nil)
	attemptID := attemptRe.FindStringSubmatch(p.Body)[1]

	m := newBrowser(t, e)
	m.signUp("Mallory", "mallory@example.org")
	must(t, m.get("/attempts/"+attemptID), 404)
	m.get("/")
	must(t, m.submit("/attempts/"+attemptID, url.Values{"action": {"submit"}, "confirm": {"yes"}}), 404)
	if pdf := m.do("GET", "/certificates/"+certID+"/pdf", nil); pdf.Status != 404 {
		t.Fatalf("another's certificate PDF: %d", pdf.Status)
	}

	// An answer naming an option of no question of the attempt is refused
	// and saves nothing.
	a.get("/attempts/" + attemptID)
	must(t, a.submit("/attempts/"+attemptID, url.Values{"action": {"save"}, "q-not-a-question": {"x"}}), 200, "Answered 0 of 3")
}
