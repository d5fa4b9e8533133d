// service_rules.go holds questions and assessment settings: validating and creating them.

package assessments

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// validateQuestion checks a question's consistency and returns a message
// per broken rule.
func validateQuestion(q Question) []web.FieldError {
	f := shapeOf(q)
	add := func(e web.FieldError) { f = append(f, e) }
	if strings.TrimSpace(q.Prompt) == "" {
		add(web.Required("prompt"))
	}
	if q.Points <= 0 || q.Points > 1000 || math.IsNaN(q.Points) {
		add(web.AboveAtMost("points", 0, 1000))
	}
	for _, t := range q.Tags {
		if strings.TrimSpace(t) == "" || len(t) > 50 {
			add(web.RuleTagLength.On("tags", "Min", 1, "Max", 50))
			break
		}
	}
	validateType(q, add)
	if !q.Type.IsChoice() && len(q.Options) > 0 {
		add(web.RuleOptionsChoice.On("options"))
	}
	if q.Type != ShortText && (q.Answer.AllowTypo || len(q.Answer.Weighted) > 0) {
		add(web.RuleAnswerShortText.On("answer"))
	}
	if q.Type != Numeric && len(q.Answer.Values) > 0 {
		add(web.RuleValuesNumeric.On("answer.values"))
	}
	return f
}

// shapeOf runs v's validate tags (shape and size), with the messages a
// request bound by web.Bind gets, so an import and a request read alike.
func shapeOf(v any) []web.FieldError {
	var e *web.Error
	if errors.As(web.Validate(v), &e) {
		return e.Fields
	}
	return nil
}

// weightSlack allows for weights written rounded, such as 3 × 33.333.
const weightSlack = 0.5

// prepare gives a question and its options ids and defaults.
func prepare(q *Question, courseID string) {
	if q.ID == "" {
		q.ID = dbx.NewID()
	}
	q.CourseID = courseID
	if q.Points == 0 {
		q.Points = 1
	}
	q.Tags = nonNil(q.Tags)
	for i := range q.Options {
		if q.Options[i].ID == "" {
			q.Options[i].ID = dbx.NewID()
		}
	}
}

// CreateQuestion adds a question to a course's bank.
func (s *Service) CreateQuestion(ctx context.Context, p web.Principal, courseID string, q Question) (Question, error) {
	id, err := s.courses.Authorize(ctx, p, courseID)
	if err != nil {
		return Question{}, err
	}
	prepare(&q, id)
	// Sanitised first, so that a prompt of nothing but a script is empty.
	if err := s.sanitize(&q, FormatHTML); err != nil {
		return Question{}, err
	}
	if f := validateQuestion(q); len(f) > 0 {
		return Question{}, web.Invalid("the question is not consistent", f...)
	}
	return q, s.store.CreateQuestion(ctx, q, s.now())
}

// Questions pages through a course's bank.
func (s *Service) Questions(ctx context.Context, p web.Principal, courseID string, page web.Page) (web.List[Question], error) {
	id, err := s.courses.Authorize(ctx, p, courseID)
	if err != nil {
		return web.List[Question]{}, err
	}
	qs, err := s.store.Questions(ctx, id, page)
	if err != nil {
		return web.List[Question]{}, err
	}
	return web.NewList(qs, page, func(q Question) string { return q.ID }), nil
}

// validateSettings checks an assessment: the shape and size its validate
// tags say (the same check and message as a request's), then the rules.
func validateSettings(a Settings) []web.FieldError {
	f := shapeOf(a)
	add := func(e web.FieldError) { f = append(f, e) }
	if a.Title != "" && strings.TrimSpace(a.Title) == "" {
		add(web.Required("title"))
	}
	if a.Kind != "" && a.Kind != KindFinal && a.Kind != KindQuiz {
		add(web.OneOf("kind", string(KindFinal), string(KindQuiz)))
	}
	if a.QuestionCount < 1 || a.QuestionCount > 200 {
		add(web.Between("question_count", 1, 200))
	}
	if a.TimeLimitSeconds < 30 || a.TimeLimitSeconds > 24*3600 {
		add(web.Between("time_limit_seconds", 30, 24*3600))
	}
	if a.PassPercent <= 0 || a.PassPercent > 100 || math.IsNaN(a.PassPercent) {
		add(web.AboveAtMost("pass_percent", 0, 100))
	}
	if a.MaxAttempts < 1 || a.MaxAttempts > 100 {
		add(web.Between("max_attempts", 1, 100))
	}
	if a.CooldownSeconds < 0 || a.CooldownSeconds > 365*24*3600 {
		add(web.Between("cooldown_seconds", 0, 365*24*3600))
	}
	for _, c := range a.CooldownSchedule {
		if c < 0 || c > 365*24*3600 {
			add(web.EachBetween("cooldown_schedule_seconds", 0, 365*24*3600))
			break
		}
	}
	for tag, id := range a.LessonTags {
		if strings.TrimSpace(tag) == "" || len(tag) > 50 || strings.TrimSpace(id) == "" || len(id) > 64 {
			add(web.RuleLessonTags.On("lesson_tags", "Min", 1, "Max", 50))
			break
		}
	}
	if a.Review != "" && !slices.Contains(reviews, a.Review) {
		add(web.OneOf("review", reviews...))
	}
	return f
}

// CreateAssessment adds an assessment to a course; learners see it once
// the course is published again.
func (s *Service) CreateAssessment(ctx context.Context, p web.Principal, courseID string, a Settings) (Settings, error) {
	id, err := s.courses.Authorize(ctx, p, courseID)
	if err != nil {
		return Settings{}, err
	}
	a.ID, a.CourseID, a.Tags = dbx.NewID(), id, nonNil(a.Tags)
	if a.Review == "" {
		a.Review = ReviewDefault
	}
	f := validateSettings(a)
	if len(f) == 0 {
		if f, err = s.supply(ctx, a); err != nil {
			return Settings{}, err
		}
	}
	if len(f) > 0 {
		return Settings{}, web.Invalid("the assessment is not valid", f...)
	}
	if err := s.store.CreateAssessment(ctx, a, "", s.now()); err != nil {
		return Settings{}, err
	}
	return a, s.markChanged(ctx, id)
}

// Assessments lists a course's assessments: the working settings for its
// author, the published ones for everyone else. For a learner each carries
// their Standing (attempts used and left, a running cooldown), so the
// rules are known before starting.
func (s *Service) Assessments(ctx context.Context, p *web.Principal, courseID string) ([]Listed, error) {
	if p != nil && p.CanAuthor() {
		if id, err := s.courses.Authorize(ctx, *p, courseID); err == nil {
			return listed(s.store.Assessments(ctx, id))
		}
	}
	id, settings, err := s.courses.Published(ctx, courseID)
	if err != nil || p == nil || p.Role != web.RoleLearner {
		return listed(settings, err)
	}
	list, _ := listed(settings, nil)
	var lessonsDone *bool
	for i := range list {
		attempts, err := s.store.UserAttempts(ctx, list[i].ID, p.UserID)
		if err != nil {
			return nil, err
		}
		st := StandingOf(list[i].Settings, attempts, s.now())
		if st.Passed && list[i].Kind == KindFinal && !slices.ContainsFunc(attempts, func(a Attempt) bool { return a.CertificateID != "" }) {
			if lessonsDone == nil {
				info, err := s.courses.Learner(ctx, p.UserID, id)
				if err != nil {
					return nil, err
				}
				lessonsDone = &info.CompletedLessons
			}
			if !*lessonsDone {
				st.CertificatePending = CertificateWaitsForLessons
			}
		}
		list[i].Standing = &st
	}
	return list, nil
}

// listed wraps settings for a list, passing an error on.
func listed(settings []Settings, err error) ([]Listed, error) {
	if err != nil {
		return nil, err
	}
	out := make([]Listed, len(settings))
	for i, a := range settings {
		out[i] = Listed{Settings: a}
	}
	return out, nil
}

// AssessmentSettings hands the working settings to a course being published.
func (s *Service) AssessmentSettings(ctx context.Context, courseID string) ([]Settings, error) {
	return s.store.Assessments(ctx, courseID)
}
