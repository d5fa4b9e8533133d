package site

import (
	"encoding/json"
	"html/template"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/certs"
	"skillgate/tiers"
)

type certView struct {
	ID, Code, CourseTitle, CourseSlug string
	Status                            string
	Score                             float64
	Issued, Expires                   string
	VerifyURL, LinkedIn, ShareText    string
	QR                                template.URL // data: URI of the verify QR code, made here
}

type certificatesView struct{ Certificates []certView }

func (s *Site) certView(l *Lang, cert certs.Certificate) certView {
	now := s.d.Now()
	v := certView{ID: cert.ID, Code: cert.Code, CourseTitle: cert.CourseTitle, CourseSlug: cert.CourseSlug,
		Status: cert.Status(now), Score: cert.ScorePercent, Issued: l.Date(cert.IssuedAt),
		Expires: l.Date(cert.ExpiresAt), VerifyURL: cert.VerifyURL}
	q := url.Values{}
	q.Set("startTask", "CERTIFICATION_NAME")
	q.Set("name", cert.CourseTitle)
	q.Set("organizationName", "Skillgate")
	q.Set("issueYear", cert.IssuedAt.UTC().Format("2006"))
	q.Set("issueMonth", strings.TrimLeft(cert.IssuedAt.UTC().Format("01"), "0"))
	q.Set("expirationYear", cert.ExpiresAt.UTC().Format("2006"))
	q.Set("expirationMonth", strings.TrimLeft(cert.ExpiresAt.UTC().Format("01"), "0"))
	q.Set("certUrl", cert.VerifyURL)
	q.Set("certId", cert.Code)
	v.LinkedIn = "https://www.linkedin.com/profile/add?" + q.Encode()
	return v
}

func (s *Site) certificates(c *fiber.Ctx) error {
	r := reqOf(c)
	list, err := s.d.Certs.Mine(c.UserContext(), r.principal(), web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	v := certificatesView{}
	for _, cert := range list.Items {
		cv := s.certView(r.lang, cert)
		if qr, err := qrDataURI(cert.VerifyURL); err == nil {
			cv.QR = template.URL(qr) // our own PNG, not user input

		}
		v.Certificates = append(v.Certificates, cv)
	}
	return s.render(c, fiber.StatusOK, "certificates", r.lang.T("certs.title"), v)
}

func (s *Site) certificatePDF(c *fiber.Ctx) error {
	r := reqOf(c)
	cert, err := s.d.Certs.Get(c.UserContext(), r.principal(), c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	body, err := certs.RenderPDF(cert, s.d.Certs.BaseURL(), r.lang.Code) // in the holder's language
	if err != nil {
		return s.fail(c, err)
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="certificate-`+cert.Code+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}

type missingView struct {
	CourseSlug, CourseTitle, Reason string
}

type tierView struct {
	Name, Description string
	Rate              float64
	Eligible          bool
	Missing           []missingView
}

type checkView struct {
	Organization, Kind, When string
	Certificates             int
}

type meView struct {
	Name, Email, Username string
	Role, Locale          string
	Tier                  string
	Tiers                 []tierView
	Expiring              []certView
	Checks                []checkView
	Errors                map[string]string
	ByCard                bool
}

func (s *Site) me(c *fiber.Ctx) error { return s.renderMe(c, fiber.StatusOK, nil) }

func (s *Site) renderMe(c *fiber.Ctx, status int, errs map[string]string) error {
	r := reqOf(c)
	ctx := c.UserContext()
	u := r.user
	v := meView{Name: u.Name, Email: u.Email, Username: u.Username, Role: string(u.Role), Locale: r.lang.Code, Errors: errs, ByCard: r.sess.ByCard}
	all, err := s.d.Tiers.Tiers(ctx)
	if err != nil {
		return s.fail(c, err)
	}
	byslug := map[string]tiers.Tier{}
	for _, t := range all {
		byslug[t.Slug] = t
	}
	res, err := s.d.Tiers.MyTier(ctx, r.principal())
	if err != nil {
		return s.fail(c, err)
	}
	if res.Tier != nil {
		v.Tier = res.Tier.Name
	}
	titles := map[string]string{}
	title := func(slug string) string {
		if t, ok := titles[slug]; ok {
			return t
		}
		t := slug
		if st, err := s.d.Courses.LearnerStanding(ctx, "", slug); err == nil {
			t = st.Version.Title
		}
		titles[slug] = t
		return t
	}
	for _, st := range res.Tiers {
		t := byslug[st.Slug]
		tv := tierView{Name: t.Name, Description: t.Description, Rate: t.HourlyRateUSD, Eligible: st.Eligible}
		for _, m := range st.Missing {
			tv.Missing = append(tv.Missing, missingView{CourseSlug: m.CourseSlug, CourseTitle: title(m.CourseSlug),
				Reason: r.lang.T("tier.reason." + string(m.Reason))})
		}
		v.Tiers = append(v.Tiers, tv)
	}
	for _, e := range res.Expiring {
		v.Expiring = append(v.Expiring, certView{ID: e.CertificateID, CourseTitle: title(e.CourseSlug),
			Expires: r.lang.Date(e.ExpiresAt)})
	}
	checks, err := s.d.Tiers.MyVerifications(ctx, r.principal(), web.Page{Limit: 50})
	if err != nil {
		return s.fail(c, err)
	}
	for _, ch := range checks.Items {
		v.Checks = append(v.Checks, checkView{Organization: ch.OrganizationName, Kind: r.lang.T("checks.kind." + ch.Kind),
			When: r.lang.DateTime(ch.CheckedAt), Certificates: len(ch.CertificateIDs)})
	}
	return s.render(c, status, "me", r.lang.T("me.title"), v)
}

func (s *Site) setLanguage(c *fiber.Ctx) error {
	r := reqOf(c)
	l := s.cat.lang(c.FormValue("locale"))
	if l == nil {
		return s.renderMe(c, fiber.StatusUnprocessableEntity, map[string]string{"locale": r.lang.T("err.field.locale")})
	}
	if err := s.d.Accounts.SetLocale(c.UserContext(), r.user.ID, l.Code); err != nil {
		return s.fail(c, err)
	}
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: l.Code, Path: "/", MaxAge: 365 * 24 * 3600, HTTPOnly: true,
		SameSite: "Lax", Secure: s.https})
	return s.redirect(c, "/me", "language_saved")
}

func (s *Site) changePassword(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	next := c.FormValue("new_password")
	if next != c.FormValue("confirm_password") {
		return s.renderMe(c, fiber.StatusUnprocessableEntity, map[string]string{"confirm_password": r.lang.T("err.field.confirm_password")})
	}
	var err error
	if r.sess.ByCard && c.FormValue("current_password") == "" {
		// A session begun with the class card may set a password without
		// the old one (there may never have been one).
		err = s.d.Accounts.SetPasswordFromCard(ctx, r.user.ID, r.sess.FamilyID, next)
	} else {
		err = s.d.Accounts.ChangePassword(ctx, r.principal(), c.FormValue("current_password"), next)
	}
	if err != nil {
		if msgs, ok := fieldMessages(r.lang, err); ok {
			return s.renderMe(c, fiber.StatusUnprocessableEntity, msgs)
		}
		if web.IsKind(err, web.KindForbidden) {
			return s.renderMe(c, fiber.StatusForbidden, map[string]string{"current_password": r.lang.T("err.field.current_password")})
		}
		return s.fail(c, err)
	}
	// A password change ends every session, this one too: sign in again
	// with the new password so the learner stays where she is.
	login := r.user.Email
	if login == "" {
		login = r.user.Username
	}
	_ = s.store.deleteUser(ctx, r.user.ID)
	sess, err := s.d.Accounts.Login(ctx, login, next)
	if err != nil {
		s.clearSession(c)
		return s.redirect(c, "/login", "password_changed")
	}
	if err := s.begin(c, sess.User.ID, sess.RefreshToken, false); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, "/me", "password_changed")
}

func (s *Site) export(c *fiber.Ctx) error {
	r := reqOf(c)
	out, err := s.d.Privacy.Export(c.UserContext(), r.user.ID)
	if err != nil {
		return s.fail(c, err)
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return s.fail(c, err)
	}
	c.Set(fiber.HeaderContentType, "application/json; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="skillgate-export.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(body)
}

type deleteView struct {
	Certificates int
	Error        string
}

func (s *Site) deleteForm(c *fiber.Ctx) error {
	r := reqOf(c)
	if r.user.Role != web.RoleLearner {
		return s.errorPage(c, fiber.StatusForbidden, "error.delete_staff")
	}
	list, err := s.d.Certs.Mine(c.UserContext(), r.principal(), web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	return s.render(c, fiber.StatusOK, "delete", r.lang.T("delete.title"), deleteView{Certificates: len(list.Items)})
}

func (s *Site) deleteAccount(c *fiber.Ctx) error {
	r := reqOf(c)
	if r.user.Role != web.RoleLearner {
		return s.errorPage(c, fiber.StatusForbidden, "error.delete_staff")
	}
	if c.FormValue("confirm") != "yes" {
		return s.render(c, fiber.StatusUnprocessableEntity, "delete", r.lang.T("delete.title"),
			deleteView{Error: r.lang.T("delete.tick")})
	}
	ctx := c.UserContext()
	if err := s.d.Privacy.Erase(ctx, r.user.ID); err != nil {
		return s.fail(c, err)
	}
	_ = s.store.deleteUser(ctx, r.user.ID)
	s.end(c)
	return s.redirect(c, "/", "deleted")
}
