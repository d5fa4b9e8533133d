package certs

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// es256Migration creates the P-256 key table, with at most one current key.
func es256Migration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290400_signing_keys_es256",
		Migrate: func(tx *gorm.DB) error {
			type signingKeysES256 struct {
				ID         string `gorm:"primaryKey;size:64"`
				PublicKey  []byte `gorm:"not null"`
				PrivateKey []byte `gorm:"not null"`
				Current    bool   `gorm:"not null"`
				CreatedAt  time.Time
			}
			if err := tx.Migrator().CreateTable(&signingKeysES256{}); err != nil {
				return err
			}
			where := "WHERE current"
			if dbx.DialectOf(tx) != dbx.Postgres {
				where = "WHERE current = 1"
			}
			return tx.Exec("CREATE UNIQUE INDEX signing_keys_es256_one_current ON signing_keys_es256 (current) " + where).Error
		},
	}
}
