package courses

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// endorsementMigration creates the endorsements table (its own frozen
// copy of the row).
func endorsementMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290330_course_endorsements",
		Migrate: func(tx *gorm.DB) error {
			type course struct {
				ID string `gorm:"primaryKey;size:36"`
			}
			type courseEndorsement struct {
				CourseID   string  `gorm:"primaryKey;size:36"`
				Course     *course `gorm:"constraint:OnDelete:CASCADE"`
				EndorsedBy string  `gorm:"size:36;not null"`
				EndorsedAt time.Time
			}
			return tx.Migrator().CreateTable(&courseEndorsement{})
		},
	}
}
