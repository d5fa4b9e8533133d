package courses

import (
	"context"

	"skillgate/app/web"
)

// Standing is a learner's place in a course's current published version:
// what the course page and the lesson reader show.
type Standing struct {
	Version  Version
	Enrolled bool
	// Done holds the ids of the lessons the learner has marked as read.
	Done    map[string]bool
	Percent int
}

// LearnerStanding returns the current version of a published course (by
// id or slug) and, when userID is not empty, the user's enrollment and
// lessons done. A course never published is not found.
func (s *Service) LearnerStanding(ctx context.Context, userID, idOrSlug string) (Standing, error) {
	v, err := s.store.CurrentVersion(ctx, idOrSlug)
	if err != nil {
		return Standing{}, err
	}
	st := Standing{Version: v, Done: map[string]bool{}}
	if userID == "" {
		return st, nil
	}
	e, err := s.store.Enrollment(ctx, v.CourseID, userID)
	if web.IsKind(err, web.KindNotFound) {
		return st, nil
	}
	if err != nil {
		return Standing{}, err
	}
	st.Enrolled = true
	done, err := s.store.CompletedLessons(ctx, []string{e.ID})
	if err != nil {
		return Standing{}, err
	}
	for _, id := range completedIDs(v.Snapshot, done[e.ID]) {
		st.Done[id] = true
	}
	st.Percent = progress(v.Snapshot, done[e.ID])
	return st, nil
}

// LessonCourse names the published course a lesson belongs to, for
// sending a learner who may not read it yet to the course's page.
func (s *Service) LessonCourse(ctx context.Context, lessonID string) (Version, error) {
	draft, err := s.store.LessonDraft(ctx, lessonID)
	if err != nil {
		return Version{}, err
	}
	return s.store.CurrentVersion(ctx, draft.CourseID)
}
