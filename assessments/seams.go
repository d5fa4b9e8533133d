package assessments

import "context"

// What the composition root (app/wire) and the test helpers need of
// assessments, named here so that nothing outside the package reaches
// into its store.

// UserAttempts lists a user's attempts at one assessment, oldest first,
// with their grades (a class's progress table shows the best).
func (s *Service) UserAttempts(ctx context.Context, assessmentID, userID string) ([]Attempt, error) {
	return s.store.UserAttempts(ctx, assessmentID, userID)
}

// StoredAttempt loads an attempt as the server keeps it: its form with the
// right answers, and the answers saved so far. Never hand it to a learner;
// tests read it to answer a form they were dealt at random.
func (s *Service) StoredAttempt(ctx context.Context, id string) (Attempt, error) {
	return s.store.Attempt(ctx, id)
}
