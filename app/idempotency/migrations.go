package idempotency

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations creates the records table.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280020_idempotency_records",
		Migrate: func(tx *gorm.DB) error {
			type idempotencyRecord struct {
				ID          string `gorm:"primaryKey;size:64"`
				BodyHash    string `gorm:"size:64;not null"`
				Done        bool   `gorm:"not null"`
				Status      int
				ContentType string `gorm:"size:100"`
				Response    []byte
				CreatedAt   time.Time `gorm:"index:idempotency_records_created_idx"`
			}
			return tx.Migrator().CreateTable(&idempotencyRecord{})
		},
	}, {
		// Records name their user, so that deleting an account deletes
		// its stored answers.
		ID: "202611290120_idempotency_records_user",
		Migrate: func(tx *gorm.DB) error {
			type idempotencyRecord struct {
				UserID *string `gorm:"size:36;index:idempotency_records_user_idx"`
			}
			if err := tx.Migrator().AddColumn(&idempotencyRecord{}, "UserID"); err != nil {
				return err
			}
			return tx.Migrator().CreateIndex(&idempotencyRecord{}, "idempotency_records_user_idx")
		},
	}}
}
