package courses

import (
	"context"

	"skillgate/app/web"
)

// CompletionHook is told, inside the transaction that records it, that a
// learner has completed every lesson of a course, so that a pass of the
// final that waited for the lessons earns its certificate in that same
// transaction (contract v1.1). The assessments domain implements it;
// app/wire connects the two, so courses imports neither assessments nor
// certificates.
type CompletionHook interface {
	// OnLessonsCompleted returns the certificate the learner holds for
	// the course now, "" when there is none (no pass yet).
	OnLessonsCompleted(ctx context.Context, userID, courseID string) (certificateID string, err error)
}

// SetCompletionHook connects what completing every lesson earns.
func (s *Service) SetCompletionHook(h CompletionHook) { s.completion = h }

// Completion is the outcome of completing a lesson.
type Completion struct {
	CourseID        string
	ProgressPercent int
	// CertificateID is the certificate the learner holds for the course
	// once every lesson is done ("" before, or without a pass).
	CertificateID string
}

// Complete records a lesson as read by an enrolled learner (again: no
// change) and returns the new progress; when every lesson is now done, the
// completion hook runs in the same transaction and its certificate is
// returned.
func (s *Service) Complete(ctx context.Context, p web.Principal, lessonID string) (Completion, error) {
	var out Completion
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		draft, err := s.store.LessonDraft(ctx, lessonID)
		if err != nil {
			return err
		}
		v, err := s.store.CurrentVersion(ctx, draft.CourseID)
		if err != nil {
			if web.IsKind(err, web.KindNotFound) {
				return web.NotFound("lesson")
			}
			return err
		}
		if _, ok := v.Lesson(lessonID); !ok {
			return web.NotFound("lesson")
		}
		e, err := s.store.Enrollment(ctx, v.CourseID, p.UserID)
		if err != nil {
			if web.IsKind(err, web.KindNotFound) {
				return web.Forbidden("enroll in the course to complete its lessons")
			}
			return err
		}
		now := s.now()
		if err := s.store.CompleteLesson(ctx, e.ID, lessonID, now); err != nil {
			return err
		}
		done, err := s.store.CompletedLessons(ctx, []string{e.ID})
		if err != nil {
			return err
		}
		out = Completion{CourseID: v.CourseID, ProgressPercent: progress(v.Snapshot, done[e.ID])}
		if out.ProgressPercent < 100 {
			return nil
		}
		if err := s.store.MarkCompleted(ctx, e.ID, now); err != nil {
			return err
		}
		if s.completion != nil {
			if out.CertificateID, err = s.completion.OnLessonsCompleted(ctx, p.UserID, v.CourseID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
