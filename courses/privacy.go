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
	var rows []enrollmentRow
	if err := s.store.conn(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	es := make([]Enrollment, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		es[i], ids[i] = r.domain(), r.ID
	}
	es, err := s.withProgress(ctx, es)
	if err != nil {
		return nil, err
	}
	var done []completionRow
	if len(ids) > 0 {
		if err := s.store.conn(ctx).Where("enrollment_id IN ?", ids).Order("completed_at").Find(&done).Error; err != nil {
			return nil, err
		}
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
	var ids []string
	if err := s.store.conn(ctx).Model(&enrollmentRow{}).Where("user_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if err := s.store.conn(ctx).Where("enrollment_id IN ?", ids).Delete(&completionRow{}).Error; err != nil {
		return err
	}
	return s.store.conn(ctx).Where("id IN ?", ids).Delete(&enrollmentRow{}).Error
}
