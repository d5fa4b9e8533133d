package courses

import (
	"context"
	"time"
)

// EnrollmentExport is one enrollment in a user's data export.
type EnrollmentExport struct {
	ID               string             `json:"id"`
	CourseID         string             `json:"course_id"`
	CourseSlug       string             `json:"course_slug"`
	Version          int                `json:"version"`
	ProgressPercent  int                `json:"progress_percent"`
	EnrolledAt       time.Time          `json:"enrolled_at"`
	CompletedAt      *time.Time         `json:"completed_at"`
	CompletedLessons []CompletionExport `json:"completed_lessons"`
}

// CompletionExport is one lesson a user completed.
type CompletionExport struct {
	LessonID    string    `json:"lesson_id"`
	CompletedAt time.Time `json:"completed_at"`
}

// Export gathers a user's enrollments and lesson completions.
func (s *Service) Export(ctx context.Context, userID string) (any, error) {
	es, err := s.store.UserEnrollments(ctx, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	es, err = s.withProgress(ctx, es)
	if err != nil {
		return nil, err
	}
	done, err := s.store.Completions(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]EnrollmentExport, len(es))
	for i, e := range es {
		out[i] = EnrollmentExport{ID: e.ID, CourseID: e.CourseID, CourseSlug: e.CourseSlug, Version: e.Version,
			ProgressPercent: e.ProgressPercent, EnrolledAt: e.CreatedAt.UTC(), CompletedAt: e.CompletedAt, CompletedLessons: []CompletionExport{}}
		for _, d := range done {
			if d.EnrollmentID == e.ID {
				out[i].CompletedLessons = append(out[i].CompletedLessons, CompletionExport{LessonID: d.LessonID, CompletedAt: d.CompletedAt.UTC()})
			}
		}
	}
	return out, nil
}

// Erase deletes a user's enrollments and progress.
func (s *Service) Erase(ctx context.Context, userID string) error {
	return s.store.EraseEnrollments(ctx, userID)
}
