package assessments

import (
	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// lessonsDoneMigration records on each attempt whether its learner had
// every lesson done when it began: a pass of such an attempt earns its
// certificate without asking the courses domain again inside the grading
// transaction (lessons done stay done for the version the attempt sat).
func lessonsDoneMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290600_attempts_lessons_done",
		Migrate: func(tx *gorm.DB) error {
			type attempt struct {
				LessonsDone bool `gorm:"not null;default:false"`
			}
			return tx.Migrator().AddColumn(&attempt{}, "LessonsDone")
		},
	}
}
