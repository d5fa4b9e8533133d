package site

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/courses"
)

// The staff course page's editing forms: a lesson (title, Markdown body
// with the same preview, position; delete with a confirm box), modules
// (rename, move, delete when empty), questions (prompt, explanation,
// points; delete) and assessments (settings; delete). Each form posts to
// its own address and calls the same service method as the JSON API.

func (s *Site) mountEditing(pg pageRouter) {
	t := s.staffOnly(web.RoleTrainer)
	pg.Post("/staff/courses/:id/lessons/:lid", s.csrf, t, s.editLesson)
	pg.Post("/staff/courses/:id/lessons/:lid/delete", s.csrf, t, s.deleteLesson)
	pg.Post("/staff/courses/:id/modules/:mid", s.csrf, t, s.editModule)
	pg.Post("/staff/courses/:id/modules/:mid/delete", s.csrf, t, s.deleteModule)
	pg.Post("/staff/courses/:id/questions/:qid", s.csrf, t, s.editQuestion)
	pg.Post("/staff/courses/:id/questions/:qid/delete", s.csrf, t, s.deleteQuestion)
	pg.Post("/staff/courses/:id/assessments/:aid", s.csrf, t, s.editAssessment)
	pg.Post("/staff/courses/:id/assessments/:aid/delete", s.csrf, t, s.deleteAssessment)
}

// lessonEdit is the open lesson form of the course page.
type lessonEdit struct {
	ID, Title, Body string
	Position        int
	Preview         template.HTML
}

// bankRow is a question as the course page lists it.
type bankRow struct {
	ID, Name, Type      string
	Prompt, Explanation template.HTML // sanitised when saved
	Points              float64
	Form                map[string]string // its edit form: the stored texts and points, or what was typed when refused
}

// openLesson fills the lesson form from the working copy when the page is
// asked for ?lesson=ID.
func (s *Site) openLesson(c *fiber.Ctx, v *editCourseView) error {
	id := c.Query("lesson")
	if id == "" || v.EditLesson != nil {
		return nil
	}
	r := reqOf(c)
	l, err := s.d.Courses.Lesson(c.UserContext(), r.principal(), id)
	if err != nil {
		return nil // a stale link: the page without the form
	}
	v.EditLesson = &lessonEdit{ID: l.ID, Title: l.Title, Body: l.BodyMarkdown, Position: l.Position}
	return nil
}

func (s *Site) back(c *fiber.Ctx, anchor, flash string) error {
	return s.redirect(c, "/staff/courses/"+c.Params("id")+anchor, flash)
}

// editError re-renders the course page with the service's message beside
// the form that failed, in the page's language.
func (s *Site) editError(c *fiber.Ctx, err error, key string, v editCourseView) error {
	r := reqOf(c)
	msg, ok := authorSummary(r.lang, err)
	if !ok {
		return s.fail(c, err)
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors[key] = msg
	return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, v)
}

func formInt(c *fiber.Ctx, k string) *int {
	raw := strings.TrimSpace(c.FormValue(k))
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		n = -1 // refused by the service as out of range, with its message
	}
	return &n
}

func (s *Site) editLesson(c *fiber.Ctx) error {
	r := reqOf(c)
	title, body := strings.TrimSpace(c.FormValue("title")), c.FormValue("body_markdown")
	pos := formInt(c, "position")
	form := &lessonEdit{ID: c.Params("lid"), Title: title, Body: body}
	if pos != nil {
		form.Position = *pos
	}
	if c.FormValue("action") == "preview" {
		html, err := courses.RenderMarkdown(body)
		if err != nil {
			return s.fail(c, err)
		}
		form.Preview = template.HTML(html) // sanitised
		return s.renderEditCourse(c, fiber.StatusOK, editCourseView{EditLesson: form})
	}
	ch := courses.LessonChange{Title: &title, BodyMarkdown: &body, Position: pos}
	if _, err := s.d.Courses.UpdateLesson(c.UserContext(), r.principal(), c.Params("lid"), ch); err != nil {
		return s.editError(c, err, "edit_lesson", editCourseView{EditLesson: form})
	}
	return s.back(c, "#lessons", "lesson_saved")
}

func (s *Site) deleteLesson(c *fiber.Ctx) error {
	r := reqOf(c)
	if c.FormValue("confirm") != "yes" {
		return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{
			Errors: map[string]string{"edit_lesson": r.lang.T("author.confirm_needed")}, EditLesson: s.lessonForm(c, c.Params("lid"))})
	}
	if err := s.d.Courses.DeleteLesson(c.UserContext(), r.principal(), c.Params("lid")); err != nil {
		return s.editError(c, err, "lessons", editCourseView{})
	}
	return s.back(c, "#lessons", "lesson_deleted")
}

func (s *Site) lessonForm(c *fiber.Ctx, id string) *lessonEdit {
	l, err := s.d.Courses.Lesson(c.UserContext(), reqOf(c).principal(), id)
	if err != nil {
		return nil
	}
	return &lessonEdit{ID: l.ID, Title: l.Title, Body: l.BodyMarkdown, Position: l.Position}
}

func (s *Site) editModule(c *fiber.Ctx) error {
	r := reqOf(c)
	title := strings.TrimSpace(c.FormValue("title"))
	ch := courses.ModuleChange{Title: &title, Position: formInt(c, "position")}
	if _, err := s.d.Courses.UpdateModule(c.UserContext(), r.principal(), c.Params("mid"), ch); err != nil {
		key := "module_" + c.Params("mid")
		return s.editError(c, err, key, editCourseView{Typed: map[string]map[string]string{key: typedForm(c, "title", "position")}})
	}
	return s.back(c, "#lessons", "module_saved")
}

func (s *Site) deleteModule(c *fiber.Ctx) error {
	r := reqOf(c)
	if c.FormValue("confirm") != "yes" {
		return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{
			Errors: map[string]string{"module_" + c.Params("mid"): r.lang.T("author.confirm_needed")}})
	}
	if err := s.d.Courses.DeleteModule(c.UserContext(), r.principal(), c.Params("mid")); err != nil {
		return s.editError(c, err, "module_"+c.Params("mid"), editCourseView{})
	}
	return s.back(c, "#lessons", "module_deleted")
}

func (s *Site) editQuestion(c *fiber.Ctx) error {
	r := reqOf(c)
	key := "question_" + c.Params("qid")
	typed := map[string]map[string]string{key: typedForm(c, "prompt", "explanation", "points")}
	prompt, expl := c.FormValue("prompt"), c.FormValue("explanation")
	ch := assessments.QuestionChange{Prompt: &prompt, Explanation: &expl}
	if raw := strings.TrimSpace(c.FormValue("points")); raw != "" {
		pts, err := strconv.ParseFloat(raw, 64)
		if err != nil || pts <= 0 {
			return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{
				Errors: map[string]string{key: r.lang.T("author.points_invalid")}, Typed: typed})
		}
		ch.Points = &pts
	}
	if _, err := s.d.Assessments.UpdateQuestion(c.UserContext(), r.principal(), c.Params("qid"), ch); err != nil {
		return s.editError(c, err, key, editCourseView{Typed: typed})
	}
	return s.back(c, "#questions", "question_saved")
}

func (s *Site) deleteQuestion(c *fiber.Ctx) error {
	r := reqOf(c)
	if c.FormValue("confirm") != "yes" {
		return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{
			Errors: map[string]string{"question_" + c.Params("qid"): r.lang.T("author.confirm_needed")}})
	}
	if err := s.d.Assessments.DeleteQuestion(c.UserContext(), r.principal(), c.Params("qid")); err != nil {
		return s.editError(c, err, "question_"+c.Params("qid"), editCourseView{})
	}
	return s.back(c, "#questions", "question_deleted")
}

func (s *Site) editAssessment(c *fiber.Ctx) error {
	r := reqOf(c)
	title := strings.TrimSpace(c.FormValue("title"))
	ch := assessments.SettingsChange{Title: &title, QuestionCount: formInt(c, "question_count"), MaxAttempts: formInt(c, "max_attempts")}
	if m := formInt(c, "time_limit_minutes"); m != nil {
		secs := *m * 60
		ch.TimeLimitSeconds = &secs
	}
	if raw := strings.TrimSpace(c.FormValue("pass_percent")); raw != "" {
		pass, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			pass = -1
		}
		ch.PassPercent = &pass
	}
	if _, err := s.d.Assessments.UpdateAssessment(c.UserContext(), r.principal(), c.Params("aid"), ch); err != nil {
		key := "assessment_" + c.Params("aid")
		return s.editError(c, err, key, editCourseView{Typed: map[string]map[string]string{key: typedForm(c, "title",
			"question_count", "time_limit_minutes", "pass_percent", "max_attempts")}})
	}
	return s.back(c, "#assessments", "assessment_saved")
}

func (s *Site) deleteAssessment(c *fiber.Ctx) error {
	r := reqOf(c)
	if c.FormValue("confirm") != "yes" {
		return s.renderEditCourse(c, fiber.StatusUnprocessableEntity, editCourseView{
			Errors: map[string]string{"assessment_" + c.Params("aid"): r.lang.T("author.confirm_needed")}})
	}
	if err := s.d.Assessments.DeleteAssessment(c.UserContext(), r.principal(), c.Params("aid")); err != nil {
		return s.editError(c, err, "assessment_"+c.Params("aid"), editCourseView{})
	}
	return s.back(c, "#assessments", "assessment_deleted")
}
