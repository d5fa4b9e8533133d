package assessments

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// assessmentsDeletedMigration lets a deleted assessment keep its row.
func assessmentsDeletedMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290400_assessments_deleted",
		Migrate: func(tx *gorm.DB) error {
			type assessment struct {
				DeletedAt *time.Time
			}
			return tx.Migrator().AddColumn(&assessment{}, "DeletedAt")
		},
	}
}
