// store_enrollments.go holds the store's enrollments and lesson completions.

package courses

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

func (r enrollmentRow) domain() Enrollment {
	return Enrollment{ID: r.ID, CourseID: r.CourseID, UserID: r.UserID, Version: r.Version, CreatedAt: r.CreatedAt, CompletedAt: r.CompletedAt}
}

// Enrollment loads a user's enrollment in a course.
func (s *Store) Enrollment(ctx context.Context, courseID, userID string) (Enrollment, error) {
	var row enrollmentRow
	err := s.conn(ctx).Where("course_id = ? AND user_id = ?", courseID, userID).Take(&row).Error
	if err := dbx.LoadErr(err, "enrollment", "courses: load enrollment"); err != nil {
		return Enrollment{}, err
	}
	return row.domain(), nil
}

// RequireEnrollment returns a not-found error unless the user is enrolled
// in the course. A yes is remembered (outside transactions): enrollments
// are never undone except with the learner's account.
func (s *Store) RequireEnrollment(ctx context.Context, courseID, userID string) error {
	if dbx.InTx(ctx) {
		_, err := s.Enrollment(ctx, courseID, userID)
		return err
	}
	_, err := s.caches.enrolled.Load(courseID+"\x00"+userID, func() (struct{}, error) {
		_, err := s.Enrollment(ctx, courseID, userID)
		return struct{}{}, err
	})
	return err
}

// CreateEnrollment inserts e; a concurrent duplicate is reported as
// ErrAlreadyEnrolled.
func (s *Store) CreateEnrollment(ctx context.Context, e Enrollment) error {
	row := enrollmentRow{ID: e.ID, CourseID: e.CourseID, UserID: e.UserID, Version: e.Version, CreatedAt: e.CreatedAt}
	return dbx.WriteErr(s.conn(ctx).Create(&row).Error, errAlreadyEnrolled, "courses: create enrollment")
}

var errAlreadyEnrolled = fmt.Errorf("courses: already enrolled")

// Enrollments lists a user's enrollments, up to p.Limit+1 after the cursor.
func (s *Store) Enrollments(ctx context.Context, userID string, p web.Page) ([]Enrollment, error) {
	q := dbx.PageByID(s.conn(ctx).Where("user_id = ?", userID), p, false)
	var rows []enrollmentRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: list enrollments: %w", err)
	}
	out := make([]Enrollment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CompleteLesson records a lesson as done (once).
func (s *Store) CompleteLesson(ctx context.Context, enrollmentID, lessonID string, now time.Time) error {
	row := completionRow{EnrollmentID: enrollmentID, LessonID: lessonID, CompletedAt: now}
	err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("courses: complete lesson: %w", err)
	}
	return nil
}

// CompletedLessons returns the ids of the lessons done per enrollment.
func (s *Store) CompletedLessons(ctx context.Context, enrollmentIDs []string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	if len(enrollmentIDs) == 0 {
		return out, nil
	}
	var rows []completionRow
	if err := s.conn(ctx).Where("enrollment_id IN ?", enrollmentIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: load completions: %w", err)
	}
	for _, r := range rows {
		if out[r.EnrollmentID] == nil {
			out[r.EnrollmentID] = map[string]bool{}
		}
		out[r.EnrollmentID][r.LessonID] = true
	}
	return out, nil
}

// MarkCompleted sets completed_at once.
func (s *Store) MarkCompleted(ctx context.Context, enrollmentID string, now time.Time) error {
	return s.conn(ctx).Model(&enrollmentRow{}).Where("id = ? AND completed_at IS NULL", enrollmentID).
		Update("completed_at", now).Error
}

// UserEnrollments lists every enrollment of a user, ordered by id (for
// the user's data export).
func (s *Store) UserEnrollments(ctx context.Context, userID string) ([]Enrollment, error) {
	var rows []enrollmentRow
	if err := s.conn(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: list user's enrollments: %w", err)
	}
	out := make([]Enrollment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// LessonDone is one lesson completion of an enrollment.
type LessonDone struct {
	EnrollmentID string
	LessonID     string
	CompletedAt  time.Time
}

// Completions lists the lesson completions of the enrollments, oldest
// first.
func (s *Store) Completions(ctx context.Context, enrollmentIDs []string) ([]LessonDone, error) {
	if len(enrollmentIDs) == 0 {
		return nil, nil
	}
	var rows []completionRow
	if err := s.conn(ctx).Where("enrollment_id IN ?", enrollmentIDs).Order("completed_at").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: list completions: %w", err)
	}
	out := make([]LessonDone, len(rows))
	for i, r := range rows {
		out[i] = LessonDone{EnrollmentID: r.EnrollmentID, LessonID: r.LessonID, CompletedAt: r.CompletedAt}
	}
	return out, nil
}

// EraseEnrollments deletes a user's enrollments and their completions.
func (s *Store) EraseEnrollments(ctx context.Context, userID string) error {
	var ids []string
	if err := s.conn(ctx).Model(&enrollmentRow{}).Where("user_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("courses: find user's enrollments: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	// Other replicas hear of the erasure on the accounts topic.
	dbx.AfterCommit(ctx, s.caches.enrolled.Flush)
	if err := s.conn(ctx).Where("enrollment_id IN ?", ids).Delete(&completionRow{}).Error; err != nil {
		return fmt.Errorf("courses: erase completions: %w", err)
	}
	if err := s.conn(ctx).Where("id IN ?", ids).Delete(&enrollmentRow{}).Error; err != nil {
		return fmt.Errorf("courses: erase enrollments: %w", err)
	}
	return nil
}
