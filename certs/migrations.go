package certs

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations returns the certificates schema changes in order, each with
// its own frozen copy of the tables it creates.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280400_certificates",
		Migrate: func(tx *gorm.DB) error {
			type signingKey struct {
				ID         string `gorm:"primaryKey;size:64"`
				PublicKey  []byte `gorm:"not null"`
				PrivateKey []byte `gorm:"not null"`
				Current    bool   `gorm:"not null"`
				CreatedAt  time.Time
			}
			type statusList struct {
				ID        string `gorm:"primaryKey;size:36"`
				Size      int    `gorm:"not null"`
				CreatedAt time.Time
			}
			type certificate struct {
				ID               string `gorm:"primaryKey;size:36"`
				Code             string `gorm:"size:16;not null;uniqueIndex:certificates_code_uq"`
				HolderID         string `gorm:"size:36;not null;index:certificates_holder_idx"`
				HolderName       string `gorm:"size:200;not null"`
				CourseID         string `gorm:"size:36;not null;index:certificates_course_idx"`
				CourseSlug       string `gorm:"size:100;not null"`
				CourseTitle      string `gorm:"size:200;not null"`
				CourseVersion    int    `gorm:"not null"`
				CourseLanguage   string `gorm:"size:35;not null"`
				AttemptID        string `gorm:"size:36;not null;uniqueIndex:certificates_attempt_uq"`
				ScorePercent     float64
				IssuedAt         time.Time
				ExpiresAt        time.Time   `gorm:"index:certificates_expires_idx"`
				StatusListID     string      `gorm:"size:36;not null;uniqueIndex:certificates_status_uq,priority:1"`
				StatusList       *statusList `gorm:"constraint:OnDelete:RESTRICT"`
				StatusIndex      int         `gorm:"not null;uniqueIndex:certificates_status_uq,priority:2"`
				KeyID            string      `gorm:"size:64;not null"`
				Token            string      `gorm:"not null"`
				RevokedAt        *time.Time
				RevocationReason string `gorm:"size:500;not null"`
			}
			type certificateEvent struct {
				ID            string `gorm:"primaryKey;size:36"`
				CertificateID string `gorm:"size:36;not null;index:certificate_events_certificate_idx"`
				Action        string `gorm:"size:20;not null"`
				ActorID       string `gorm:"size:36;not null"`
				Reason        string `gorm:"size:500;not null"`
				At            time.Time
			}
			if err := tx.Migrator().CreateTable(&signingKey{}, &statusList{}, &certificate{}, &certificateEvent{}); err != nil {
				return err
			}
			// At most one key signs at a time.
			where := "WHERE current"
			if dbx.DialectOf(tx) != dbx.Postgres {
				where = "WHERE current = 1"
			}
			return tx.Exec("CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (current) " + where).Error
		},
	}, {
		// v1.1: a status list is signed once per change (revision counts
		// revocations, signed_revision is what token was signed from, so
		// every replica serves the same bytes and ETag); the public sees a
		// revocation category, the free-text reason only its holder, admins
		// and the course's trainers.
		ID: "202611290320_status_list_tokens_revocation_category",
		Migrate: func(tx *gorm.DB) error {
			for _, stmt := range []string{
				"ALTER TABLE status_lists ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
				"ALTER TABLE status_lists ADD COLUMN signed_revision INTEGER NOT NULL DEFAULT -1",
				"ALTER TABLE status_lists ADD COLUMN token TEXT NOT NULL DEFAULT ''",
				"ALTER TABLE status_lists ADD COLUMN signed_at DATETIME",
				"ALTER TABLE certificates ADD COLUMN revocation_category VARCHAR(30) NOT NULL DEFAULT ''",
			} {
				if dbx.DialectOf(tx) == dbx.Postgres {
					stmt = strings.Replace(stmt, "DATETIME", "TIMESTAMPTZ", 1)
				}
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return tx.Exec("UPDATE certificates SET revocation_category = 'other' WHERE revoked_at IS NOT NULL").Error
		},
	}, es256Migration(), leanIssueMigration()}
}
