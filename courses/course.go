// Package courses owns courses, their modules and lessons, published
// versions, the built-in course packs, enrollments and progress. It imports
// app/web, app/dbx and app/exam (the settings it shares with assessments)
// only; assessments reach it through interfaces that app/wire connects.
package courses

import (
	"strings"
	"time"

	"skillgate/app/exam"
)

// Status says whether a course's working copy has been published as it is.
type Status string

// The statuses of the contract.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
)

// Course is the working copy of a course, as its author sees it.
type Course struct {
	ID                      string
	Slug                    string
	OwnerID                 string // "" for built-in courses, which admins manage
	Title                   string
	Summary                 string
	Language                string
	Tags                    []string
	EstimatedMinutes        int
	CertificateValidityDays int    // 0: the default validity
	Translates              string // slug of the course this one translates
	Version                 int    // the last published version, 0 if never
	Dirty                   bool   // changed since the last publish
	Modules                 []Module
	CreatedAt               time.Time
}

// Status is draft until the working copy is published unchanged.
func (c Course) Status() Status {
	if c.Version == 0 || c.Dirty {
		return StatusDraft
	}
	return StatusPublished
}

// Module groups lessons.
type Module struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Position int      `json:"position"`
	Lessons  []Lesson `json:"lessons"`
}

// Lesson is one reading unit.
type Lesson struct {
	ID           string `json:"id"`
	ModuleID     string `json:"module_id"`
	CourseID     string `json:"course_id"`
	Title        string `json:"title"`
	Position     int    `json:"position"`
	BodyMarkdown string `json:"body_markdown"`
	BodyHTML     string `json:"body_html"`
	Minutes      int    `json:"minutes,omitempty"`
}

// Version is an immutable published snapshot of a course: what learners see.
type Version struct {
	CourseID    string
	Slug        string
	Number      int
	PublishedAt time.Time
	Snapshot
}

// Snapshot is the content frozen by a publish.
type Snapshot struct {
	Title                   string               `json:"title"`
	Summary                 string               `json:"summary"`
	Language                string               `json:"language"`
	Tags                    []string             `json:"tags"`
	EstimatedMinutes        int                  `json:"estimated_minutes"`
	CertificateValidityDays int                  `json:"certificate_validity_days,omitempty"`
	Translates              string               `json:"translates,omitempty"`
	Modules                 []Module             `json:"modules"`
	Assessments             []AssessmentSettings `json:"assessments"`
}

// outline is the snapshot without lesson bodies or assessments: what a
// catalogue listing shows.
func (s Snapshot) outline() Snapshot {
	o := s
	o.Assessments = nil
	o.Modules = make([]Module, len(s.Modules))
	for i, m := range s.Modules {
		o.Modules[i] = Module{ID: m.ID, Title: m.Title, Position: m.Position, Lessons: make([]Lesson, len(m.Lessons))}
		for j, l := range m.Lessons {
			o.Modules[i].Lessons[j] = Lesson{ID: l.ID, Title: l.Title, Position: l.Position}
		}
	}
	return o
}

// searchText is what the catalogue search matches besides the title,
// summary and tags: the module and lesson titles, lowercased (SQLite's
// LOWER only folds ASCII, so the text is folded here).
func (s Snapshot) searchText() string {
	var titles []string
	for _, m := range s.Modules {
		titles = append(titles, m.Title)
		for _, l := range m.Lessons {
			titles = append(titles, l.Title)
		}
	}
	return strings.ToLower(strings.Join(titles, "\n"))
}

// Lessons lists every lesson of the snapshot in reading order.
func (s Snapshot) Lessons() []Lesson {
	var out []Lesson
	for _, m := range s.Modules {
		out = append(out, m.Lessons...)
	}
	return out
}

// Lesson finds a lesson of the snapshot.
func (s Snapshot) Lesson(id string) (Lesson, bool) {
	for _, m := range s.Modules {
		for _, l := range m.Lessons {
			if l.ID == id {
				return l, true
			}
		}
	}
	return Lesson{}, false
}

// Assessment finds an assessment's settings in the snapshot.
func (s Snapshot) Assessment(id string) (AssessmentSettings, bool) {
	for _, a := range s.Assessments {
		if a.ID == id {
			return a, true
		}
	}
	return AssessmentSettings{}, false
}

// AssessmentSettings are an assessment's rules as frozen in a version; the
// assessments domain owns them and hands them over at publish (one type,
// package exam, for both domains).
type AssessmentSettings = exam.Settings

// Enrollment is a learner taking a course.
type Enrollment struct {
	ID              string
	CourseID        string
	CourseSlug      string
	UserID          string
	Version         int // the version the learner started on
	ProgressPercent int
	// CompletedLessonIDs are the current version's lessons the learner
	// has done, in reading order.
	CompletedLessonIDs []string
	CompletedAt        *time.Time
	CreatedAt          time.Time
}
