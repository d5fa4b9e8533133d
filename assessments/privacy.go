package assessments

import (
	"context"
	"time"
)

// AttemptExport is one attempt in a user's data export, with the answers
// the user gave.
type AttemptExport struct {
	ID            string        `json:"id"`
	AssessmentID  string        `json:"assessment_id"`
	CourseID      string        `json:"course_id"`
	Number        int           `json:"number"`
	Status        Status        `json:"status"`
	StartedAt     time.Time     `json:"started_at"`
	Deadline      time.Time     `json:"deadline"`
	SubmittedAt   *time.Time    `json:"submitted_at"`
	Score         float64       `json:"score"`
	MaxScore      float64       `json:"max_score"`
	Percent       float64       `json:"percent"`
	Passed        bool          `json:"passed"`
	CertificateID *string       `json:"certificate_id"`
	Answers       []SavedAnswer `json:"answers"`
}

// Export gathers a user's attempts and answers.
func (s *Service) Export(ctx context.Context, userID string) (any, error) {
	attempts, err := s.store.UserAttemptsWithAnswers(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]AttemptExport, 0, len(attempts))
	for _, a := range attempts {
		g := gradeOf(a)
		ex := AttemptExport{ID: a.ID, AssessmentID: a.AssessmentID, CourseID: a.CourseID, Number: a.Number, Status: a.Status,
			StartedAt: a.StartedAt.UTC(), Deadline: a.Deadline.UTC(), SubmittedAt: a.SubmittedAt, Score: a.Score, MaxScore: a.MaxScore,
			Percent: a.Percent, Passed: a.Passed, CertificateID: g.CertificateID, Answers: []SavedAnswer{}}
		for _, q := range a.Form {
			if ans, ok := a.Answers[q.ID]; ok {
				ex.Answers = append(ex.Answers, SavedAnswer{QuestionID: q.ID, OptionIDs: nonNil(ans.OptionIDs), Value: ans.Value})
			}
		}
		out = append(out, ex)
	}
	return out, nil
}

// Erase deletes a user's answers and detaches their attempts from them:
// the scores stay, under an id that names nobody, so that item statistics
// stay true.
func (s *Service) Erase(ctx context.Context, userID string) error {
	return s.store.EraseUserAnswers(ctx, userID)
}
