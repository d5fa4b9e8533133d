package accounts

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// ActiveSessions counts the user's refresh tokens that can still be spent.
func (s *Store) ActiveSessions(ctx context.Context, userID string, now time.Time) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&refreshTokenRow{}).
		Where("user_id = ? AND used_at IS NULL AND revoked_at IS NULL AND family_expires_at > ?", userID, now).
		Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("accounts: count sessions: %w", err)
	}
	return n, nil
}

// EraseUser replaces the user's personal data (the password hash by
// passwordHash, which no password matches), disables the account, cuts its
// access tokens and deletes its refresh tokens, sign-in cards and links, in
// one transaction that tells every replica's caches.
func (s *Store) EraseUser(ctx context.Context, userID, passwordHash string, now time.Time) error {
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&userRow{}).Where("id = ?", userID).Updates(map[string]any{
			"email":           "erased-" + userID + "@invalid",
			"email_key":       "erased-" + userID + "@invalid",
			"name":            "Erased user",
			"username":        nil, // made from the name
			"password_hash":   passwordHash,
			"organization_id": nil,
			"disabled":        true,
			"token_version":   gorm.Expr("token_version + 1"),
			"updated_at":      now,
		})
		if res.Error != nil {
			return fmt.Errorf("accounts: erase %s: %w", userID, res.Error)
		}
		// Sign-in cards and links, the record of which sessions they
		// began, and the sessions.
		for _, row := range []any{&signInSecretRow{}, &cardSessionRow{}, &refreshTokenRow{}} {
			if err := s.conn(ctx).Where("user_id = ?", userID).Delete(row).Error; err != nil {
				return fmt.Errorf("accounts: erase %s: %w", userID, err)
			}
		}
		if err := s.publish(ctx, dbx.TopicAccounts, userID); err != nil {
			return err
		}
		return s.publish(ctx, TopicTokenFamilies, userKeyPrefix+userID)
	})
}
