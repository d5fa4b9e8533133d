package ratelimit

import (
	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations creates the counters table.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280010_rate_limits",
		Migrate: func(tx *gorm.DB) error {
			type rateLimit struct {
				Key         string `gorm:"primaryKey;size:300"`
				WindowStart int64  `gorm:"not null;index:rate_limits_window_idx"`
				Hits        int    `gorm:"not null"`
			}
			return tx.Migrator().CreateTable(&rateLimit{})
		},
	}}
}
