package assessments

import (
	"context"
	"time"

	"skillgate/app/dbx"
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
	var rows []attemptRow
	if err := s.store.conn(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]AttemptExport, 0, len(rows))
	for _, r := range rows {
		a, err := r.domain()
		if err != nil {
			return nil, err
		}
		answers, err := s.store.answers(ctx, a.ID, nil)
		if err != nil {
			return nil, err
		}
		g := gradeOf(a)
		ex := AttemptExport{ID: a.ID, AssessmentID: a.AssessmentID, CourseID: a.CourseID, Number: a.Number, Status: a.Status,
			StartedAt: a.StartedAt.UTC(), Deadline: a.Deadline.UTC(), SubmittedAt: a.SubmittedAt, Score: a.Score, MaxScore: a.MaxScore,
			Percent: a.Percent, Passed: a.Passed, CertificateID: g.CertificateID, Answers: []SavedAnswer{}}
		for _, q := range a.Form {
			if ans, ok := answers[q.ID]; ok {
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
	var ids []string
	if err := s.store.conn(ctx).Model(&attemptRow{}).Where("user_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if err := s.store.conn(ctx).Where("attempt_id IN ?", ids).Delete(&answerRow{}).Error; err != nil {
		return err
	}
	return s.store.conn(ctx).Model(&attemptRow{}).Where("user_id = ?", userID).Update("user_id", dbx.NewID()).Error
}
