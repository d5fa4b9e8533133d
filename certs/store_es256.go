package certs

import (
	"context"
	"fmt"
	"time"
)

// The P-256 signing keys (es256.go signs with them).

type ecKeyRow struct {
	ID         string `gorm:"primaryKey;size:64"`
	PublicKey  []byte `gorm:"not null"` // PKIX DER
	PrivateKey []byte `gorm:"not null"` // SEC 1 DER, sealed
	Current    bool   `gorm:"not null"`
	CreatedAt  time.Time
}

func (ecKeyRow) TableName() string { return "signing_keys_es256" }

// ECKeys loads every P-256 key, newest first.
func (s *Store) ECKeys(ctx context.Context) ([]ecKeyRow, error) {
	var rows []ecKeyRow
	err := s.conn(ctx).Order("created_at DESC, id").Find(&rows).Error
	return rows, err
}

// InsertECKey stores a P-256 key as the current one.
func (s *Store) InsertECKey(ctx context.Context, row ecKeyRow) error {
	if err := s.conn(ctx).Model(&ecKeyRow{}).Where("current = ?", true).Update("current", false).Error; err != nil {
		return fmt.Errorf("certs: retire ES256 key: %w", err)
	}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("certs: store ES256 key: %w", err)
	}
	return nil
}
