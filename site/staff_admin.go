package site

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/accounts"
	"skillgate/app/web"
	"skillgate/certs"
	"skillgate/tiers"
)

type userRow struct {
	ID, Name, Email, Role, Organization string
	Disabled                            bool
}

type usersView struct {
	Users  []userRow
	Orgs   []orgRow
	Form   map[string]string
	Errors map[string]string
	Next   string
}

type orgRow struct{ ID, Name string }

func (s *Site) renderUsers(c *fiber.Ctx, status int, v usersView) error {
	r := reqOf(c)
	ctx := c.UserContext()
	page, err := web.ParsePage(c)
	if err != nil {
		return s.errorPage(c, fiber.StatusBadRequest, "")
	}
	page.Limit = 100
	list, err := s.d.Accounts.ListUsers(ctx, accounts.UserFilter{Role: c.Query("role")}, page)
	if err != nil {
		return s.fail(c, err)
	}
	orgs, err := s.d.Accounts.ListOrganizations(ctx, web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	names := map[string]string{}
	for _, o := range orgs.Items {
		names[o.ID] = o.Name
		v.Orgs = append(v.Orgs, orgRow{ID: o.ID, Name: o.Name})
	}
	for _, u := range list.Items {
		v.Users = append(v.Users, userRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role),
			Organization: names[u.OrganizationID], Disabled: u.Disabled})
	}
	if list.NextCursor != nil {
		v.Next = *list.NextCursor
	}
	if v.Form == nil {
		v.Form = map[string]string{"role": "trainer"}
	}
	return s.render(c, status, "staff_users", r.lang.T("users.title"), v)
}

func (s *Site) users(c *fiber.Ctx) error { return s.renderUsers(c, fiber.StatusOK, usersView{}) }

func (s *Site) createUser(c *fiber.Ctx) error {
	r := reqOf(c)
	form := map[string]string{"name": strings.TrimSpace(c.FormValue("name")), "email": strings.TrimSpace(c.FormValue("email")),
		"role": c.FormValue("role"), "organization_id": c.FormValue("organization_id")}
	_, err := s.d.Accounts.CreateUser(c.UserContext(), accounts.NewUser{Name: form["name"], Email: form["email"],
		Password: c.FormValue("password"), Role: web.Role(form["role"]), OrganizationID: form["organization_id"], Locale: r.lang.Code})
	if err != nil {
		msgs, ok := fieldMessages(r.lang, err)
		if web.IsKind(err, web.KindConflict) {
			msgs, ok = map[string]string{"email": r.lang.T("err.email_taken_staff")}, true
		}
		if ok {
			return s.renderUsers(c, fiber.StatusUnprocessableEntity, usersView{Form: form, Errors: msgs})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/users", "user_created")
}

func (s *Site) disableUser(c *fiber.Ctx) error {
	r := reqOf(c)
	disabled := c.FormValue("disabled") != "false"
	if _, err := s.d.Accounts.AdminUpdate(c.UserContext(), r.principal(), c.Params("id"), nil, &disabled); err != nil {
		return s.fail(c, err)
	}
	if disabled {
		return s.redirect(c, "/staff/users", "user_disabled")
	}
	return s.redirect(c, "/staff/users", "user_enabled")
}

type orgsView struct {
	Orgs   []orgRow
	Name   string
	Errors map[string]string
}

func (s *Site) renderOrgs(c *fiber.Ctx, status int, v orgsView) error {
	r := reqOf(c)
	orgs, err := s.d.Accounts.ListOrganizations(c.UserContext(), web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	for _, o := range orgs.Items {
		v.Orgs = append(v.Orgs, orgRow{ID: o.ID, Name: o.Name})
	}
	return s.render(c, status, "staff_orgs", r.lang.T("orgs.title"), v)
}

func (s *Site) organizations(c *fiber.Ctx) error { return s.renderOrgs(c, fiber.StatusOK, orgsView{}) }

func (s *Site) createOrganization(c *fiber.Ctx) error {
	r := reqOf(c)
	name := strings.TrimSpace(c.FormValue("name"))
	if _, err := s.d.Accounts.CreateOrganization(c.UserContext(), name); err != nil {
		if _, ok := fieldMessages(r.lang, err); ok {
			return s.renderOrgs(c, fiber.StatusUnprocessableEntity, orgsView{Name: name, Errors: map[string]string{"name": r.lang.T("orgs.bad_name")}})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/organizations", "org_created")
}

type tierEdit struct {
	ID, Slug, Name, Description string
	Rank                        int
	Rate                        float64
	Requirements                string // one per line: course_slug min_percent [max_age_days]
	Error                       string
}

type tiersView struct{ Tiers []tierEdit }

func requirementsText(rs []tiers.Requirement) string {
	var b strings.Builder
	for _, q := range rs {
		fmt.Fprintf(&b, "%s %g", q.CourseSlug, q.MinPercent)
		if q.MaxAgeDays > 0 {
			fmt.Fprintf(&b, " %d", q.MaxAgeDays)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func (s *Site) renderTiers(c *fiber.Ctx, status int, failed *tierEdit) error {
	r := reqOf(c)
	all, err := s.d.Tiers.Tiers(c.UserContext())
	if err != nil {
		return s.fail(c, err)
	}
	var v tiersView
	for _, t := range all {
		te := tierEdit{ID: t.ID, Slug: t.Slug, Name: t.Name, Description: t.Description, Rank: t.Rank, Rate: t.HourlyRateUSD,
			Requirements: requirementsText(t.Requirements)}
		if failed != nil && failed.ID == t.ID {
			te = *failed
		}
		v.Tiers = append(v.Tiers, te)
	}
	return s.render(c, status, "staff_tiers", r.lang.T("tiers.title"), v)
}

func (s *Site) tiersPage(c *fiber.Ctx) error { return s.renderTiers(c, fiber.StatusOK, nil) }

func (s *Site) updateTier(c *fiber.Ctx) error {
	r := reqOf(c)
	te := tierEdit{ID: c.Params("id"), Slug: strings.TrimSpace(c.FormValue("slug")), Name: strings.TrimSpace(c.FormValue("name")),
		Description: strings.TrimSpace(c.FormValue("description")), Requirements: c.FormValue("requirements")}
	var err1, err2 error
	te.Rank, err1 = strconv.Atoi(strings.TrimSpace(c.FormValue("rank")))
	te.Rate, err2 = strconv.ParseFloat(strings.TrimSpace(c.FormValue("hourly_rate_usd")), 64)
	t := tiers.Tier{Slug: te.Slug, Name: te.Name, Description: te.Description, Rank: te.Rank, HourlyRateUSD: te.Rate}
	bad := err1 != nil || err2 != nil
	for _, line := range strings.Split(te.Requirements, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		q := tiers.Requirement{CourseSlug: f[0]}
		var err error
		if len(f) < 2 || len(f) > 3 {
			bad = true
			continue
		}
		if q.MinPercent, err = strconv.ParseFloat(f[1], 64); err != nil {
			bad = true
		}
		if len(f) == 3 {
			if q.MaxAgeDays, err = strconv.Atoi(f[2]); err != nil {
				bad = true
			}
		}
		t.Requirements = append(t.Requirements, q)
	}
	if !bad {
		if _, err := s.d.Tiers.UpdateTier(c.UserContext(), te.ID, t); err != nil {
			if _, ok := fieldMessages(r.lang, err); !ok {
				return s.fail(c, err)
			}
			bad = true
		}
	}
	if bad {
		te.Error = r.lang.T("tiers.bad")
		return s.renderTiers(c, fiber.StatusUnprocessableEntity, &te)
	}
	return s.redirect(c, "/staff/tiers", "tier_saved")
}

type revokeView struct {
	Code, Reason, Category string
	Categories             []string
	Errors                 map[string]string
	Done                   *verdictView
}

func (s *Site) revokeForm(c *fiber.Ctx) error {
	r := reqOf(c)
	return s.render(c, fiber.StatusOK, "staff_revoke", r.lang.T("revoke.title"),
		revokeView{Code: c.Query("code"), Categories: certs.RevocationCategories})
}

func (s *Site) revoke(c *fiber.Ctx) error {
	r := reqOf(c)
	v := revokeView{Code: strings.TrimSpace(c.FormValue("code")), Reason: strings.TrimSpace(c.FormValue("reason")),
		Category: c.FormValue("category"), Categories: certs.RevocationCategories, Errors: map[string]string{}}
	if c.FormValue("confirm") != "yes" {
		v.Errors["confirm"] = r.lang.T("revoke.tick")
		return s.render(c, fiber.StatusUnprocessableEntity, "staff_revoke", r.lang.T("revoke.title"), v)
	}
	cert, err := s.d.Certs.Revoke(c.UserContext(), r.principal(), v.Code, v.Reason, v.Category)
	if err != nil {
		if web.IsKind(err, web.KindNotFound) {
			v.Errors["code"] = r.lang.T("verify.unknown")
			return s.render(c, fiber.StatusNotFound, "staff_revoke", r.lang.T("revoke.title"), v)
		}
		if msgs, ok := fieldMessages(r.lang, err); ok {
			v.Errors = msgs
			if _, ok := msgs["form"]; ok {
				v.Errors["reason"] = r.lang.T("revoke.reason_required")
			}
			return s.render(c, fiber.StatusUnprocessableEntity, "staff_revoke", r.lang.T("revoke.title"), v)
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/verify/"+url.PathEscape(cert.ID), "")
}
