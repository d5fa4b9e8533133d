package accounts

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations returns the accounts schema changes in order. Each migration
// carries its own frozen copy of the tables it creates.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280100_accounts",
		Migrate: func(tx *gorm.DB) error {
			type organization struct {
				ID        string `gorm:"primaryKey;size:36"`
				Name      string `gorm:"size:200;not null"`
				CreatedAt time.Time
			}
			type user struct {
				ID             string  `gorm:"primaryKey;size:36"`
				Email          string  `gorm:"size:320;not null"`
				EmailKey       string  `gorm:"size:320;not null;uniqueIndex:users_email_key_uq"`
				Name           string  `gorm:"size:200;not null"`
				Role           string  `gorm:"size:16;not null;index:users_role_idx"`
				Locale         string  `gorm:"size:35;not null"`
				OrganizationID *string `gorm:"size:36;index:users_organization_idx"`
				Organization   *organization
				PasswordHash   string `gorm:"size:200;not null"`
				TokenVersion   int64  `gorm:"not null;default:1"`
				Disabled       bool   `gorm:"not null;default:false"`
				CreatedAt      time.Time
				UpdatedAt      time.Time
			}
			type refreshToken struct {
				ID              string `gorm:"primaryKey;size:36"`
				FamilyID        string `gorm:"size:36;not null;index:refresh_tokens_family_idx"`
				UserID          string `gorm:"size:36;not null;index:refresh_tokens_user_idx"`
				User            *user  `gorm:"constraint:OnDelete:CASCADE"`
				TokenHash       string `gorm:"size:64;not null;uniqueIndex:refresh_tokens_hash_uq"`
				FamilyExpiresAt time.Time
				CreatedAt       time.Time
				UsedAt          *time.Time
				RevokedAt       *time.Time
			}
			type authKey struct {
				ID        string `gorm:"primaryKey;size:64"`
				Secret    []byte `gorm:"not null"`
				CreatedAt time.Time
			}
			return tx.Migrator().CreateTable(
				&organization{}, &user{}, &refreshToken{}, &authKey{},
			)
		},
	}, throttleMigration(), usernameMigration()}
}
