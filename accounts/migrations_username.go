package accounts

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// usernameMigration adds usernames, makes email optional and creates the
// sign-in cards' tables.
func usernameMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290300_usernames_and_sign_in_cards",
		Migrate: func(tx *gorm.DB) error {
			// A username for learners without email, unique where set
			// (NULLs are distinct in a unique index on both databases).
			if err := tx.Exec("ALTER TABLE users ADD COLUMN username VARCHAR(40)").Error; err != nil {
				return err
			}
			if err := tx.Exec("CREATE UNIQUE INDEX users_username_uq ON users (username)").Error; err != nil {
				return err
			}
			// Email becomes optional: a learner without one has an empty
			// email. SQLite cannot drop a NOT NULL in place, and rebuilding
			// users would cascade into every table that refers to it, so
			// the unique index becomes partial instead: many accounts may
			// have no email, no two the same one.
			if err := tx.Exec("DROP INDEX users_email_key_uq").Error; err != nil {
				return err
			}
			if err := tx.Exec("CREATE UNIQUE INDEX users_email_key_uq ON users (email_key) WHERE email_key <> ''").Error; err != nil {
				return err
			}
			type user struct {
				ID string `gorm:"primaryKey;size:36"`
			}
			type signInSecret struct {
				ID         string     `gorm:"primaryKey;size:36"`
				UserID     string     `gorm:"size:36;not null;uniqueIndex:sign_in_secrets_user_kind_uq,priority:1"`
				User       *user      `gorm:"constraint:OnDelete:CASCADE"`
				Kind       string     `gorm:"size:8;not null;uniqueIndex:sign_in_secrets_user_kind_uq,priority:2"`
				SecretHash string     `gorm:"size:64;not null;uniqueIndex:sign_in_secrets_hash_uq"`
				ExpiresAt  *time.Time // links only
				UsedAt     *time.Time
				CreatedAt  time.Time
			}
			type cardSession struct {
				FamilyID  string `gorm:"primaryKey;size:36"`
				UserID    string `gorm:"size:36;not null;index:card_sessions_user_idx"`
				User      *user  `gorm:"constraint:OnDelete:CASCADE"`
				CreatedAt time.Time
			}
			return tx.Migrator().CreateTable(&signInSecret{}, &cardSession{})
		},
	}
}
