// Package assessments owns question banks (with Moodle GIFT import),
// assessments, timed attempts, server-side grading and item statistics. It
// imports app/web and app/dbx only: courses and certificates are reached
// through the Courses and PassHook interfaces that app/wire connects.
package assessments

import (
	"context"
	"time"

	"skillgate/app/exam"
	"skillgate/app/web"
)

// QuestionType is how a question is answered and graded.
type QuestionType string

// The question types of the contract (SingleChoice, MultipleChoice,
// TrueFalse, Numeric, ShortText) are each declared in their qtype_*.go
// file, with what they do, and registered in questionTypes (qtypes.go).

// Option is one choice of a choice question.
type Option struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
	// Weight is the share of the question's points the option earns when
	// ticked, -100..100 (percent); nil means the contract's plain rule
	// (correct options share the points, each wrong tick cancels one).
	Weight *float64 `json:"weight,omitempty"`
	// Feedback is shown with the option in a review the rules allow.
	Feedback string `json:"feedback,omitempty"`
	// BankID is, in an attempt's form, the bank option this attempt's
	// option stands for; the learner never sees it.
	BankID string `json:"bank_id,omitempty"`
}

// NumericAnswer is one accepted numeric value with the credit it earns.
type NumericAnswer struct {
	Value     float64 `json:"value"`
	Tolerance float64 `json:"tolerance"`
	Weight    float64 `json:"weight"` // percent of the points, 0..100
	Feedback  string  `json:"feedback,omitempty"`
}

// TextAnswer is one accepted short answer with the credit it earns.
type TextAnswer struct {
	Text     string  `json:"text"`
	Weight   float64 `json:"weight"` // percent of the points, 0..100
	Feedback string  `json:"feedback,omitempty"`
}

// Answer is the right answer of a non-choice question.
type Answer struct {
	Value     *float64 `json:"value,omitempty"`     // numeric
	Tolerance float64  `json:"tolerance,omitempty"` // numeric
	Bool      *bool    `json:"bool,omitempty"`      // true_false
	Accepted  []string `json:"accepted,omitempty"`  // short_text
	// Values are further numeric answers, some with partial credit
	// (GIFT "=%50%1822:2"); Value/Tolerance stay the full-credit one.
	Values []NumericAnswer `json:"values,omitempty" validate:"max=20"`
	// Weighted lists short answers with their weights (partial credit,
	// 0 for a known wrong answer) and feedback; Accepted stays the list
	// of full-credit answers.
	Weighted []TextAnswer `json:"weighted,omitempty" validate:"max=50"`
	// OtherFeedback is shown for any answer none of the others matched.
	OtherFeedback string `json:"other_feedback,omitempty"`
	// AllowTypo accepts one typo (Damerau-Levenshtein distance 1) in words
	// of six letters or more of a short answer.
	AllowTypo bool `json:"allow_typo,omitempty"`
	// TrueFeedback and FalseFeedback are a true/false question's feedback
	// for the answers "true" and "false".
	TrueFeedback  string `json:"true_feedback,omitempty"`
	FalseFeedback string `json:"false_feedback,omitempty"`
}

// Question is one item of a course's bank, as its trainer sees it. Its
// validate tags say shape and size; validateQuestion runs them and then
// the rules of its type.
type Question struct {
	ID          string       `json:"id"`
	CourseID    string       `json:"course_id"`
	Type        QuestionType `json:"type"`
	Prompt      string       `json:"prompt" validate:"max=10000"`
	Points      float64      `json:"points"`
	Tags        []string     `json:"tags" validate:"max=20"`
	Explanation string       `json:"explanation" validate:"max=10000"`
	Options     []Option     `json:"options"`
	Answer      Answer       `json:"answer"`
	SourceKey   string       `json:"source_key,omitempty"`
	// Name is the GIFT "::name::" title, kept for the trainer.
	Name string `json:"name,omitempty" validate:"max=200"`
}

// Kind says whether passing earns a certificate.
type Kind = exam.Kind

// The assessment kinds.
const (
	KindFinal = exam.KindFinal
	KindQuiz  = exam.KindQuiz
)

// Settings are an assessment's rules: the one type courses freeze in a
// version and course packs declare (see package exam).
type Settings = exam.Settings

// When right answers and explanations are shown to a learner.
const (
	ReviewDefault          = exam.ReviewDefault
	ReviewNever            = exam.ReviewNever
	ReviewAfterPass        = exam.ReviewAfterPass
	ReviewAfterLastAttempt = exam.ReviewAfterLastAttempt
)

// Listed is an assessment as a list shows it: its settings and, for a
// learner, their Standing (attempts used and left, a running cooldown),
// so the rules are known before starting.
type Listed struct {
	Settings
	Standing *Standing
}

// Standing is a learner's position in an assessment: what the rules allow
// next, so that no learner meets an unexplained wait.
type Standing struct {
	AttemptsUsed int
	AttemptsLeft int
	// RetryAt is when the next attempt may start, while a cooldown runs.
	RetryAt *time.Time
	// Passed is true once any attempt passed.
	Passed bool
	// OpenAttemptID names the attempt running now, if any.
	OpenAttemptID string
	// CertificatePending says why a pass of a final has no certificate
	// yet (CertificateWaitsForLessons), "" otherwise.
	CertificatePending string
}

// CertificateWaitsForLessons is why a pass with lessons left has no
// certificate yet: it is issued when the last lesson is completed.
const CertificateWaitsForLessons = "lessons_incomplete"

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
	// Feedback is the per-answer feedback of what the learner answered.
	Feedback string `json:"feedback,omitempty"`
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
	// Standing is the learner's position after this attempt (computed
	// when the attempt is returned, never stored).
	Standing Standing
}

// Passed is the event a pass of a final raises, inside the grading
// transaction (see exam.Passed).
type Passed = exam.Passed

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
	// Lessons are the published lessons in reading order, so a question
	// tagged "lesson:N" can point a learner to the lesson to re-read.
	Lessons []LessonRef
}

// LessonRef names a lesson of a course.
type LessonRef struct {
	ID    string
	Title string
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
