package site

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/classes"
	"skillgate/courses"
)

// The class pages: a training centre runs a batch of learners from a CSV
// file to certificates without a single hand-made API call.

func (s *Site) mountClasses(pg pageRouter) {
	t := s.staffOnly(web.RoleTrainer)
	pg.Get("/staff/classes", t, s.classesPage)
	pg.Post("/staff/classes", s.csrf, t, s.createClass)
	pg.Get("/staff/classes/:id", t, s.classPage)
	pg.Post("/staff/classes/:id/courses", s.csrf, t, s.classCourses)
	pg.Post("/staff/classes/:id/learners", s.csrf, t, s.addLearners)
	pg.Post("/staff/classes/:id/cards", s.csrf, t, s.printCards)
	pg.Get("/staff/classes/:id/progress", t, s.classProgress)
	pg.Post("/staff/users/:id/reset", s.csrf, s.staffOnly(web.RoleAdmin), s.resetUser)
}

type classRow struct {
	ID, Name string
	Learners int
}

type courseChoice struct {
	ID, Title, Language string
	Chosen              bool
}

type classesView struct {
	Classes []classRow
	Courses []courseChoice
	Name    string
	Locale  string // the language chosen for the new class, kept when it is refused
	Errors  map[string]string
}

// publishedCourses lists the catalogue for choosing a class's courses.
func (s *Site) publishedCourses(c *fiber.Ctx, chosen []string) ([]courseChoice, error) {
	list, err := s.d.Courses.Catalogue(c.UserContext(), nil, courses.CatalogueFilter{}, web.Page{Limit: 100})
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, id := range chosen {
		set[id] = true
	}
	var out []courseChoice
	for _, it := range list.Items {
		if it.Version == nil {
			continue
		}
		out = append(out, courseChoice{ID: it.Course.ID, Title: it.Version.Title, Language: it.Version.Language, Chosen: set[it.Course.ID]})
	}
	return out, nil
}

func (s *Site) renderClasses(c *fiber.Ctx, status int, v classesView) error {
	r := reqOf(c)
	list, err := s.d.Classes.List(c.UserContext(), r.principal(), web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	for _, cl := range list.Items {
		v.Classes = append(v.Classes, classRow{ID: cl.ID, Name: cl.Name, Learners: cl.LearnerCount})
	}
	if v.Courses == nil {
		if v.Courses, err = s.publishedCourses(c, nil); err != nil {
			return s.fail(c, err)
		}
	}
	return s.render(c, status, "staff_classes", r.lang.T("classes.title"), v)
}

func (s *Site) classesPage(c *fiber.Ctx) error {
	return s.renderClasses(c, fiber.StatusOK, classesView{})
}

func formList(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	if form, err := c.MultipartForm(); err == nil {
		out = append(out, form.Value[name]...)
	}
	return out
}

func (s *Site) createClass(c *fiber.Ctx) error {
	r := reqOf(c)
	name := strings.TrimSpace(c.FormValue("name"))
	ids := formList(c, "course_ids")
	locale := c.FormValue("locale")
	cl, err := s.d.Classes.Create(c.UserContext(), r.principal(), classes.NewClass{Name: name, CourseIDs: ids, Locale: locale})
	if err != nil {
		if msgs, ok := authorMessages(r.lang, err); ok {
			chosen, _ := s.publishedCourses(c, ids)
			return s.renderClasses(c, fiber.StatusUnprocessableEntity, classesView{Name: name, Locale: locale, Courses: chosen, Errors: msgs})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/classes/"+cl.ID, "class_created")
}

type classView struct {
	ID, Name  string
	Learners  []classes.Learner
	Courses   []courseChoice
	Created   []classes.AddedLearner
	Existing  []classes.AddedLearner
	RowErrors []rowErrorView
	Errors    map[string]string
	Names     string
	// Chosen, when not nil, are the courses ticked in a refused courses
	// form, shown instead of the class's own.
	Chosen []string
}

func (s *Site) renderClass(c *fiber.Ctx, status int, v classView) error {
	r := reqOf(c)
	cl, err := s.d.Classes.Get(c.UserContext(), r.principal(), c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	v.ID, v.Name, v.Learners = cl.ID, cl.Name, cl.Learners
	chosen := cl.CourseIDs
	if v.Chosen != nil {
		chosen = v.Chosen
	}
	if v.Courses, err = s.publishedCourses(c, chosen); err != nil {
		return s.fail(c, err)
	}
	return s.render(c, status, "staff_class", cl.Name, v)
}

func (s *Site) classPage(c *fiber.Ctx) error { return s.renderClass(c, fiber.StatusOK, classView{}) }

func (s *Site) classCourses(c *fiber.Ctx) error {
	r := reqOf(c)
	ids := formList(c, "course_ids")
	if ids == nil {
		ids = []string{}
	}
	if _, err := s.d.Classes.Update(c.UserContext(), r.principal(), c.Params("id"), classes.ClassChange{CourseIDs: &ids}); err != nil {
		if msgs, ok := authorMessages(r.lang, err); ok {
			return s.renderClass(c, fiber.StatusUnprocessableEntity, classView{Errors: msgs, Chosen: ids})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/classes/"+c.Params("id"), "class_saved")
}

// addLearners takes a CSV file (a header line naming name, username,
// email, locale) or names typed one per line. All rows are added or none,
// and every bad row is shown with its line.
func (s *Site) addLearners(c *fiber.Ctx) error {
	r := reqOf(c)
	var rows []classes.NewLearner
	var err error
	names := c.FormValue("names")
	if fh, ferr := c.FormFile("file"); ferr == nil && fh.Size > 0 {
		if fh.Size > 1<<20 {
			return s.renderClass(c, fiber.StatusRequestEntityTooLarge, classView{Errors: map[string]string{"file": r.lang.T("classes.file_too_large")}})
		}
		f, oerr := fh.Open()
		if oerr != nil {
			return s.fail(c, oerr)
		}
		raw, rerr := io.ReadAll(io.LimitReader(f, 1<<20))
		f.Close()
		if rerr != nil {
			return s.fail(c, rerr)
		}
		rows, err = classes.ParseCSV(raw)
	} else {
		for i, line := range strings.Split(names, "\n") {
			if strings.TrimSpace(line) != "" {
				rows = append(rows, classes.NewLearner{Line: i + 1, Name: strings.TrimSpace(line)})
			}
		}
		if len(rows) == 0 {
			return s.renderClass(c, fiber.StatusUnprocessableEntity, classView{Errors: map[string]string{"file": r.lang.T("classes.no_rows")}})
		}
	}
	var added classes.Added
	if err == nil {
		added, err = s.d.Classes.AddLearners(c.UserContext(), r.principal(), c.Params("id"), rows)
	}
	if err != nil {
		if e, ok := web.AsError(err); ok && (e.Kind == web.KindValidation || e.Kind == web.KindConflict) {
			// A conflict (the class or an account changed meanwhile) is
			// said beside the file, like a refusal of the whole list.
			v := classView{Names: names}
			if re, ok := classes.RowErrorsOf(err); ok {
				v.RowErrors = rowMessages(r.lang, re)
			} else {
				msg, _ := authorSummary(r.lang, err)
				v.Errors = map[string]string{"file": msg}
			}
			status := fiber.StatusUnprocessableEntity
			if e.Kind == web.KindConflict {
				status = fiber.StatusConflict
			}
			return s.renderClass(c, status, v)
		}
		return s.fail(c, err)
	}
	return s.renderClass(c, fiber.StatusOK, classView{Created: added.Created, Existing: added.Existing})
}

// printCards issues new cards (replacing the old ones) for the learners
// ticked, or all, and sends the PDF to print.
func (s *Site) printCards(c *fiber.Ctx) error {
	r := reqOf(c)
	ids := formList(c, "learner_ids")
	cards, err := s.d.Classes.Cards(c.UserContext(), r.principal(), c.Params("id"), ids)
	if err != nil {
		return s.fail(c, err)
	}
	pdf, err := classes.CardsPDF(cards)
	if err != nil {
		return s.fail(c, err)
	}
	s.pageHeaders(c)
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="sign-in-cards.pdf"`)
	return c.Send(pdf)
}

type progressCell struct {
	Progress int
	Attempts int
	Best     string
	Passed   bool
	CertID   string
}

type progressRow struct {
	Name, Username, Tier string
	Cells                []progressCell
}

type progressView struct {
	ID, Name string
	Courses  []courseChoice
	Rows     []progressRow
}

func (s *Site) classProgress(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	rows, err := s.d.Classes.Progress(ctx, r.principal(), c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	if c.Query("format") == "csv" {
		s.pageHeaders(c)
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="class-progress.csv"`)
		return c.Send(classes.ProgressCSV(rows))
	}
	cl, err := s.d.Classes.Get(ctx, r.principal(), c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	v := progressView{ID: cl.ID, Name: cl.Name}
	all, err := s.publishedCourses(c, cl.CourseIDs)
	if err != nil {
		return s.fail(c, err)
	}
	for _, id := range cl.CourseIDs {
		for _, cc := range all {
			if cc.ID == id {
				v.Courses = append(v.Courses, cc)
			}
		}
	}
	for _, lp := range rows {
		row := progressRow{Name: lp.Learner.Name, Username: lp.Learner.Username}
		if lp.Tier != nil {
			row.Tier = lp.Tier.Name
		}
		byCourse := map[string]classes.CourseProgress{}
		for _, cp := range lp.Courses {
			byCourse[cp.CourseID] = cp
		}
		for _, cc := range v.Courses {
			cp := byCourse[cc.ID]
			cell := progressCell{Progress: cp.ProgressPercent, Attempts: cp.Attempts, Passed: cp.Passed, CertID: cp.CertificateID}
			if cp.BestPercent != nil {
				cell.Best = fmt.Sprintf("%g%%", *cp.BestPercent)
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(c, fiber.StatusOK, "staff_progress", r.lang.T("classes.progress"), v)
}

type resetView struct {
	Name, URL, Expires string
}

// resetUser gives an admin a one-time sign-in link for someone who forgot
// their password; it is shown once, and every session of the account ends.
func (s *Site) resetUser(c *fiber.Ctx) error {
	r := reqOf(c)
	link, err := s.d.Accounts.ResetLink(c.UserContext(), c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	return s.render(c, fiber.StatusOK, "staff_reset", r.lang.T("reset.title"),
		resetView{URL: link.URL, Expires: r.lang.DateTime(link.ExpiresAt)})
}
