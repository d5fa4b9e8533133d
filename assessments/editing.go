package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Editing a course's bank and assessments. The bank is the course's
// working bank: attempts already drawn keep their own copy of every
// question (the attempt's form), so editing or deleting a question never
// changes an attempt's grading. Assessment settings reach learners only
// through a published version, so an edit waits for the next publish.
// A deleted assessment keeps its row (deleted_at set): a published
// version that still holds it keeps working until the next publish.

// changeMarker is what the courses seam offers to mark a course's working
// copy changed since its last publish; it is optional so that test fakes
// of Courses need not implement it.
type changeMarker interface {
	MarkChanged(ctx context.Context, courseID string) error
}

func (s *Service) markChanged(ctx context.Context, courseID string) error {
	if m, ok := s.courses.(changeMarker); ok {
		return m.MarkChanged(ctx, courseID)
	}
	return nil
}

// QuestionChange is a PATCH of a question; nil fields stay. Options, when
// given, replace the list (an option keeps its id when it names it or
// keeps its text); Answer, when given, replaces the answer.
type QuestionChange struct {
	Type        *QuestionType
	Name        *string
	Prompt      *string
	Points      *float64
	Tags        *[]string
	Explanation *string
	Options     *[]Option
	Answer      *Answer
	// AnswerValue is answer.value as sent, read for the question's type
	// once the change has set it (see typeSpec.readValue).
	AnswerValue json.RawMessage
}

// authorQuestion loads a question and checks that p may author its course:
// a question of a course p may not see is 404.
func (s *Service) authorQuestion(ctx context.Context, p web.Principal, id string) (Question, error) {
	q, err := s.store.question(ctx, id)
	if err != nil {
		return Question{}, err
	}
	if err := s.authorizeFor(ctx, p, q.CourseID, "question"); err != nil {
		return Question{}, err
	}
	return q, nil
}

// authorizeFor checks that p may author courseID, the course of a
// question or an assessment (what): a course p may not see makes the
// thing itself not found, as if it did not exist; a course p may only
// see is 403.
func (s *Service) authorizeFor(ctx context.Context, p web.Principal, courseID, what string) error {
	_, err := s.courses.Authorize(ctx, p, courseID)
	if web.IsKind(err, web.KindNotFound) {
		return web.NotFound(what)
	}
	return err
}

// UpdateQuestion changes a question of the bank; the changed text is
// sanitised like a new question's, and the result must be consistent.
func (s *Service) UpdateQuestion(ctx context.Context, p web.Principal, id string, ch QuestionChange) (Question, error) {
	var out Question
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		q, err := s.authorQuestion(ctx, p, id)
		if err != nil {
			return err
		}
		// Only what changes is sanitised: the rest is already safe HTML.
		var fresh Question
		if ch.Prompt != nil {
			fresh.Prompt = strings.TrimSpace(*ch.Prompt)
		}
		if ch.Explanation != nil {
			fresh.Explanation = *ch.Explanation
		}
		if ch.Options != nil {
			fresh.Options = slices.Clone(*ch.Options)
		}
		if ch.Answer != nil {
			fresh.Answer = *ch.Answer
		}
		if err := s.sanitize(&fresh, FormatHTML); err != nil {
			return err
		}
		if ch.Type != nil {
			q.Type = *ch.Type
		}
		if ch.Name != nil {
			q.Name = strings.TrimSpace(*ch.Name)
		}
		if ch.Prompt != nil {
			q.Prompt = fresh.Prompt
		}
		if ch.Points != nil {
			q.Points = *ch.Points
		}
		if ch.Tags != nil {
			q.Tags = nonNil(*ch.Tags)
		}
		if ch.Explanation != nil {
			q.Explanation = fresh.Explanation
		}
		if ch.Answer != nil {
			q.Answer = fresh.Answer
			if err := readAnswerValue(&q, ch.AnswerValue); err != nil {
				return web.Invalid("the question is not consistent", web.RuleAnswerType.On("answer.value"))
			}
		}
		if ch.Options != nil {
			old := q.Options
			q.Options = fresh.Options
			for i := range q.Options {
				o := &q.Options[i]
				keep := slices.IndexFunc(old, func(x Option) bool { return o.ID != "" && x.ID == o.ID })
				if keep < 0 {
					keep = slices.IndexFunc(old, func(x Option) bool { return x.Text == o.Text })
				}
				o.ID = ""
				if keep >= 0 && !slices.ContainsFunc(q.Options[:i], func(x Option) bool { return x.ID == old[keep].ID }) {
					o.ID = old[keep].ID
				}
			}
		}
		if !q.Type.IsChoice() {
			q.Options = []Option{}
		}
		prepare(&q, q.CourseID)
		if f := validateQuestion(q); len(f) > 0 {
			return web.Invalid("the question is not consistent", f...)
		}
		if err := s.store.UpdateQuestion(ctx, q, s.now()); err != nil {
			return err
		}
		out = q
		return s.markChanged(ctx, q.CourseID)
	})
	return out, err
}

// DeleteQuestion removes a question from the bank; attempts already drawn
// keep their copy and are graded as they were drawn.
func (s *Service) DeleteQuestion(ctx context.Context, p web.Principal, id string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		q, err := s.authorQuestion(ctx, p, id)
		if err != nil {
			return err
		}
		if err := s.store.DeleteQuestions(ctx, []string{q.ID}); err != nil {
			return fmt.Errorf("assessments: delete question: %w", err)
		}
		return s.markChanged(ctx, q.CourseID)
	})
}

// SettingsChange is a PATCH of an assessment, read straight from the
// request body; nil fields stay. The patched Settings are checked whole
// (validateSettings), so a change carries no rules of its own.
type SettingsChange struct {
	Title            *string            `json:"title"`
	Kind             *Kind              `json:"kind"`
	QuestionCount    *int               `json:"question_count"`
	Tags             *[]string          `json:"tags"`
	TimeLimitSeconds *int               `json:"time_limit_seconds"`
	PassPercent      *float64           `json:"pass_percent"`
	MaxAttempts      *int               `json:"max_attempts"`
	CooldownSeconds  *int               `json:"cooldown_seconds"`
	CooldownSchedule *[]int             `json:"cooldown_schedule_seconds"`
	Review           *string            `json:"review"`
	LessonTags       *map[string]string `json:"lesson_tags"`
}

func (ch SettingsChange) apply(a *Settings) {
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	if ch.Title != nil {
		a.Title = strings.TrimSpace(*ch.Title)
	}
	if ch.Kind != nil {
		a.Kind = *ch.Kind
	}
	set(&a.QuestionCount, ch.QuestionCount)
	set(&a.TimeLimitSeconds, ch.TimeLimitSeconds)
	set(&a.MaxAttempts, ch.MaxAttempts)
	set(&a.CooldownSeconds, ch.CooldownSeconds)
	if ch.Tags != nil {
		a.Tags = nonNil(*ch.Tags)
	}
	if ch.PassPercent != nil {
		a.PassPercent = *ch.PassPercent
	}
	if ch.CooldownSchedule != nil {
		a.CooldownSchedule = *ch.CooldownSchedule
	}
	if ch.Review != nil {
		a.Review = *ch.Review
		if a.Review == "" {
			a.Review = ReviewDefault
		}
	}
	if ch.LessonTags != nil {
		a.LessonTags = *ch.LessonTags
	}
}

// authorAssessment loads a live assessment and checks that p may author
// its course.
func (s *Service) authorAssessment(ctx context.Context, p web.Principal, id string) (Settings, error) {
	a, err := s.store.liveAssessment(ctx, id)
	if err != nil {
		return Settings{}, err
	}
	if err := s.authorizeFor(ctx, p, a.CourseID, "assessment"); err != nil {
		return Settings{}, err
	}
	return a, nil
}

// UpdateAssessment changes an assessment's working settings; learners get
// them with the next publish.
func (s *Service) UpdateAssessment(ctx context.Context, p web.Principal, id string, ch SettingsChange) (Settings, error) {
	var out Settings
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.authorAssessment(ctx, p, id)
		if err != nil {
			return err
		}
		ch.apply(&a)
		f := validateSettings(a)
		if len(f) == 0 {
			if f, err = s.supply(ctx, a); err != nil {
				return err
			}
		}
		if len(f) > 0 {
			return web.Invalid("the assessment is not valid", f...)
		}
		if err := s.store.UpdateAssessment(ctx, a, s.now()); err != nil {
			return err
		}
		out = a
		return s.markChanged(ctx, a.CourseID)
	})
	return out, err
}

// DeleteAssessment removes an assessment from the working copy; a
// published version that holds it keeps it until the next publish.
func (s *Service) DeleteAssessment(ctx context.Context, p web.Principal, id string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.authorAssessment(ctx, p, id)
		if err != nil {
			return err
		}
		if err := s.store.deleteAssessment(ctx, a.ID, s.now()); err != nil {
			return err
		}
		return s.markChanged(ctx, a.CourseID)
	})
}

// supply reports a question_count the bank (or the assessment's tags)
// cannot meet: an attempt would silently get fewer questions.
func (s *Service) supply(ctx context.Context, a Settings) ([]web.FieldError, error) {
	bank, err := s.store.Questions(ctx, a.CourseID, web.Page{})
	if err != nil {
		return nil, err
	}
	n := 0
	for _, q := range bank {
		if len(a.Tags) == 0 || slices.ContainsFunc(q.Tags, func(t string) bool { return slices.Contains(a.Tags, t) }) {
			n++
		}
	}
	if a.QuestionCount <= n {
		return nil, nil
	}
	if len(a.Tags) > 0 {
		return []web.FieldError{web.RuleBankShortTags.On("question_count", "Asked", a.QuestionCount, "Tags", strings.Join(a.Tags, ", "), "Have", n)}, nil
	}
	return []web.FieldError{web.RuleBankShort.On("question_count", "Asked", a.QuestionCount, "Have", n)}, nil
}

// PublishableSettings hands the working settings to a course being
// published, refusing (422) an assessment its bank cannot fill.
func (s *Service) PublishableSettings(ctx context.Context, courseID string) ([]Settings, error) {
	list, err := s.store.Assessments(ctx, courseID)
	if err != nil {
		return nil, err
	}
	var fields []web.FieldError
	for _, a := range list {
		f, err := s.supply(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, x := range f {
			fields = append(fields, web.RuleInAssessment.On("assessments", "Title", strconv.Quote(a.Title), "Field", x.Field, "Message", x))
		}
	}
	if len(fields) > 0 {
		return nil, web.Invalid("the course cannot be published", fields...)
	}
	return list, nil
}

// question loads one question of any bank.
func (s *Store) question(ctx context.Context, id string) (Question, error) {
	return dbx.ByID(s.conn(ctx), id, "question", "assessments: load question", questionRow.domain)
}

// liveAssessment loads an assessment that has not been deleted.
func (s *Store) liveAssessment(ctx context.Context, id string) (Settings, error) {
	var row assessmentRow
	err := s.conn(ctx).Where("id = ? AND deleted_at IS NULL", id).Take(&row).Error
	if err := dbx.LoadErr(err, "assessment", "assessments: load assessment"); err != nil {
		return Settings{}, err
	}
	return row.domain(), nil
}

func (s *Store) deleteAssessment(ctx context.Context, id string, now time.Time) error {
	res := s.conn(ctx).Model(&assessmentRow{}).Where("id = ? AND deleted_at IS NULL", id).
		Updates(map[string]any{"deleted_at": now, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("assessments: delete assessment: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return web.NotFound("assessment")
	}
	return nil
}

// formPrompts finds, in the forms of the assessment's attempts, the
// prompts of questions since deleted from the bank.
func (s *Store) formPrompts(ctx context.Context, assessmentID string, want map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	var forms []string
	if err := s.conn(ctx).Model(&attemptRow{}).Where("assessment_id = ?", assessmentID).Order("started_at DESC").Limit(200).
		Pluck("form", &forms).Error; err != nil {
		return nil, fmt.Errorf("assessments: load forms: %w", err)
	}
	for _, raw := range forms {
		var form []Question
		if json.Unmarshal([]byte(raw), &form) != nil {
			continue
		}
		for _, q := range form {
			if want[q.ID] && out[q.ID] == "" {
				out[q.ID] = q.Prompt
			}
		}
		if len(out) == len(want) {
			break
		}
	}
	return out, nil
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// contentKey identifies a question without a GIFT name by what it asks:
// its type and its prompt as text, case and spacing folded.
func contentKey(q Question) string {
	text := html.UnescapeString(tagRe.ReplaceAllString(q.Prompt, " "))
	return "content:" + string(q.Type) + "|" + strings.Join(strings.Fields(strings.ToLower(text)), " ")
}

// matchKey is how a GIFT import finds a question already in the bank: by
// its ::name::, or lacking one, by its content.
func matchKey(q Question) string {
	if q.Name != "" {
		return "name:" + q.Name
	}
	return contentKey(q)
}
