package courses

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// The endorsements of courses (endorse.go has the rules).

type endorsementRow struct {
	CourseID   string `gorm:"primaryKey;size:36"`
	EndorsedBy string `gorm:"size:36;not null"`
	EndorsedAt time.Time
}

func (endorsementRow) TableName() string { return "course_endorsements" }

// SetEndorsement endorses a course (by userID) or withdraws its
// endorsement, announcing the change: the catalogue and every certificate
// of the course show it.
func (s *Store) SetEndorsement(ctx context.Context, courseID, userID string, endorsed bool, now time.Time) error {
	q := s.conn(ctx)
	var err error
	if endorsed {
		err = q.Clauses(clause.OnConflict{DoNothing: true}).
			Create(&endorsementRow{CourseID: courseID, EndorsedBy: userID, EndorsedAt: now}).Error
	} else {
		err = q.Where("course_id = ?", courseID).Delete(&endorsementRow{}).Error
	}
	if err != nil {
		return fmt.Errorf("courses: endorse %s: %w", courseID, err)
	}
	return s.changed(ctx, courseID)
}
