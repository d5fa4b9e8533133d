package courses

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// lessonsDeletedMigration lets a deleted lesson or module keep its row
// (editing.go says why).
func lessonsDeletedMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290400_course_lessons_deleted",
		Migrate: func(tx *gorm.DB) error {
			type courseLesson struct {
				DeletedAt *time.Time
			}
			type courseModule struct {
				DeletedAt *time.Time
			}
			if err := tx.Migrator().AddColumn(&courseModule{}, "DeletedAt"); err != nil {
				return err
			}
			return tx.Migrator().AddColumn(&courseLesson{}, "DeletedAt")
		},
	}
}
