// Package assessments owns question banks (with Moodle GIFT import),
// assessments, timed attempts, server-side grading and item statistics. It
// imports app/web and app/dbx only: courses and certificates are reached
// through the Courses and PassHook interfaces that app/wire connects.
package assessments

import (
	"context"
	"time"

	"skillgate/app/web"
)

// QuestionType is how a question is answered and graded.
type QuestionType string

// The question types of the contract.
const (
	SingleChoice   QuestionType = "single_choice"
	MultipleChoice QuestionType = "multiple_choice"
	TrueFalse      QuestionType = "true_false"
	Numeric        QuestionType = "numeric"
	ShortText      QuestionType = "short_text"
)

// IsChoice reports whether learners answer with option ids.
func (t QuestionType) IsChoice() bool { return t == SingleChoice || t == MultipleChoice }

// Option is one choice of a choice question.
type Option struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

// Answer is the right answer of a non-choice question.
type Answer struct {
	Value     *float64 `json:"value,omitempty"`     // numeric
	Tolerance float64  `json:"tolerance,omitempty"` // numeric
	Bool      *bool    `json:"bool,omitempty"`      // true_false
	Accepted  []string `json:"accepted,omitempty"`  // short_text
}

// Question is one item of a course's bank, as its trainer sees it.
type Question struct {
	ID          string       `json:"id"`
	CourseID    string       `json:"course_id"`
	Type        QuestionType `json:"type"`
	Prompt      string       `json:"prompt"`
	Points      float64      `json:"points"`
	Tags        []string     `json:"tags"`
	Explanation string       `json:"explanation"`
	Options     []Option     `json:"options"`
	Answer      Answer       `json:"answer"`
	SourceKey   string       `json:"source_key,omitempty"`
}

// Kind says whether passing earns a certificate.
type Kind string

// The assessment kinds.
const (
	KindFinal Kind = "final"
	KindQuiz  Kind = "quiz"
)

// Settings are an assessment's rules.
type Settings struct {
	ID               string   `json:"id"`
	CourseID         string   `json:"course_id"`
	Title            string   `json:"title"`
	Kind             Kind     `json:"kind"`
	QuestionCount    int      `json:"question_count"`
	Tags             []string `json:"tags"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	PassPercent      float64  `json:"pass_percent"`
	MaxAttempts      int      `json:"max_attempts"`
	CooldownSeconds  int      `json:"cooldown_seconds"`
}

// Status is an attempt's state.
type Status string

// The attempt states.
const (
	StatusOpen   Status = "open"
	StatusGraded Status = "graded"
)

// Response is a learner's answer to one question.
type Response struct {
	QuestionID string   `json:"question_id"`
	OptionIDs  []string `json:"option_ids,omitempty"`
	Value      *string  `json:"value,omitempty"`
}

// Result is how one question of a graded attempt went.
type Result struct {
	QuestionID    string  `json:"question_id"`
	Correct       bool    `json:"correct"`
	PointsAwarded float64 `json:"points_awarded"`
	MaxPoints     float64 `json:"max_points"`
}

// Attempt is one sitting of an assessment. Form holds the questions as
// drawn, with their right answers, so the attempt can be shown and graded
// exactly as it was sat, whatever later happens to the bank.
type Attempt struct {
	ID            string
	AssessmentID  string
	CourseID      string
	UserID        string
	CourseVersion int
	Number        int
	Status        Status
	StartedAt     time.Time
	Deadline      time.Time
	SubmittedAt   *time.Time
	Form          []Question
	Answers       map[string]Response
	Score         float64
	MaxScore      float64
	Percent       float64
	Passed        bool
	CertificateID string
	Results       []Result
	Settings      Settings
}

// Passed is the event a pass of a final raises, inside the grading
// transaction.
type Passed struct {
	AttemptID     string
	AssessmentID  string
	CourseID      string
	CourseVersion int
	UserID        string
	ScorePercent  float64
	PassPercent   float64
	GradedAt      time.Time
}

// PassHook issues what a pass earns (a certificate). It runs inside the
// grading transaction: if it fails, the grade is not recorded either.
type PassHook interface {
	OnPass(ctx context.Context, ev Passed) (certificateID string, err error)
}

// LearnerInfo is what the courses domain says of a learner and a course.
type LearnerInfo struct {
	Enrolled         bool
	CompletedLessons bool
	CourseVersion    int
	// Assessments are the settings frozen in the current published version.
	Assessments []Settings
}

// Courses is what assessments need of the courses domain.
type Courses interface {
	// Authorize fails unless p may author the course (404 when p may not
	// even see it, 403 when p may only see it).
	Authorize(ctx context.Context, p web.Principal, courseID string) (string, error)
	// Published returns the course id and the settings frozen in the
	// current published version, for anyone (404 for a course never
	// published).
	Published(ctx context.Context, courseID string) (string, []Settings, error)
	// Learner reports the user's standing in the course.
	Learner(ctx context.Context, userID, courseID string) (LearnerInfo, error)
}
