// Package classes owns a training centre's classes: a trainer's group of
// learners who are taught the same courses, added in bulk, given printed
// sign-in cards, and followed in one progress table. It imports app/web and
// app/dbx only; accounts, courses, assessments, certificates and tiers are
// reached through the small interfaces in ports.go, wired by app.
package classes

import (
	"strings"
	"time"

	"skillgate/app/web"
)

// MaxRows is how many learners one request may add.
const MaxRows = 1000

// Class is a trainer's class.
type Class struct {
	ID           string
	Name         string
	TrainerID    string
	Locale       string
	CourseIDs    []string
	LearnerCount int
	CreatedAt    time.Time
	// Learners is filled in where one class is shown.
	Learners []Learner
}

// Learner is an account as a class shows it.
type Learner struct {
	ID       string
	Name     string
	Username string
	Email    string // "" when the learner has none
	Role     string
	Locale   string
}

// NewLearner is one row of a bulk addition.
type NewLearner struct {
	// Line is where the row is: the CSV line (the header is line 1) or,
	// for JSON, the row's index + 1.
	Line     int
	Name     string
	Username string
	Email    string
	Locale   string
}

// RowError is one problem of one row: a field error (its English for the
// API, and the catalogue key and values the class page says it with) and
// its line. The JSON is {"line", "field", "message"}.
type RowError struct {
	Line int `json:"line"`
	web.FieldError
}

// Added is the outcome of a bulk addition.
type Added struct {
	Created  []AddedLearner
	Existing []AddedLearner
}

// AddedLearner is a learner and the row that named them.
type AddedLearner struct {
	Line    int
	Learner Learner
}

// Card is a learner's sign-in card; the secret is shown only here.
type Card struct {
	Learner   Learner
	Secret    string
	Code      string // the secret grouped for typing
	SignInURL string
}

// CourseProgress is one learner's standing in one course of the class.
type CourseProgress struct {
	CourseID        string
	ProgressPercent int
	Attempts        int
	BestPercent     *float64 // nil before any graded attempt
	Passed          bool
	CertificateID   string
}

// Standing is what a final assessment says of a learner in a course.
type Standing struct {
	Attempts    int
	BestPercent *float64
	Passed      bool
}

// Tier names the tier a learner is in.
type Tier struct {
	ID, Slug, Name string
}

// LearnerProgress is one row of the progress table.
type LearnerProgress struct {
	Learner Learner
	Courses []CourseProgress
	Tier    *Tier
}

// nameKey is how names are matched for rows that give neither username
// nor email: case and spacing do not matter.
func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }
