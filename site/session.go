package site

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/accounts"
	"skillgate/app/web"
)

// req is what the site knows of one request.
type req struct {
	site *Site
	c    *fiber.Ctx
	lang *Lang
	user *accounts.User
	sess *session
	// anonCSRF is the double-submit token of a visitor not signed in.
	anonCSRF string
}

const reqKey = "skillgate.site.req"

func reqOf(c *fiber.Ctx) *req {
	r, _ := c.Locals(reqKey).(*req)
	if r == nil {
		r = &req{c: c}
	}
	return r
}

// principal is the signed-in user as the services know callers.
func (r *req) principal() web.Principal { return r.user.Principal() }

func (s *Site) sessionCookie() string {
	if s.https {
		return "__Host-sg_session" // Secure, Path=/, no Domain: no other host may set it
	}
	return "sg_session"
}

func (s *Site) csrfCookie() string {
	if s.https {
		return "__Host-sg_csrf"
	}
	return "sg_csrf"
}

const langCookie = "sg_lang"

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// load finds the session and the language of every page request.
func (s *Site) load(c *fiber.Ctx) error {
	r := &req{site: s, c: c}
	c.Locals(reqKey, r)
	if secret := c.Cookies(s.sessionCookie()); secret != "" && len(secret) < 100 {
		if err := s.signedInAs(c, r, hashSecret(secret)); err != nil {
			return s.fail(c, err)
		}
	}
	r.lang = s.chooseLanguage(c, r)
	return c.Next()
}

// signedInAs finds the web session id names, and its account, for r. A
// session past its limits is ended, one whose family or account is no
// longer usable is forgotten; either way the cookie is cleared and r stays
// signed out. Signed-in pages read nothing from the database here but a
// write of the time last seen every touchEvery (sessioncache.go).
func (s *Site) signedInAs(c *fiber.Ctx, r *req, id string) error {
	ctx := c.UserContext()
	sess, err := s.session(ctx, id)
	if err == errNoSession {
		s.clearSession(c)
		return nil
	}
	if err != nil {
		return err
	}
	now := s.d.Now()
	if now.Sub(sess.Seen) > s.d.IdleTimeout && now.Sub(sess.Created) <= s.d.MaxAge {
		// Idle by what this replica remembers; another may have seen it
		// since.
		if sess, err = s.fresh(ctx, id); err == errNoSession {
			s.clearSession(c)
			return nil
		} else if err != nil {
			return err
		}
	}
	if now.Sub(sess.Seen) > s.d.IdleTimeout || now.Sub(sess.Created) > s.d.MaxAge {
		_ = s.deleteSession(ctx, sess.ID)
		_ = s.d.Accounts.EndFamily(ctx, sess.FamilyID)
		s.clearSession(c)
		return nil
	}
	u, err := s.d.Accounts.FamilyUser(ctx, sess.UserID, sess.FamilyID)
	if err != nil {
		if !web.IsKind(err, web.KindUnauthenticated) {
			return err
		}
		_ = s.deleteSession(ctx, sess.ID)
		s.clearSession(c)
		return nil
	}
	if now.Sub(sess.Seen) > touchEvery {
		live, err := s.touchSession(ctx, sess.ID, now)
		if err == nil && !live {
			s.clearSession(c) // purged as idle meanwhile
			return nil
		}
		if err == nil {
			sess.Seen = now
		}
	}
	r.user, r.sess = &u, &sess
	return nil
}

// chooseLanguage applies the contract: ?lang= switches and is remembered,
// else the account's locale, else the remembered choice, else the
// browser's Accept-Language, else English.
func (s *Site) chooseLanguage(c *fiber.Ctx, r *req) *Lang {
	if q := c.Query("lang"); q != "" {
		if l := s.cat.lang(q); l != nil {
			c.Cookie(&fiber.Cookie{Name: langCookie, Value: l.Code, Path: "/", MaxAge: 365 * 24 * 3600,
				HTTPOnly: true, SameSite: "Lax", Secure: s.https})
			if r.user != nil && r.user.Locale != l.Code {
				if err := s.d.Accounts.SetLocale(c.UserContext(), r.user.ID, l.Code); err == nil {
					r.user.Locale = l.Code
				}
			}
			return l
		}
	}
	if r.user != nil {
		if l := s.cat.lang(r.user.Locale); l != nil {
			return l
		}
	}
	if l := s.cat.lang(c.Cookies(langCookie)); l != nil {
		return l
	}
	if l := s.cat.fromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)); l != nil {
		return l
	}
	return s.cat.langs["en"]
}

// csrfToken is the token the page's forms carry: the session's own when
// signed in, else a double-submit cookie set on first need.
func (r *req) csrfToken() string {
	if r.sess != nil {
		return r.sess.CSRF
	}
	if r.anonCSRF != "" {
		return r.anonCSRF
	}
	if v := r.c.Cookies(r.site.csrfCookie()); len(v) >= 20 && len(v) < 100 {
		r.anonCSRF = v
		return v
	}
	r.anonCSRF = randomToken(24)
	r.c.Cookie(&fiber.Cookie{Name: r.site.csrfCookie(), Value: r.anonCSRF, Path: "/", HTTPOnly: true,
		SameSite: "Lax", Secure: r.site.https})
	return r.anonCSRF
}

// csrf refuses a state-changing form without the page's token: 403, and
// nothing changes.
func (s *Site) csrf(c *fiber.Ctx) error {
	r := reqOf(c)
	got := c.FormValue("csrf")
	want := ""
	if r.sess != nil {
		want = r.sess.CSRF
	} else {
		want = c.Cookies(s.csrfCookie())
	}
	if want == "" || len(got) != len(want) || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return s.errorPage(c, fiber.StatusForbidden, "error.csrf")
	}
	return c.Next()
}

// signedIn sends visitors to the sign-in page and back afterwards.
func (s *Site) signedIn(c *fiber.Ctx) error {
	if reqOf(c).user == nil {
		if c.Method() != fiber.MethodGet {
			return s.redirect(c, "/login", "signin_needed")
		}
		return s.redirect(c, "/login?next="+safeNext(c.OriginalURL()), "signin_needed")
	}
	return c.Next()
}

// safeNext keeps a return address on this site.
func safeNext(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		p = "/"
	}
	return url.QueryEscape(p)
}

func nextOf(raw string) string {
	if raw == "" || !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") || strings.HasPrefix(raw, "/\\") ||
		strings.ContainsAny(raw, "\r\n") {
		return "/"
	}
	return raw
}

// begin stores a web session for a refresh token just handed out and sets
// its cookie. The token itself is not kept: only its family, which
// accounts keeps alive until sign-out, logout everywhere or a password
// change.
func (s *Site) begin(c *fiber.Ctx, userID, refreshToken string, byCard bool) error {
	ctx := c.UserContext()
	family, err := s.d.Accounts.FamilyOf(ctx, refreshToken)
	if err != nil {
		return err
	}
	secret := randomToken(32)
	now := s.d.Now()
	sess := session{ID: hashSecret(secret), UserID: userID, FamilyID: family, CSRF: randomToken(24), ByCard: byCard,
		Created: now, Seen: now}
	if err := s.store.create(ctx, sess); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: s.sessionCookie(), Value: secret, Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: s.https, MaxAge: int(s.d.MaxAge.Seconds())})
	s.expireCookie(c, s.csrfCookie())
	return nil
}

func (s *Site) clearSession(c *fiber.Ctx) { s.expireCookie(c, s.sessionCookie()) }

// expireCookie deletes a cookie set at the site root: the same name and
// path, a date in the past (Fiber's ClearCookie sends no path).
func (s *Site) expireCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: s.https,
		Expires: time.Unix(1, 0)})
}

// end signs the browser out: the family is revoked, the row deleted, and
// the browser told to drop what it cached of this site (the service
// worker's caches too), so the next person on a shared phone finds nothing.
func (s *Site) end(c *fiber.Ctx) {
	r := reqOf(c)
	if r.sess != nil {
		ctx := c.UserContext()
		_ = s.d.Accounts.EndFamily(ctx, r.sess.FamilyID)
		_ = s.deleteSession(ctx, r.sess.ID)
	}
	s.clearSession(c)
	c.Set("Clear-Site-Data", `"cache", "storage"`)
	r.user, r.sess = nil, nil
}
