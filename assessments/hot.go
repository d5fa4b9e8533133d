// hot.go keeps what starting an attempt reads in memory: the course an
// assessment belongs to (it never changes) and each course's question
// bank, kept coherent across replicas by the change bus (every change to
// a bank publishes dbx.TopicCourses with the course's id).

package assessments

import (
	"context"
	"fmt"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type hotReads struct {
	courseOf *dbx.Cache[string]
	banks    *dbx.Cache[[]Question]
}

// SetChanges connects the change bus: with it, question banks are read
// from memory and every change to one is published; without it every
// start reads the bank.
func (s *Service) SetChanges(bus *dbx.Changes) {
	if bus == nil {
		return
	}
	s.store.bus = bus
	s.hot = &hotReads{
		courseOf: dbx.NewCache[string](16384, nil, "", true),
		banks:    dbx.NewCache[[]Question](1024, bus, dbx.TopicCourses, true),
	}
}

// assessmentCourse names the course an assessment belongs to.
func (s *Service) assessmentCourse(ctx context.Context, assessmentID string) (string, error) {
	load := func() (string, error) {
		a, err := s.store.Assessment(ctx, assessmentID)
		return a.CourseID, err
	}
	if s.hot == nil {
		return load()
	}
	return s.hot.courseOf.Load(assessmentID, load)
}

// bank is a course's question bank, shared: callers must not change it.
func (s *Service) bank(ctx context.Context, courseID string) ([]Question, error) {
	load := func() ([]Question, error) { return s.store.Questions(ctx, courseID, web.Page{}) }
	if s.hot == nil {
		return load()
	}
	return s.hot.banks.Load(courseID, load)
}

// publishBank tells every replica that a course's bank changed, in the
// transaction of the change.
func (s *Store) publishBank(ctx context.Context, courseIDs ...string) error {
	if s.bus == nil {
		return nil
	}
	for _, id := range courseIDs {
		if err := s.bus.Publish(ctx, dbx.TopicCourses, id); err != nil {
			return fmt.Errorf("assessments: publish bank change: %w", err)
		}
	}
	return nil
}
