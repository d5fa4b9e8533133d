package site

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/certs"
	"skillgate/tiers"
)

// The staff pages, under /staff/: trainers author and teach, employers
// verify, admins run the platform. Same rules as the learner's pages —
// server-rendered, working without script, CSRF on every form, both
// languages — laid out for a desktop first.

func (s *Site) mountStaff(pg pageRouter) {
	pg.Get("/staff", s.staffOnly(), s.staffHome)
	// Employers (and admins): verification.
	pg.Get("/staff/verify", s.staffOnly(web.RoleEmployer), s.verifyForm)
	pg.Post("/staff/verify", s.csrf, s.staffOnly(web.RoleEmployer), s.verifyCode)
	pg.Post("/staff/verify/batch", s.csrf, s.staffOnly(web.RoleEmployer), s.verifyBatch)
	pg.Post("/staff/eligibility", s.csrf, s.staffOnly(web.RoleEmployer), s.eligibility)
	pg.Get("/staff/trail", s.staffOnly(web.RoleEmployer), s.trail)
	pg.Get("/staff/webhooks", s.staffOnly(web.RoleEmployer), s.webhooks)
	pg.Post("/staff/webhooks", s.csrf, s.staffOnly(web.RoleEmployer), s.createWebhook)
	pg.Post("/staff/webhooks/:id/delete", s.csrf, s.staffOnly(web.RoleEmployer), s.deleteWebhook)
	pg.Post("/staff/webhooks/:id/test", s.csrf, s.staffOnly(web.RoleEmployer), s.testWebhook)
	// Admins: people, organizations, tiers.
	pg.Get("/staff/users", s.staffOnly(web.RoleAdmin), s.users)
	pg.Post("/staff/users", s.csrf, s.staffOnly(web.RoleAdmin), s.createUser)
	pg.Post("/staff/users/:id/disable", s.csrf, s.staffOnly(web.RoleAdmin), s.disableUser)
	pg.Get("/staff/organizations", s.staffOnly(web.RoleAdmin), s.organizations)
	pg.Post("/staff/organizations", s.csrf, s.staffOnly(web.RoleAdmin), s.createOrganization)
	pg.Get("/staff/tiers", s.staffOnly(web.RoleAdmin), s.tiersPage)
	pg.Post("/staff/tiers/:id", s.csrf, s.staffOnly(web.RoleAdmin), s.updateTier)
	// Trainers (and admins): certificates they issued.
	pg.Get("/staff/revoke", s.staffOnly(web.RoleTrainer), s.revokeForm)
	pg.Post("/staff/revoke", s.csrf, s.staffOnly(web.RoleTrainer), s.revoke)
	s.mountAuthoring(pg)
	s.mountClasses(pg)
}

// staffOnly admits signed-in staff of the roles named (admins always);
// anyone else signed in gets a 403 page, visitors the sign-in page.
func (s *Site) staffOnly(roles ...web.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r := reqOf(c)
		if r.user == nil {
			return s.signedIn(c)
		}
		role := r.user.Role
		ok := role == web.RoleAdmin
		if len(roles) == 0 {
			ok = ok || role == web.RoleTrainer || role == web.RoleEmployer
		}
		for _, want := range roles {
			ok = ok || role == want
		}
		if !ok {
			return s.errorPage(c, fiber.StatusForbidden, "")
		}
		return c.Next()
	}
}

type staffHomeView struct {
	Trainer, Employer, Admin bool
}

func (s *Site) staffHome(c *fiber.Ctx) error {
	r := reqOf(c)
	role := r.user.Role
	v := staffHomeView{Trainer: role == web.RoleTrainer || role == web.RoleAdmin,
		Employer: role == web.RoleEmployer || role == web.RoleAdmin, Admin: role == web.RoleAdmin}
	return s.render(c, fiber.StatusOK, "staff_home", r.lang.T("staff.title"), v)
}

// verdictView is one verification as an employer reads it.
type verdictView struct {
	Input, Status, Reason       string
	Valid                       bool
	Code, Holder, Course, Score string
	Issued, Expires, Publisher  string
	Endorsed                    bool
	ID                          string
}

func (s *Site) verdict(l *Lang, input string, v certs.Verification) verdictView {
	out := verdictView{Input: input, Valid: v.Valid, Status: l.T("verify.status." + v.Status)}
	if v.Reason != "" {
		out.Reason = l.T("verify.reason." + string(v.Reason))
	}
	if c := v.Certificate; c != nil {
		out.ID, out.Code, out.Holder, out.Course = c.ID, c.Code, c.HolderName, c.CourseTitle
		out.Score = fmt.Sprintf("%g%%", c.ScorePercent)
		out.Issued, out.Expires = l.Date(c.IssuedAt), l.Date(c.ExpiresAt)
		if c.Publisher != nil {
			out.Publisher, out.Endorsed = c.Publisher.Label(), c.Publisher.Endorsed
		}
	}
	return out
}

type verifyView struct {
	Code    string
	Result  *verdictView
	Batch   []verdictView
	Codes   string
	Tier    string
	Holder  string
	Tiers   []tierView
	Errors  map[string]string
	Checked bool
}

func (s *Site) verifyForm(c *fiber.Ctx) error {
	r := reqOf(c)
	return s.render(c, fiber.StatusOK, "staff_verify", r.lang.T("verify.title"), verifyView{})
}

func (s *Site) verifyCode(c *fiber.Ctx) error {
	r := reqOf(c)
	code := strings.TrimSpace(c.FormValue("code"))
	v := verifyView{Code: code, Errors: map[string]string{}}
	if code == "" || len(code) > 100 {
		v.Errors["code"] = r.lang.T("verify.code_required")
		return s.render(c, fiber.StatusUnprocessableEntity, "staff_verify", r.lang.T("verify.title"), v)
	}
	p := r.principal()
	res, err := s.d.Certs.VerifyID(c.UserContext(), &p, code)
	if web.IsKind(err, web.KindNotFound) {
		v.Errors["code"] = r.lang.T("verify.unknown")
		return s.render(c, fiber.StatusNotFound, "staff_verify", r.lang.T("verify.title"), v)
	}
	if err != nil {
		return s.fail(c, err)
	}
	vv := s.verdict(r.lang, code, res)
	v.Result = &vv
	return s.render(c, fiber.StatusOK, "staff_verify", r.lang.T("verify.title"), v)
}

// codesOf reads codes or ids from an uploaded CSV file (the first column,
// a header line allowed) or from a text box, one per line.
func codesOf(c *fiber.Ctx) ([]string, error) {
	var text string
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > 1<<20 {
			return nil, web.Invalid("the file is too large", web.RuleFileTooLarge.On("file", "MiB", 1))
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		defer f.Close()
		raw, err := io.ReadAll(io.LimitReader(f, 1<<20))
		if err != nil {
			return nil, err
		}
		text = string(raw)
	} else {
		text = c.FormValue("codes")
	}
	rd := csv.NewReader(strings.NewReader(text))
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	rd.LazyQuotes = true
	var out []string
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, web.Invalid("the file is not CSV", web.RuleNotCSV.On("file"))
		}
		if len(rec) == 0 {
			continue
		}
		v := strings.TrimSpace(rec[0])
		low := strings.ToLower(v)
		if v == "" || low == "code" || low == "id" || low == "certificate" || strings.HasPrefix(low, "#") {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Site) verifyBatch(c *fiber.Ctx) error {
	r := reqOf(c)
	codes, err := codesOf(c)
	v := verifyView{Errors: map[string]string{}, Codes: strings.Join(codes, "\n")}
	if err == nil && (len(codes) == 0 || len(codes) > certs.MaxBatch) {
		v.Errors["codes"] = r.lang.T("verify.batch_size")
		return s.render(c, fiber.StatusUnprocessableEntity, "staff_verify", r.lang.T("verify.title"), v)
	}
	if err != nil {
		if msgs, ok := fieldMessages(r.lang, err); ok {
			v.Errors = msgs
			return s.render(c, fiber.StatusUnprocessableEntity, "staff_verify", r.lang.T("verify.title"), v)
		}
		return s.fail(c, err)
	}
	p := r.principal()
	res, err := s.d.Certs.VerifyBatch(c.UserContext(), &p, certs.Claims(codes, nil))
	if err != nil {
		return s.fail(c, err)
	}
	for i, x := range res {
		v.Batch = append(v.Batch, s.verdict(r.lang, codes[i], x))
	}
	if c.FormValue("format") == "csv" {
		var b strings.Builder
		w := csv.NewWriter(&b)
		_ = w.Write([]string{"input", "valid", "status", "reason", "code", "holder", "course", "score", "issued", "expires", "publisher", "endorsed"})
		for _, x := range v.Batch {
			_ = w.Write([]string{csvSafe(x.Input), fmt.Sprint(x.Valid), x.Status, x.Reason, x.Code, csvSafe(x.Holder), csvSafe(x.Course),
				x.Score, x.Issued, x.Expires, csvSafe(x.Publisher), fmt.Sprint(x.Endorsed)})
		}
		w.Flush()
		s.pageHeaders(c)
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="verification-results.csv"`)
		return c.SendString(b.String())
	}
	return s.render(c, fiber.StatusOK, "staff_verify", r.lang.T("verify.title"), v)
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Site) eligibility(c *fiber.Ctx) error {
	r := reqOf(c)
	codes, err := codesOf(c)
	v := verifyView{Errors: map[string]string{}, Codes: strings.Join(codes, "\n"), Checked: true}
	if err != nil || len(codes) == 0 || len(codes) > certs.MaxBatch {
		v.Errors["eligibility"] = r.lang.T("verify.batch_size")
		return s.render(c, fiber.StatusUnprocessableEntity, "staff_verify", r.lang.T("verify.title"), v)
	}
	ctx := c.UserContext()
	_, name, res, err := s.d.Tiers.Eligibility(ctx, r.principal(), tiers.Claims(codes, nil))
	if err != nil {
		if e, ok := web.AsError(err); ok && (e.Kind == web.KindValidation || e.Kind == web.KindNotFound) {
			v.Errors["eligibility"] = r.lang.T("verify.eligibility_error")
			return s.render(c, fiber.StatusUnprocessableEntity, "staff_verify", r.lang.T("verify.title"), v)
		}
		return s.fail(c, err)
	}
	v.Holder = name
	if res.Tier != nil {
		v.Tier = res.Tier.Name
	}
	all, err := s.d.Tiers.Tiers(ctx)
	if err != nil {
		return s.fail(c, err)
	}
	names := map[string]string{}
	for _, t := range all {
		names[t.Slug] = t.Name
	}
	for _, st := range res.Tiers {
		tv := tierView{Name: names[st.Slug], Eligible: st.Eligible}
		for _, m := range st.Missing {
			tv.Missing = append(tv.Missing, missingView{CourseSlug: m.CourseSlug, CourseTitle: m.CourseSlug,
				Reason: r.lang.T("tier.reason." + string(m.Reason))})
		}
		v.Tiers = append(v.Tiers, tv)
	}
	return s.render(c, fiber.StatusOK, "staff_verify", r.lang.T("verify.title"), v)
}

type trailView struct {
	Checks []checkView
	Org    string
}

// orgOf is the organization a staff page acts for: the employer's own, or
// the one an admin names.
func orgOf(c *fiber.Ctx) string {
	r := reqOf(c)
	if r.user.OrganizationID != "" {
		return r.user.OrganizationID
	}
	return strings.TrimSpace(c.Query("org", c.FormValue("org")))
}

func (s *Site) trail(c *fiber.Ctx) error {
	r := reqOf(c)
	org := orgOf(c)
	v := trailView{Org: org}
	if org != "" {
		list, err := s.d.Tiers.OrganizationVerifications(c.UserContext(), r.principal(), org, web.Page{Limit: 100})
		if err != nil {
			return s.fail(c, err)
		}
		for _, ch := range list.Items {
			v.Checks = append(v.Checks, checkView{Organization: ch.OrganizationName, Kind: r.lang.T("checks.kind." + ch.Kind),
				When: r.lang.DateTime(ch.CheckedAt), Certificates: len(ch.CertificateIDs)})
		}
	}
	return s.render(c, fiber.StatusOK, "staff_trail", r.lang.T("trail.title"), v)
}

type webhookView struct {
	Org    string
	Hooks  []webhookRow
	Secret string
	URL    string
	Errors map[string]string
}

type webhookRow struct{ ID, URL, Created string }

func (s *Site) renderWebhooks(c *fiber.Ctx, status int, v webhookView) error {
	r := reqOf(c)
	v.Org = orgOf(c)
	if v.Org != "" {
		hooks, err := s.d.Tiers.Webhooks(c.UserContext(), r.principal(), v.Org)
		if err != nil {
			return s.fail(c, err)
		}
		for _, h := range hooks {
			v.Hooks = append(v.Hooks, webhookRow{ID: h.ID, URL: h.URL, Created: r.lang.Date(h.CreatedAt)})
		}
	}
	return s.render(c, status, "staff_webhooks", r.lang.T("webhooks.title"), v)
}

func (s *Site) webhooks(c *fiber.Ctx) error {
	return s.renderWebhooks(c, fiber.StatusOK, webhookView{})
}

func (s *Site) createWebhook(c *fiber.Ctx) error {
	r := reqOf(c)
	url := strings.TrimSpace(c.FormValue("url"))
	h, err := s.d.Tiers.CreateWebhook(c.UserContext(), r.principal(), orgOf(c), url)
	if err != nil {
		if msgs, ok := fieldMessages(r.lang, err); ok {
			if _, ok := msgs["form"]; ok || len(msgs) > 0 {
				msgs = map[string]string{"url": r.lang.T("webhooks.bad_url")}
			}
			return s.renderWebhooks(c, fiber.StatusUnprocessableEntity, webhookView{URL: url, Errors: msgs})
		}
		return s.fail(c, err)
	}
	return s.renderWebhooks(c, fiber.StatusCreated, webhookView{Secret: h.Secret})
}

func (s *Site) deleteWebhook(c *fiber.Ctx) error {
	r := reqOf(c)
	if err := s.d.Tiers.DeleteWebhook(c.UserContext(), r.principal(), orgOf(c), c.Params("id")); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/webhooks"+orgQuery(c), "webhook_deleted")
}

func (s *Site) testWebhook(c *fiber.Ctx) error {
	r := reqOf(c)
	if err := s.d.Tiers.SendTestEvent(c.UserContext(), r.principal(), orgOf(c), c.Params("id")); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/webhooks"+orgQuery(c), "test_event_queued")
}

// orgQuery keeps an admin's chosen organization across a redirect.
func orgQuery(c *fiber.Ctx) string {
	if reqOf(c).user.OrganizationID == "" {
		if org := orgOf(c); org != "" {
			return "?org=" + url.QueryEscape(org)
		}
	}
	return ""
}
