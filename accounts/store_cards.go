package accounts

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
)

type signInSecretRow struct {
	ID         string `gorm:"primaryKey;size:36"`
	UserID     string `gorm:"size:36;not null"`
	Kind       string `gorm:"size:8;not null"`
	SecretHash string `gorm:"size:64;not null"`
	ExpiresAt  *time.Time
	UsedAt     *time.Time
	CreatedAt  time.Time
}

func (signInSecretRow) TableName() string { return "sign_in_secrets" }

type cardSessionRow struct {
	FamilyID  string `gorm:"primaryKey;size:36"`
	UserID    string `gorm:"size:36;not null"`
	CreatedAt time.Time
}

func (cardSessionRow) TableName() string { return "card_sessions" }

// putSecret stores the digest of a user's secret of kind, replacing the
// one before it.
func (s *Store) putSecret(ctx context.Context, userID, kind, hash string, expires *time.Time, now time.Time) error {
	row := signInSecretRow{ID: dbx.NewID(), UserID: userID, Kind: kind, SecretHash: hash, ExpiresAt: expires, CreatedAt: now}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "kind"}},
		DoUpdates: clause.Assignments(map[string]any{"id": row.ID, "secret_hash": hash, "expires_at": expires, "used_at": nil, "created_at": now}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("accounts: store sign-in secret: %w", err)
	}
	return nil
}

// signInSecret is a stored card or link, by the digest of its secret.
type signInSecret struct {
	ID, UserID, Kind string
}

// SecretByHash finds the card or link whose secret has the digest hash,
// or nil when there is none.
func (s *Store) SecretByHash(ctx context.Context, hash string) (*signInSecret, error) {
	var row signInSecretRow
	err := s.conn(ctx).Where("secret_hash = ?", hash).Take(&row).Error
	if dbx.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("accounts: load sign-in secret: %w", err)
	}
	return &signInSecret{ID: row.ID, UserID: row.UserID, Kind: row.Kind}, nil
}

// SpendLink marks a one-time link used if, and only if, it was neither
// used nor expired: of two uses at once, one wins.
func (s *Store) SpendLink(ctx context.Context, id string, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&signInSecretRow{}).
		Where("id = ? AND used_at IS NULL AND expires_at > ?", id, now).Update("used_at", now)
	if res.Error != nil {
		return false, fmt.Errorf("accounts: spend sign-in link: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// CreateCardSession records that a refresh-token family was begun with a
// card or a link.
func (s *Store) CreateCardSession(ctx context.Context, familyID, userID string, now time.Time) error {
	if err := s.conn(ctx).Create(&cardSessionRow{FamilyID: familyID, UserID: userID, CreatedAt: now}).Error; err != nil {
		return fmt.Errorf("accounts: record card session: %w", err)
	}
	return nil
}

// IsCardFamily reports whether the family was begun with a card or a
// link (by userID, unless userID is "").
func (s *Store) IsCardFamily(ctx context.Context, familyID, userID string) (bool, error) {
	q := s.conn(ctx).Model(&cardSessionRow{}).Where("family_id = ?", familyID)
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	var n int64
	if err := q.Limit(1).Count(&n).Error; err != nil {
		return false, fmt.Errorf("accounts: load card session: %w", err)
	}
	return n > 0, nil
}

// DeleteCardSessions forgets which of the user's sessions cards began.
func (s *Store) DeleteCardSessions(ctx context.Context, userID string) error {
	if err := s.conn(ctx).Where("user_id = ?", userID).Delete(&cardSessionRow{}).Error; err != nil {
		return fmt.Errorf("accounts: delete card sessions: %w", err)
	}
	return nil
}
