// Package exam is the vocabulary courses and assessments share: an
// assessment's settings, as its trainer writes them, as a course version
// freezes them and as a course pack declares them. With the event a pass raises
// (Passed), it is a leaf (it imports nothing of skillgate), so that both domains can use the one
// type instead of converting field by field; assessments owns the rules
// that check it.
package exam

import "time"

// Kind says whether passing earns a certificate.
type Kind string

// The assessment kinds.
const (
	KindFinal Kind = "final"
	KindQuiz  Kind = "quiz"
)

// When right answers and explanations are shown to a learner.
const (
	// ReviewDefault is the contract's rule: after a pass, or once no
	// attempt remains.
	ReviewDefault = "after_pass_or_last_attempt"
	// ReviewNever never shows them.
	ReviewNever = "never"
	// ReviewAfterPass shows them once the learner has passed.
	ReviewAfterPass = "after_pass"
	// ReviewAfterLastAttempt shows them once no attempt remains.
	ReviewAfterLastAttempt = "after_last_attempt"
)

// Settings are an assessment's rules. The json names are the HTTP
// contract's; the yaml names are course.yaml's, where an assessment has
// no id yet and its lesson_tags name lesson files, resolved to lesson ids
// at import. The validate tags check shape and size; the assessments
// service checks the rules.
type Settings struct {
	ID               string   `json:"id" yaml:"-"`
	CourseID         string   `json:"course_id" yaml:"-"`
	Title            string   `json:"title" yaml:"title" validate:"required,max=200"`
	Kind             Kind     `json:"kind" yaml:"kind" validate:"required"`
	QuestionCount    int      `json:"question_count" yaml:"question_count"`
	Tags             []string `json:"tags" yaml:"tags" validate:"max=20"`
	TimeLimitSeconds int      `json:"time_limit_seconds" yaml:"time_limit_seconds"`
	PassPercent      float64  `json:"pass_percent" yaml:"pass_percent"`
	MaxAttempts      int      `json:"max_attempts" yaml:"max_attempts"`
	CooldownSeconds  int      `json:"cooldown_seconds" yaml:"cooldown_seconds"`
	// CooldownSchedule, when set, replaces CooldownSeconds: the wait after
	// the n-th attempt is its n-th entry (the last one repeating), so a
	// cooldown can start short and grow.
	CooldownSchedule []int `json:"cooldown_schedule_seconds" yaml:"cooldown_schedule_seconds" validate:"max=20"`
	// Review says when a learner sees right answers and explanations
	// (one of the Review constants; "" is ReviewDefault).
	Review string `json:"review" yaml:"review"`
	// LessonTags maps a question tag to the id of the lesson that teaches
	// it, so a failed learner is pointed to the lesson to re-read (in
	// course.yaml: to the lesson file, "01-personal-data").
	LessonTags map[string]string `json:"lesson_tags" yaml:"lesson_tags" validate:"max=200"`
}

// Normalized is s as the contract shows it: lists and maps never null,
// the default review rule spelled out.
func (s Settings) Normalized() Settings {
	if s.Tags == nil {
		s.Tags = []string{}
	}
	if s.CooldownSchedule == nil {
		s.CooldownSchedule = []int{}
	}
	if s.LessonTags == nil {
		s.LessonTags = map[string]string{}
	}
	if s.Review == "" {
		s.Review = ReviewDefault
	}
	return s
}

// Passed is the event a pass of a final raises inside the grading
// transaction: assessments raises it and certs issues from it, so the
// two share this one type and the composition root passes it on as is.
type Passed struct {
	AttemptID     string
	AssessmentID  string
	CourseID      string
	CourseVersion int
	UserID        string
	// HolderName is the learner's name when the grader knows it (the
	// learner submitting); "" leaves it to the issuer to look up.
	HolderName   string
	ScorePercent float64
	PassPercent  float64
	GradedAt     time.Time
}
