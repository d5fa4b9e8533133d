package site

import (
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/assessments"
)

type assessmentView struct {
	ID, Title, CourseSlug, CourseTitle string
	Final                              bool
	Questions, Minutes                 int
	PassPercent                        float64
	MaxAttempts, Used, Left            int
	CooldownMinutes                    int
	RetryAt                            string
	OpenAttemptID, LastAttemptID       string
	Passed, Enrolled, LessonsDone      bool
	CanStart                           bool
}

func (s *Site) assessmentStanding(c *fiber.Ctx, id string) (assessmentView, error) {
	r := reqOf(c)
	ctx := c.UserContext()
	ov, err := s.d.Assessments.LearnerOverview(ctx, r.principal(), id)
	if err != nil {
		return assessmentView{}, err
	}
	st := ov.Standing
	cs, err := s.d.Courses.LearnerStanding(ctx, "", ov.Settings.CourseID)
	if err != nil {
		return assessmentView{}, err
	}
	set := ov.Settings
	v := assessmentView{ID: set.ID, Title: set.Title, CourseSlug: cs.Version.Slug, CourseTitle: cs.Version.Title,
		Final: set.Kind == assessments.KindFinal, Questions: set.QuestionCount, Minutes: (set.TimeLimitSeconds + 59) / 60,
		PassPercent: set.PassPercent, MaxAttempts: set.MaxAttempts, Used: st.AttemptsUsed, Left: st.AttemptsLeft,
		CooldownMinutes: (set.CooldownSeconds + 59) / 60, OpenAttemptID: st.OpenAttemptID, LastAttemptID: ov.LastAttemptID,
		Passed: st.Passed, Enrolled: ov.Enrolled, LessonsDone: ov.LessonsDone}
	if st.RetryAt != nil {
		v.RetryAt = s.when(r.lang, *st.RetryAt)
	}
	v.CanStart = ov.Enrolled && st.OpenAttemptID == "" && st.AttemptsLeft > 0 && st.RetryAt == nil
	return v, nil
}

// when shows a moment the way a learner reads it: the time in UTC and how
// long from now.
func (s *Site) when(l *Lang, t time.Time) string {
	d := t.Sub(s.d.Now())
	switch {
	case d <= time.Minute:
		return l.T("time.now")
	case d < time.Hour:
		return l.N("time.in_minutes", int(math.Ceil(d.Minutes())))
	case d < 48*time.Hour:
		return l.N("time.in_hours", int(math.Ceil(d.Hours())))
	}
	return l.T("time.on_date", "Date", l.DateTime(t))
}

func (s *Site) assessment(c *fiber.Ctx) error {
	v, err := s.assessmentStanding(c, c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	return s.render(c, fiber.StatusOK, "assessment", v.Title, v)
}

func (s *Site) startAttempt(c *fiber.Ctx) error {
	r := reqOf(c)
	a, _, err := s.d.Assessments.Start(c.UserContext(), r.principal(), c.Params("id"))
	if err != nil {
		if e, ok := web.AsError(err); ok && (e.Kind == web.KindConflict || e.Kind == web.KindForbidden) {
			// The rules page says why (cooldown, attempts used up, not enrolled).
			return s.redirect(c, "/assessments/"+c.Params("id"), "cannot_start")
		}
		return s.fail(c, err)
	}
	return s.redirect(c, "/attempts/"+a.ID, "")
}

type optionView struct {
	ID      string
	Text    template.HTML
	Checked bool
	Right   bool
}

type questionView struct {
	Number   int
	ID, Type string
	Prompt   template.HTML
	Points   float64
	// WholePoints is Points when a whole number, for the plural form.
	WholePoints int
	Multiple    bool
	Choice      bool
	Numeric     bool
	Options     []optionView
	Value       string
	Answered    bool
	// After grading:
	Correct     bool
	Awarded     float64
	RightAnswer string
	Explanation template.HTML
	Feedback    template.HTML
	LessonID    string // the lesson to read again
	LessonTitle string
}

type attemptView struct {
	ID, AssessmentID, Title string
	Open                    bool
	Deadline                string // RFC 3339, for the timer script
	DeadlineText            string
	ServerNow               string
	MinutesLeft             int
	Questions               []questionView
	Answered, Unanswered    int
	Confirm                 bool
	TimeUp                  bool
	// Result:
	Score, MaxScore, Percent, PassPercent float64
	Passed                                bool
	CertificateID                         string
	Reveal                                bool
	Standing                              assessmentView
	WrongCount                            int
}

func (s *Site) attemptView(c *fiber.Ctx, rv assessments.Review) (attemptView, error) {
	r := reqOf(c)
	a := rv.Attempt
	now := s.d.Now()
	v := attemptView{ID: a.ID, AssessmentID: a.AssessmentID, Title: a.Settings.Title, Open: a.Status == assessments.StatusOpen,
		Deadline: a.Deadline.UTC().Format(time.RFC3339), ServerNow: now.UTC().Format(time.RFC3339),
		DeadlineText: a.Deadline.UTC().Format("15:04 UTC"), PassPercent: a.Settings.PassPercent}
	if left := a.Deadline.Sub(now); left > 0 {
		v.MinutesLeft = int(math.Ceil(left.Minutes()))
	}
	results := map[string]assessments.Result{}
	for _, res := range a.Results {
		results[res.QuestionID] = res
	}
	for i, q := range a.Form {
		qv := questionView{Number: i + 1, ID: q.ID, Type: string(q.Type), Prompt: template.HTML(q.Prompt), Points: q.Points, WholePoints: wholeOf(q.Points),
			Multiple: q.Type.Control() == assessments.ControlCheckbox, Choice: q.Type.IsChoice(), Numeric: q.Type.Control() == assessments.ControlNumber}
		saved, has := a.Answers[q.ID]
		chosen := map[string]bool{}
		for _, id := range saved.OptionIDs {
			chosen[id] = true
		}
		if saved.Value != nil {
			qv.Value = *saved.Value
		}
		qv.Answered = has && (len(saved.OptionIDs) > 0 || strings.TrimSpace(qv.Value) != "")
		if q.Type.Control() == assessments.ControlTrueFalse {
			qv.Choice = true
			for _, o := range []struct{ id, key string }{{"true", "exam.true"}, {"false", "exam.false"}} {
				qv.Options = append(qv.Options, optionView{ID: o.id, Text: template.HTML(template.HTMLEscapeString(r.lang.T(o.key))),
					Checked: qv.Value == o.id})
			}
		}
		for _, o := range q.Options {
			qv.Options = append(qv.Options, optionView{ID: o.ID, Text: template.HTML(o.Text), Checked: chosen[o.ID], Right: rv.Reveal && o.Correct})
		}
		if qv.Answered {
			v.Answered++
		} else {
			v.Unanswered++
		}
		if a.Status == assessments.StatusGraded {
			res := results[q.ID]
			qv.Correct, qv.Awarded = res.Correct, res.PointsAwarded
			if !res.Correct {
				v.WrongCount++
				if l, ok := rv.Lessons[q.ID]; ok {
					qv.LessonID, qv.LessonTitle = l.ID, l.Title
				}
			}
			if rv.Reveal {
				qv.RightAnswer = rightAnswerText(r.lang, q)
				qv.Explanation = template.HTML(q.Explanation) // sanitised when the question was saved
				qv.Feedback = template.HTML(res.Feedback)
			}
		}
		v.Questions = append(v.Questions, qv)
	}
	if a.Status == assessments.StatusGraded {
		v.Score, v.MaxScore, v.Percent, v.Passed, v.CertificateID, v.Reveal = a.Score, a.MaxScore, a.Percent, a.Passed, a.CertificateID, rv.Reveal
		st, err := s.assessmentStanding(c, a.AssessmentID)
		if err != nil {
			return v, err
		}
		v.Standing = st
		v.TimeUp = a.SubmittedAt == nil || a.SubmittedAt.After(a.Deadline)
	}
	return v, nil
}

func wholeOf(f float64) int {
	if f >= 1 && f == math.Trunc(f) {
		return int(f)
	}
	return 0
}

// rightAnswerText says the right answer of a non-choice question (choice
// questions mark their right options instead), in the page's language.
func rightAnswerText(l *Lang, q assessments.Question) string {
	t := q.RightAnswerText()
	if q.Type.Control() == assessments.ControlTrueFalse {
		return l.T("exam." + t)
	}
	return t
}

func (s *Site) attempt(c *fiber.Ctx) error {
	r := reqOf(c)
	rv, err := s.d.Assessments.Get(c.UserContext(), r.principal(), c.Params("id"))
	if err != nil {
		return s.fail(c, err)
	}
	if rv.Author {
		return s.errorPage(c, fiber.StatusNotFound, "")
	}
	v, err := s.attemptView(c, rv)
	if err != nil {
		return s.fail(c, err)
	}
	page := "attempt"
	if !v.Open {
		page = "result"
	}
	return s.render(c, fiber.StatusOK, page, v.Title, v)
}

// responses reads the attempt form's q-{question_id} controls.
func responses(c *fiber.Ctx, form []assessments.Question) []assessments.Response {
	args := c.Request().PostArgs()
	var out []assessments.Response
	for _, q := range form {
		name := "q-" + q.ID
		if q.Type.IsChoice() {
			var ids []string
			for _, v := range args.PeekMulti(name) {
				ids = append(ids, string(v))
			}
			if ids == nil {
				ids = []string{}
			}
			out = append(out, assessments.Response{QuestionID: q.ID, OptionIDs: ids})
			continue
		}
		if !args.Has(name) {
			continue
		}
		v := strings.TrimSpace(string(args.Peek(name)))
		out = append(out, assessments.Response{QuestionID: q.ID, Value: &v})
	}
	return out
}

func (s *Site) postAttempt(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	id := c.Params("id")
	rv, err := s.d.Assessments.Get(ctx, r.principal(), id)
	if err != nil {
		return s.fail(c, err)
	}
	if rv.Author || rv.UserID != r.user.ID {
		return s.errorPage(c, fiber.StatusNotFound, "")
	}
	if rv.Status != assessments.StatusOpen {
		if rv.SubmittedAt == nil || rv.SubmittedAt.After(rv.Deadline) {
			return s.redirect(c, "/attempts/"+id, "time_up") // graded at its deadline
		}
		return s.redirect(c, "/attempts/"+id, "already_graded")
	}
	rs := responses(c, rv.Form)
	action := c.FormValue("action")
	if action != "submit" {
		if _, err := s.d.Assessments.SaveAnswers(ctx, r.principal(), id, rs); err != nil {
			if web.IsKind(err, web.KindConflict) {
				// The time is over: the server's clock rules; show the result.
				if _, err := s.d.Assessments.Submit(ctx, r.principal(), id, nil); err != nil {
					return s.fail(c, err)
				}
				return s.redirect(c, "/attempts/"+id, "time_up")
			}
			return s.fail(c, err)
		}
		if c.Get("X-Autosave") == "1" {
			return c.SendStatus(fiber.StatusNoContent)
		}
		return s.redirect(c, "/attempts/"+id+"#q-list", "saved")
	}
	if c.FormValue("confirm") != "yes" {
		// Save first, then ask, saying how many are unanswered.
		if _, err := s.d.Assessments.SaveAnswers(ctx, r.principal(), id, rs); err == nil {
			if rv, err = s.d.Assessments.Get(ctx, r.principal(), id); err != nil {
				return s.fail(c, err)
			}
			v, err := s.attemptView(c, rv)
			if err != nil {
				return s.fail(c, err)
			}
			if v.Unanswered > 0 && v.Open {
				v.Confirm = true
				return s.render(c, fiber.StatusOK, "confirm", v.Title, v)
			}
		} else if !web.IsKind(err, web.KindConflict) {
			return s.fail(c, err)
		}
		rs = nil // saved above, or too late to count
	}
	if _, err := s.d.Assessments.Submit(ctx, r.principal(), id, rs); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, "/attempts/"+id, "submitted")
}
