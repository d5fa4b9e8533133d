// Package site serves Skillgate's web pages: server-rendered HTML that
// works with scripting off, in the reader's language, for learners on
// low-end phones over slow connections. Its handlers are the JSON
// handlers' siblings: they parse a form, call the same domain service and
// render a template with a view model made for the page. It never calls
// the API over HTTP and never reaches into a domain's store; the domains do
// not know it exists.
package site

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/accounts"
	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/certs"
	"skillgate/classes"
	"skillgate/courses"
	"skillgate/tiers"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Privacy exports and erases a user's data across every domain.
type Privacy interface {
	Export(ctx context.Context, userID string) (map[string]any, error)
	Erase(ctx context.Context, userID string) error
}

// Deps are the services the pages call.
type Deps struct {
	// Sessions keeps the web sessions (NewStore).
	Sessions    *Store
	Log         *slog.Logger
	Accounts    *accounts.Service
	Courses     *courses.Service
	Assessments *assessments.Service
	Certs       *certs.Service
	Tiers       *tiers.Service
	Classes     *classes.Service
	Privacy     Privacy
	Now         func() time.Time
	// BaseURL decides whether cookies are Secure (https) and names the site.
	BaseURL string
	// Limiter counts sign-in and sign-up requests per client address,
	// sharing the API's budget (AuthRate) so neither door is a way around
	// the other.
	Limiter  Limiter
	AuthRate Rate
	// IdleTimeout ends a web session unused this long; MaxAge ends any.
	IdleTimeout time.Duration
	MaxAge      time.Duration
}

// Limiter takes one request from a counter shared by every replica.
type Limiter interface {
	Take(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error)
}

// Rate is COUNT requests per WINDOW.
type Rate struct {
	Count  int
	Window time.Duration
}

// Site is the web edge.
type Site struct {
	d        Deps
	store    *Store
	sessions *sessionCache
	cat      *catalogue
	pages    map[string]*template.Template
	https    bool
	styleCSP string
	style    template.CSS
}

// New parses the templates and catalogues once.
func New(d Deps) (*Site, error) {
	if d.Now == nil {
		d.Now = func() time.Time { return time.Now().UTC() }
	}
	if d.IdleTimeout <= 0 {
		d.IdleTimeout = 30 * time.Minute
	}
	if d.MaxAge <= 0 {
		d.MaxAge = 12 * time.Hour
	}
	cat := newCatalogue()
	css, err := staticFS.ReadFile("static/site.css")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(css)
	s := &Site{d: d, store: d.Sessions, sessions: newSessionCache(), cat: cat, https: strings.HasPrefix(d.BaseURL, "https://"),
		style: template.CSS(css), styleCSP: "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"}
	if s.pages, err = sharedPages(); err != nil {
		return nil, err
	}
	return s, nil
}

var funcs = template.FuncMap{
	"inc":  func(i int) int { return i + 1 },
	"safe": func(s string) template.HTML { return template.HTML(s) }, // only for sanitiser output
	"pct": func(f float64) string {
		return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", f), "0"), ".")
	},
	"has":  func(set map[string]bool, k string) bool { return set[k] },
	"list": func(xs ...string) []string { return xs },
}

// sharedPages are the parsed templates of this process: they are embedded
// and never change, and a parsed template is safe to execute from many
// goroutines, so every Site (one per test platform) shares one parse.
var sharedPages = sync.OnceValues(parsePages)

func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("site: template %s: %w", n, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Mount adds nothing under /api/v1: the API stays Bearer-only and never
// reads the site's cookie.
func (s *Site) Mount(fiber.Router, web.Guard) {}

// MountRoot registers the pages at the site root.
func (s *Site) MountRoot(r fiber.Router) {
	r.Get("/static/app.js", s.asset("static/app.js", "text/javascript; charset=utf-8"))
	r.Get("/sw.js", s.asset("static/sw.js", "text/javascript; charset=utf-8"))

	// Each page route loads the session itself: a group middleware at the
	// root would run for /api/v1 too, which must never read the cookie.
	pg := pageRouter{r: r, load: s.load}
	pg.Get("/", s.catalogue)
	pg.Get("/login", s.loginForm)
	pg.Post("/login", s.csrf, s.limitAuth, s.login)
	pg.Get("/signup", s.signupForm)
	pg.Post("/signup", s.csrf, s.limitAuth, s.signup)
	pg.Post("/logout", s.csrf, s.logout)
	pg.Get("/card/:secret", s.limitAuth, s.cardSignIn)
	pg.Post("/card", s.csrf, s.limitAuth, s.cardSignIn)
	pg.Get("/courses/:slug", s.course)
	pg.Post("/courses/:slug/enroll", s.csrf, s.signedIn, s.enroll)
	pg.Get("/lessons/:id", s.signedIn, s.lesson)
	pg.Post("/lessons/:id/complete", s.csrf, s.signedIn, s.completeLesson)
	pg.Get("/assessments/:id", s.signedIn, s.assessment)
	pg.Post("/assessments/:id/start", s.csrf, s.signedIn, s.startAttempt)
	pg.Get("/attempts/:id", s.signedIn, s.attempt)
	pg.Post("/attempts/:id", s.csrf, s.signedIn, s.postAttempt)
	pg.Get("/certificates", s.signedIn, s.certificates)
	pg.Get("/certificates/:id/pdf", s.signedIn, s.certificatePDF)
	pg.Get("/me", s.signedIn, s.me)
	pg.Post("/me/language", s.csrf, s.signedIn, s.setLanguage)
	pg.Post("/me/password", s.csrf, s.signedIn, s.changePassword)
	pg.Get("/me/export", s.signedIn, s.export)
	pg.Get("/me/delete", s.signedIn, s.deleteForm)
	pg.Post("/me/delete", s.csrf, s.signedIn, s.deleteAccount)
	s.mountStaff(pg)
	// Mounted last: a person who mistypes an address gets a page in her
	// language, while API clients keep their problem+json.
	pg.Get("/*", s.notFound)
}

func (s *Site) notFound(c *fiber.Ctx) error {
	if strings.HasPrefix(c.Path(), "/api/") || !strings.Contains(c.Get(fiber.HeaderAccept), "text/html") {
		return c.Next() // a route mounted later may still match; else the problem+json 404
	}
	return s.errorPage(c, fiber.StatusNotFound, "")
}

type pageRouter struct {
	r    fiber.Router
	load fiber.Handler
}

func (p pageRouter) Get(path string, h ...fiber.Handler) {
	p.r.Get(path, append([]fiber.Handler{p.load}, h...)...)
}

func (p pageRouter) Post(path string, h ...fiber.Handler) {
	p.r.Post(path, append([]fiber.Handler{p.load}, h...)...)
}

// limitAuth counts sign-in forms against the client address, under the
// same key as the API's sign-in routes; past the limit the page says to
// wait, in the reader's language.
func (s *Site) limitAuth(c *fiber.Ctx) error {
	if s.d.Limiter == nil || s.d.AuthRate.Count == 0 {
		return c.Next()
	}
	ok, retry, err := s.d.Limiter.Take(c.UserContext(), "auth-addr:"+web.ClientIP(c), s.d.AuthRate.Count, s.d.AuthRate.Window)
	if err != nil {
		return s.fail(c, err)
	}
	if !ok {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(retry.Seconds())+1))
		return s.errorPage(c, fiber.StatusTooManyRequests, "")
	}
	return c.Next()
}

// Housekeeping deletes web sessions idle past their limit.
func (s *Site) Housekeeping(ctx context.Context) error {
	_, err := s.store.purge(ctx, s.d.Now().Add(-s.d.IdleTimeout))
	return err
}

func (s *Site) asset(name, ctype string) fiber.Handler {
	body, err := staticFS.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	sum := sha256.Sum256(body)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, ctype)
		c.Set(fiber.HeaderETag, etag)
		// Short, revalidated caching: a new release reaches phones within
		// an hour, and a revalidation costs a 304 of a few bytes.
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		if name == "static/sw.js" {
			c.Set("Service-Worker-Allowed", "/")
			c.Set(fiber.HeaderCacheControl, "no-cache")
			// A worker runs under its own script's CSP: the server's
			// default-src 'none' would block every fetch it makes, and
			// every page it serves would fail to load.
			c.Set("Content-Security-Policy", "default-src 'none'; connect-src 'self'")
		}
		if c.Get(fiber.HeaderIfNoneMatch) == etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		return c.Send(body)
	}
}

// view is what every page's template receives.
type view struct {
	L     *Lang
	User  *accounts.User
	CSRF  string
	Path  string
	Title string
	Style template.CSS
	Flash string
	Error string
	Page  any
	Other *Lang // the language the switch offers
	// Who names the session to the service worker (a hash, not the
	// secret), so that its cache belongs to one session only.
	Who     string
	Scripts bool
}

// render writes a page. Pages are personal: nothing is cached by the
// browser or a proxy, and the CSP allows only this site's script and the
// inline stylesheet by its hash.
func (s *Site) render(c *fiber.Ctx, status int, page string, title string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("site: no template %q", page)
	}
	r := reqOf(c)
	v := view{L: r.lang, User: r.user, CSRF: r.csrfToken(), Path: c.Path(), Title: title, Style: s.style,
		Page: data, Scripts: true}
	if r.sess != nil {
		v.Who = hashSecret(r.sess.ID)[:16]
	}
	v.Other = s.cat.langs["hi"]
	if r.lang.Code == "hi" {
		v.Other = s.cat.langs["en"]
	}
	if f := c.Cookies(flashCookie); f != "" {
		v.Flash = r.lang.T("flash." + f)
		if v.Flash == "flash."+f {
			v.Flash = ""
		}
		// Cleared at the path it was set with: Fiber's ClearCookie sends
		// no Path, so the browser would keep showing it for a minute.
		c.Cookie(&fiber.Cookie{Name: flashCookie, Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: s.https,
			Expires: time.Unix(0, 0)})
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout.html", v); err != nil {
		return fmt.Errorf("site: render %s: %w", page, err)
	}
	s.pageHeaders(c)
	c.Set(fiber.HeaderContentType, "text/html; charset=utf-8")
	c.Set(fiber.HeaderContentLanguage, r.lang.Code)
	c.Set(fiber.HeaderVary, "Cookie, Accept-Language")
	return c.Status(status).SendString(b.String())
}

func (s *Site) pageHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src "+s.styleCSP+
		"; img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
}

const flashCookie = "sg_flash"

// redirect sends the browser on with 303, so a reload never repeats a POST;
// flash names a message key shown once on the next page.
func (s *Site) redirect(c *fiber.Ctx, to, flash string) error {
	if flash != "" {
		c.Cookie(&fiber.Cookie{Name: flashCookie, Value: flash, Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: s.https, MaxAge: 60})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(to, fiber.StatusSeeOther)
}

// fail shows an error page in the reader's language for a domain error.
func (s *Site) fail(c *fiber.Ctx, err error) error {
	r := reqOf(c)
	e, ok := web.AsError(err)
	if !ok {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			return s.errorPage(c, fe.Code, "")
		}
		s.d.Log.Error("page failed", "path", c.Path(), "err", err)
		return s.errorPage(c, fiber.StatusInternalServerError, "")
	}
	p := web.ProblemFor(e)
	if p.Status == fiber.StatusUnauthorized && r.user == nil {
		return s.redirect(c, "/login?next="+safeNext(c.OriginalURL()), "")
	}
	if e.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(e.RetryAfter.Seconds())+1))
	}
	return s.errorPage(c, p.Status, "")
}

type errorView struct {
	Status  int
	Message string
}

func (s *Site) errorPage(c *fiber.Ctx, status int, msgKey string) error {
	r := reqOf(c)
	if msgKey == "" {
		msgKey = fmt.Sprintf("error.%d", status)
		if r.lang.T(msgKey) == msgKey {
			msgKey = "error.other"
		}
	}
	return s.render(c, status, "error", r.lang.T("error.title"), errorView{Status: status, Message: r.lang.T(msgKey)})
}
