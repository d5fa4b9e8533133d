package assessments

import (
	"context"
	"fmt"

	"skillgate/app/dbx"
)

// UserAttemptsWithAnswers lists every attempt a user made, oldest first,
// each with the answers they saved, for the user's data export.
func (s *Store) UserAttemptsWithAnswers(ctx context.Context, userID string) ([]Attempt, error) {
	var rows []attemptRow
	if err := s.conn(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("assessments: list a user's attempts: %w", err)
	}
	out := make([]Attempt, len(rows))
	for i, r := range rows {
		a, err := r.domain()
		if err != nil {
			return nil, err
		}
		if a.Answers, err = s.answers(ctx, a.ID, nil); err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

// EraseUserAnswers deletes a user's saved answers and hands their attempts
// to a fresh id that names nobody, so the scores behind item statistics
// stay while nothing links them to the person.
func (s *Store) EraseUserAnswers(ctx context.Context, userID string) error {
	var ids []string
	if err := s.conn(ctx).Model(&attemptRow{}).Where("user_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("assessments: list a user's attempts: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	if err := s.conn(ctx).Where("attempt_id IN ?", ids).Delete(&answerRow{}).Error; err != nil {
		return fmt.Errorf("assessments: erase answers: %w", err)
	}
	if err := s.conn(ctx).Model(&attemptRow{}).Where("user_id = ?", userID).Update("user_id", dbx.NewID()).Error; err != nil {
		return fmt.Errorf("assessments: detach attempts: %w", err)
	}
	return nil
}
