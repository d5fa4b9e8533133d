package accounts

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AccountExport is what a user's data export says of the account.
type AccountExport struct {
	User           UserResponse `json:"user"`
	CreatedAt      time.Time    `json:"created_at"`
	ActiveSessions int64        `json:"active_sessions"`
}

// Export gathers the account's own data.
func (s *Service) Export(ctx context.Context, userID string) (any, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	var sessions int64
	err = s.store.conn(ctx).Model(&refreshTokenRow{}).
		Where("user_id = ? AND used_at IS NULL AND revoked_at IS NULL AND family_expires_at > ?", userID, s.opt.Now()).
		Count(&sessions).Error
	if err != nil {
		return nil, err
	}
	return AccountExport{User: userResponse(u), CreatedAt: u.CreatedAt.UTC(), ActiveSessions: sessions}, nil
}

// Erase removes the account's personal data: the email and name are
// replaced, the password can no longer match, every session ends and the
// account is disabled. The row stays so that ids elsewhere still resolve.
func (s *Service) Erase(ctx context.Context, userID string) error {
	now := s.opt.Now()
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	// The sign-in counters are keyed by the email: they go too.
	if err := s.store.ForgetAccountAttempts(ctx, throttleAccount(u)); err != nil {
		return err
	}
	tomb, err := randomToken(24)
	if err != nil {
		return err
	}
	res := s.store.conn(ctx).Model(&userRow{}).Where("id = ?", userID).Updates(map[string]any{
		"email":           "erased-" + userID + "@invalid",
		"email_key":       "erased-" + userID + "@invalid",
		"name":            "Erased user",
		"username":        nil, // made from the name
		"password_hash":   "erased:" + tomb,
		"organization_id": nil,
		"disabled":        true,
		"token_version":   gorm.Expr("token_version + 1"),
		"updated_at":      now,
	})
	if res.Error != nil {
		return fmt.Errorf("accounts: erase %s: %w", userID, res.Error)
	}
	// Sign-in cards and links, and the record of which sessions they began.
	for _, row := range []any{&signInSecretRow{}, &cardSessionRow{}} {
		if err := s.store.conn(ctx).Where("user_id = ?", userID).Delete(row).Error; err != nil {
			return fmt.Errorf("accounts: erase %s: %w", userID, err)
		}
	}
	return s.store.conn(ctx).Where("user_id = ?", userID).Delete(&refreshTokenRow{}).Error
}
