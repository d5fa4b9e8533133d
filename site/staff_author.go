package site

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/assessments/gift"
	"skillgate/courses"
)

func (s *Site) mountAuthoring(pg pageRouter) {
	t := s.staffOnly(web.RoleTrainer)
	s.mountPacks(pg)
	pg.Get("/staff/courses", t, s.myCourses)
	pg.Post("/staff/courses", s.csrf, t, s.createCourse)
	pg.Get("/staff/courses/:id", t, s.editCourse)
	pg.Post("/staff/courses/:id", s.csrf, t, s.updateCourse)
	pg.Post("/staff/courses/:id/modules", s.csrf, t, s.addModule)
	pg.Post("/staff/courses/:id/lessons", s.csrf, t, s.addLesson)
	pg.Post("/staff/courses/:id/gift", s.csrf, t, s.importGIFT)
	pg.Post("/staff/courses/:id/assessments", s.csrf, t, s.addAssessment)
	pg.Post("/staff/courses/:id/publish", s.csrf, t, s.publishCourse)
	pg.Get("/staff/courses/:id/assessments/:aid/statistics", t, s.statistics)
	s.mountEditing(pg)
}

type myCourseRow struct {
	ID, Slug, Title, Language, Status string
	Version                           int
}

type myCoursesView struct {
	Courses []myCourseRow
	Form    map[string]string
	Errors  map[string]string
}

func (s *Site) renderMyCourses(c *fiber.Ctx, status int, v myCoursesView) error {
	r := reqOf(c)
	p := r.principal()
	list, err := s.d.Courses.Catalogue(c.UserContext(), &p, courses.CatalogueFilter{}, web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	for _, it := range list.Items {
		if it.Version != nil { // published by someone else: not the trainer's to edit
			continue
		}
		co := it.Course
		v.Courses = append(v.Courses, myCourseRow{ID: co.ID, Slug: co.Slug, Title: co.Title, Language: co.Language,
			Status: string(co.Status()), Version: co.Version})
	}
	if v.Form == nil {
		v.Form = map[string]string{"language": r.lang.Code}
	}
	return s.render(c, status, "staff_courses", r.lang.T("author.courses"), v)
}

func (s *Site) myCourses(c *fiber.Ctx) error {
	return s.renderMyCourses(c, fiber.StatusOK, myCoursesView{})
}

func (s *Site) createCourse(c *fiber.Ctx) error {
	r := reqOf(c)
	form := map[string]string{}
	for _, k := range []string{"slug", "title", "summary", "language", "estimated_minutes"} {
		form[k] = strings.TrimSpace(c.FormValue(k))
	}
	minutes, _ := strconv.Atoi(form["estimated_minutes"])
	co, err := s.d.Courses.Create(c.UserContext(), r.principal(), courses.NewCourse{Slug: form["slug"], Title: form["title"],
		Summary: form["summary"], Language: form["language"], EstimatedMinutes: minutes})
	if err != nil {
		if msgs, ok := authorMessages(r.lang, err); ok {
			return s.renderMyCourses(c, fiber.StatusUnprocessableEntity, myCoursesView{Form: form, Errors: msgs})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/courses/"+co.ID, "course_created")
}

// authorMessages shows a trainer what to fix, keyed by the form's field
// names, each beside its field. Each message is the rule's own, with its
// detail ("must be at most 200 characters"), in the page's language.
func authorMessages(l *Lang, err error) (map[string]string, bool) {
	return authorSays(l, err, fieldMessage)
}

// authorSummary is authorMessages in one line, for a form whose messages
// are shown together: each then names its field's label.
func authorSummary(l *Lang, err error) (string, bool) {
	msgs, ok := authorSays(l, err, labelledMessage)
	return joinMessages(msgs), ok
}

func authorSays(l *Lang, err error, say func(*Lang, web.FieldError) string) (map[string]string, bool) {
	return formMessages(l, err, func(out map[string]string, fields []web.FieldError) {
		for _, f := range fields {
			k := strings.SplitN(f.Field, ".", 2)[0]
			msg := l.T("author.field_error", "Message", say(l, f))
			if prev, ok := out[k]; ok {
				msg = prev + " " + msg
			}
			out[k] = msg
		}
	})
}

type editLesson struct {
	ID, Title string
	Position  int
}

type editModule struct {
	ID, Title string
	Position  int
	Lessons   []editLesson
	Form      map[string]string // its edit form: the stored title and place, or what was typed when refused
}

type editAssessment struct {
	ID, Title, Kind                 string
	Questions, Minutes, MaxAttempts int
	PassPercent                     float64
	Form                            map[string]string // its edit form: the stored settings, or what was typed when refused
}

type giftPreview struct {
	Text      string
	Questions []giftRow
	Errors    []giftErrorView
}

// giftErrorView is one refused question of a GIFT file, said in the
// page's language: its line, its ::title:: ("" when it has none) and the
// message.
type giftErrorView struct {
	Line           int
	Title, Message string
}

// giftMessages says each GIFT problem in l from its catalogue key and
// values, as fieldMessage says a field (a problem about a field of a
// question says that field's rule in l too); one the catalogue does not
// know reads as the general "is not valid", never as the API's English.
func giftMessages(l *Lang, errs []assessments.ImportError) []giftErrorView {
	out := make([]giftErrorView, len(errs))
	for i, e := range errs {
		out[i] = giftErrorView{Line: e.Line, Title: e.Title,
			Message: fieldMessage(l, web.FieldError{Message: e.Message, Key: e.Key, Args: e.Args})}
	}
	return out
}

type giftRow struct {
	Line                int
	Title, Type, Prompt string
}

type editCourseView struct {
	ID, Slug, Title, Summary, Language, Status string
	Minutes, Version                           int
	Modules                                    []editModule
	Assessments                                []editAssessment
	QuestionCount                              int
	Errors                                     map[string]string
	Lesson                                     map[string]string // the lesson form, kept on error or preview
	Preview                                    template.HTML
	GIFT                                       *giftPreview
	Imported                                   int
	EditLesson                                 *lessonEdit // the lesson form, open (?lesson=ID) or kept on error
	Questions                                  []bankRow
	// Typed is what was typed into the one form that was refused, by the
	// form's key in Errors ("assessment", "question_ID", ...), so that the
	// page shows it again instead of the stored values or the defaults.
	Typed map[string]map[string]string
	// The forms without a row of their own: the course's details, a new
	// module, a new assessment.
	Details, NewModule, NewAssessment map[string]string
}

// newAssessmentDefaults are the new assessment form's first values.
var newAssessmentDefaults = map[string]string{"title": "", "kind": "final", "question_count": "20",
	"time_limit_minutes": "30", "pass_percent": "80", "max_attempts": "3", "cooldown_minutes": "60"}

// formOr is the values typed into the form key when it was refused, else
// the stored ones.
func (v *editCourseView) formOr(key string, stored map[string]string) map[string]string {
	if t, ok := v.Typed[key]; ok {
		return t
	}
	return stored
}

// typedForm keeps what was typed into a form's fields, as typed.
func typedForm(c *fiber.Ctx, fields ...string) map[string]string {
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		out[f] = c.FormValue(f)
	}
	return out
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (s *Site) renderEditCourse(c *fiber.Ctx, status int, v editCourseView) error {
	r := reqOf(c)
	ctx := c.UserContext()
	p := r.principal()
	view, err := s.d.Courses.Get(ctx, &p, c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	if view.Version != nil { // not the caller's to author
		return s.errorPage(c, fiber.StatusNotFound, "")
	}
	co := view.Course
	v.ID, v.Slug, v.Title, v.Summary, v.Language, v.Status = co.ID, co.Slug, co.Title, co.Summary, co.Language, string(co.Status())
	v.Minutes, v.Version = co.EstimatedMinutes, co.Version
	v.Details = v.formOr("course", map[string]string{"title": co.Title, "summary": co.Summary, "language": co.Language,
		"estimated_minutes": strconv.Itoa(co.EstimatedMinutes)})
	v.NewModule = v.formOr("module", map[string]string{"title": ""})
	v.NewAssessment = v.formOr("assessment", newAssessmentDefaults)
	for _, m := range co.Modules {
		em := editModule{ID: m.ID, Title: m.Title, Position: m.Position}
		em.Form = v.formOr("module_"+m.ID, map[string]string{"title": m.Title, "position": strconv.Itoa(m.Position)})
		for _, l := range m.Lessons {
			em.Lessons = append(em.Lessons, editLesson{ID: l.ID, Title: l.Title, Position: l.Position})
		}
		v.Modules = append(v.Modules, em)
	}
	as, err := s.d.Assessments.Assessments(ctx, &p, co.ID)
	if err != nil {
		return s.fail(c, err)
	}
	for _, a := range as {
		v.Assessments = append(v.Assessments, editAssessment{ID: a.ID, Title: a.Title, Kind: string(a.Kind), Questions: a.QuestionCount,
			Minutes: a.TimeLimitSeconds / 60, MaxAttempts: a.MaxAttempts, PassPercent: a.PassPercent,
			Form: v.formOr("assessment_"+a.ID, map[string]string{"title": a.Title, "question_count": strconv.Itoa(a.QuestionCount),
				"time_limit_minutes": strconv.Itoa(a.TimeLimitSeconds / 60), "pass_percent": number(a.PassPercent),
				"max_attempts": strconv.Itoa(a.MaxAttempts)})})
	}
	qs, err := s.d.Assessments.Questions(ctx, p, co.ID, web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	v.QuestionCount = len(qs.Items)
	for _, q := range qs.Items {
		v.Questions = append(v.Questions, bankRow{ID: q.ID, Name: q.Name, Type: string(q.Type), Points: q.Points,
			Prompt: template.HTML(q.Prompt), Explanation: template.HTML(q.Explanation), // sanitised when saved
			Form: v.formOr("question_"+q.ID, map[string]string{"prompt": q.Prompt, "explanation": q.Explanation, "points": number(q.Points)})})
	}
	if err := s.openLesson(c, &v); err != nil {
		return err
	}
	if qs.NextCursor != nil {
		v.QuestionCount = -1 // more than a page: shown as "100 or more"
	}
	if v.Lesson == nil {
		v.Lesson = map[string]string{}
		if len(v.Modules) > 0 {
			v.Lesson["module_id"] = v.Modules[len(v.Modules)-1].ID
		}
	}
	return s.render(c, status, "staff_course", co.Title, v)
}

func (s *Site) editCourse(c *fiber.Ctx) error {
	return s.renderEditCourse(c, fiber.StatusOK, editCourseView{})
}

func (s *Site) updateCourse(c *fiber.Ctx) error {
	r := reqOf(c)
	str := func(k string) *string { v := strings.TrimSpace(c.FormValue(k)); return &v }
	ch := courses.CourseChange{Title: str("title"), Summary: str("summary"), Language: str("language")}
	if m, err := strconv.Atoi(c.FormValue("estimated_minutes")); err == nil {
		ch.EstimatedMinutes = &m
	}
	if _, err := s.d.Courses.Update(c.UserContext(), r.principal(), c.Params("id"), ch); err != nil {
		if msgs, ok := authorMessages(r.lang, err); ok {
			return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{Errors: msgs,
				Typed: map[string]map[string]string{"course": typedForm(c, "title", "summary", "language", "estimated_minutes")}})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/courses/"+c.Params("id"), "course_saved")
}

func (s *Site) addModule(c *fiber.Ctx) error {
	r := reqOf(c)
	if _, err := s.d.Courses.AddModule(c.UserContext(), r.principal(), c.Params("id"), strings.TrimSpace(c.FormValue("title")), nil); err != nil {
		if msgs, ok := authorMessages(r.lang, err); ok {
			return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{Errors: map[string]string{"module": msgs[firstKey(msgs)]},
				Typed: map[string]map[string]string{"module": typedForm(c, "title")}})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/courses/"+c.Params("id")+"#lessons", "module_added")
}

func firstKey(m map[string]string) string {
	for k := range m {
		return k
	}
	return ""
}

// addLesson saves a lesson, or with action=preview shows the Markdown as
// learners will see it, sanitised, and saves nothing.
func (s *Site) addLesson(c *fiber.Ctx) error {
	r := reqOf(c)
	form := map[string]string{"module_id": c.FormValue("module_id"), "title": strings.TrimSpace(c.FormValue("title")),
		"body_markdown": c.FormValue("body_markdown")}
	if c.FormValue("action") == "preview" {
		html, err := courses.RenderMarkdown(form["body_markdown"])
		if err != nil {
			return s.fail(c, err)
		}
		return s.renderEditCourse(c, fiber.StatusOK, editCourseView{Lesson: form, Preview: template.HTML(html)}) // sanitised
	}
	if _, err := s.d.Courses.AddLesson(c.UserContext(), r.principal(), form["module_id"], form["title"], form["body_markdown"], nil); err != nil {
		if msg, ok := authorSummary(r.lang, err); ok {
			return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{Lesson: form, Errors: map[string]string{"lesson": msg}})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/courses/"+c.Params("id")+"#lessons", "lesson_added")
}

// importGIFT previews an uploaded (or pasted) GIFT file — every question
// and every error by line — and imports only when the trainer confirms
// the preview.
func (s *Site) importGIFT(c *fiber.Ctx) error {
	r := reqOf(c)
	text := c.FormValue("gift")
	tooLarge := func() error {
		return s.renderEditCourse(c, fiber.StatusRequestEntityTooLarge, editCourseView{Errors: map[string]string{
			"gift": r.lang.T("author.gift_too_large", "MiB", assessments.MaxGIFTBytes>>20)}})
	}
	if len(text) > assessments.MaxGIFTBytes {
		return tooLarge()
	}
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > assessments.MaxGIFTBytes {
			return tooLarge()
		}
		f, err := fh.Open()
		if err != nil {
			return s.fail(c, err)
		}
		raw, err := io.ReadAll(io.LimitReader(f, assessments.MaxGIFTBytes))
		f.Close()
		if err != nil {
			return s.fail(c, err)
		}
		text = string(raw)
	}
	if strings.TrimSpace(text) == "" {
		return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{Errors: map[string]string{"gift": r.lang.T("author.gift_empty")}})
	}
	if c.FormValue("confirm") == "yes" {
		n, errs, err := s.d.Assessments.ImportGIFT(c.UserContext(), r.principal(), c.Params("id"), text)
		if err != nil {
			return s.fail(c, err)
		}
		if len(errs) == 0 {
			return s.renderEditCourse(c, fiber.StatusCreated, editCourseView{Imported: n})
		}
		return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{GIFT: &giftPreview{Text: text, Errors: giftMessages(r.lang, errs)}})
	}
	qs, perrs := gift.Parse(text)
	pv := &giftPreview{Text: text}
	for _, q := range qs {
		prompt := q.Prompt
		if len(prompt) > 160 {
			prompt = prompt[:160] + "…"
		}
		pv.Questions = append(pv.Questions, giftRow{Line: q.Line, Title: q.Title, Type: string(q.Type), Prompt: prompt})
	}
	errs := make([]assessments.ImportError, len(perrs))
	for i, e := range perrs {
		errs[i] = assessments.ImportErrorOf(e)
	}
	pv.Errors = giftMessages(r.lang, errs)
	return s.renderEditCourse(c, fiber.StatusOK, editCourseView{GIFT: pv})
}

func (s *Site) addAssessment(c *fiber.Ctx) error {
	r := reqOf(c)
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(c.FormValue(k))); return n }
	pass, _ := strconv.ParseFloat(strings.TrimSpace(c.FormValue("pass_percent")), 64)
	set := assessments.Settings{Title: strings.TrimSpace(c.FormValue("title")), Kind: assessments.Kind(c.FormValue("kind")),
		QuestionCount: num("question_count"), TimeLimitSeconds: num("time_limit_minutes") * 60, PassPercent: pass,
		MaxAttempts: num("max_attempts"), CooldownSeconds: num("cooldown_minutes") * 60}
	if _, err := s.d.Assessments.CreateAssessment(c.UserContext(), r.principal(), c.Params("id"), set); err != nil {
		if msg, ok := authorSummary(r.lang, err); ok {
			return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{Errors: map[string]string{"assessment": msg},
				Typed: map[string]map[string]string{"assessment": typedForm(c, "title", "kind", "question_count", "time_limit_minutes",
					"pass_percent", "max_attempts", "cooldown_minutes")}})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/courses/"+c.Params("id")+"#assessments", "assessment_added")
}

func (s *Site) publishCourse(c *fiber.Ctx) error {
	r := reqOf(c)
	if _, err := s.d.Courses.Publish(c.UserContext(), r.principal(), c.Params("id")); err != nil {
		if msg, ok := authorSummary(r.lang, err); ok {
			return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{Errors: map[string]string{"publish": msg}})
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/staff/courses/"+c.Params("id"), "course_published")
}

type statRow struct {
	Prompt                   template.HTML
	Attempts                 int64
	Facility, Discrimination string
	Flag                     string
}

type statsView struct {
	CourseID              string
	Attempts              int64
	PassRate, MeanPercent string
	Questions             []statRow
	MinSample             int
}

func (s *Site) statistics(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	p := r.principal()
	st, err := s.d.Assessments.Statistics(ctx, p, c.Params("aid"))
	if err != nil {
		return s.fail(c, err)
	}
	v := statsView{MinSample: st.MinSample, CourseID: c.Params("id"), Attempts: st.Attempts, PassRate: fmt.Sprintf("%.0f%%", st.PassRate*100), MeanPercent: fmt.Sprintf("%.1f%%", st.MeanPercent)}
	for _, q := range st.Questions {
		// The prompt comes with the statistics (sanitised when saved; kept
		// from an attempt's form when the question has since been deleted).
		row := statRow{Prompt: template.HTML(q.Prompt), Attempts: q.Attempts, Facility: fmt.Sprintf("%.2f", q.Facility), Discrimination: "—"}
		if q.Prompt == "" {
			row.Prompt = template.HTML(template.HTMLEscapeString(q.QuestionID))
		}
		if q.Discrimination != nil {
			row.Discrimination = fmt.Sprintf("%.2f", *q.Discrimination)
		}
		var flags []string
		for _, f := range q.Flags {
			switch f {
			case assessments.FlagTooEasy:
				flags = append(flags, r.lang.T("stats.too_easy"))
			case assessments.FlagTooHard:
				flags = append(flags, r.lang.T("stats.too_hard"))
			case assessments.FlagNotDiscriminating:
				flags = append(flags, r.lang.T("stats.no_discrimination"))
			}
		}
		row.Flag = strings.Join(flags, "; ")
		v.Questions = append(v.Questions, row)
	}
	return s.render(c, fiber.StatusOK, "staff_stats", r.lang.T("stats.title"), v)
}
