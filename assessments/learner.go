package assessments

import (
	"context"
	"slices"

	"skillgate/app/web"
)

// Overview is what a learner's page of one assessment shows before
// starting: the rules as published, the learner's standing under them,
// the latest graded attempt and whether the lessons are done.
type Overview struct {
	Settings      Settings
	Standing      Standing
	Enrolled      bool
	LessonsDone   bool
	LastAttemptID string // the latest attempt graded or past its deadline
}

// LearnerOverview reports the caller's overview of an assessment of a
// published course.
func (s *Service) LearnerOverview(ctx context.Context, p web.Principal, assessmentID string) (Overview, error) {
	working, err := s.store.Assessment(ctx, assessmentID)
	if err != nil {
		return Overview{}, err
	}
	info, err := s.courses.Learner(ctx, p.UserID, working.CourseID)
	if err != nil {
		if web.IsKind(err, web.KindNotFound) {
			return Overview{}, web.NotFound("assessment")
		}
		return Overview{}, err
	}
	i := slices.IndexFunc(info.Assessments, func(a Settings) bool { return a.ID == assessmentID })
	if i < 0 {
		return Overview{}, web.NotFound("assessment")
	}
	ov := Overview{Settings: info.Assessments[i], Enrolled: info.Enrolled, LessonsDone: info.CompletedLessons}
	ov.Settings.CourseID = working.CourseID
	attempts, err := s.store.UserAttempts(ctx, assessmentID, p.UserID)
	if err != nil {
		return Overview{}, err
	}
	now := s.now()
	for _, a := range attempts {
		if a.Status == StatusGraded || now.After(a.Deadline) {
			ov.LastAttemptID = a.ID
		}
	}
	ov.Standing = StandingOf(ov.Settings, attempts, now)
	return ov, nil
}
