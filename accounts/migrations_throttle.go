package accounts

import (
	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// throttleMigration creates the sign-in back-off's table.
func throttleMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290100_login_throttles",
		Migrate: func(tx *gorm.DB) error {
			type loginThrottle struct {
				Key      string `gorm:"primaryKey;size:400"`
				Account  string `gorm:"size:320;not null;index:login_throttles_account_idx"`
				Attempts int    `gorm:"not null"`
				NextAt   int64  `gorm:"not null;index:login_throttles_next_idx"`
			}
			return tx.Migrator().CreateTable(&loginThrottle{})
		},
	}
}
