package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"skillgate/app/web"
)

// A web session is a refresh-token family whose token stays on the server:
// the site keeps the family's id, never the token, and asks here on every
// page whether the family is still live. API logout, logout everywhere, a
// password change or disabling the account all revoke the family's tokens,
// so they end the web session too.

// FamilyOf names the refresh-token family of a token just handed out by
// Login or Register.
func (s *Service) FamilyOf(ctx context.Context, refreshToken string) (string, error) {
	rt, err := s.store.RefreshTokenByHash(ctx, hashToken(refreshToken))
	if err == errNoRefreshToken {
		return "", errBadRefresh
	}
	if err != nil {
		return "", err
	}
	return rt.FamilyID, nil
}

// FamilyUser returns the account of a live refresh-token family: one that is
// neither revoked nor expired, of an account that is not disabled. Anything
// else is unauthenticated.
func (s *Service) FamilyUser(ctx context.Context, userID, familyID string) (User, error) {
	live, err := s.store.FamilyLive(ctx, userID, familyID, s.opt.Now())
	if err != nil {
		return User{}, err
	}
	if !live {
		return User{}, web.Unauthenticated("the session has ended")
	}
	u, err := s.store.UserByID(ctx, userID)
	if web.IsKind(err, web.KindNotFound) {
		return User{}, web.Unauthenticated("the session has ended")
	}
	if err != nil {
		return User{}, err
	}
	if u.Disabled {
		return User{}, web.Unauthenticated("the account is disabled")
	}
	return u, nil
}

// EndFamily revokes every token of a family: signing out of the web.
func (s *Service) EndFamily(ctx context.Context, familyID string) error {
	return s.store.RevokeFamily(ctx, familyID, s.opt.Now())
}

// SetLocale remembers the language the user reads.
func (s *Service) SetLocale(ctx context.Context, userID, locale string) error {
	locale = strings.TrimSpace(locale)
	if !localeRe.MatchString(locale) {
		return web.Invalid("the language cannot be changed", web.FieldError{Field: "locale", Message: "must be a language tag such as en or hi"})
	}
	return s.store.UpdateUser(ctx, userID, UserChange{Locale: &locale}, s.opt.Now())
}

// FamilyLive reports whether the family has a token that is not revoked
// and whose family has not expired.
func (s *Store) FamilyLive(ctx context.Context, userID, familyID string, now time.Time) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&refreshTokenRow{}).
		Where("family_id = ? AND user_id = ? AND revoked_at IS NULL AND family_expires_at > ?", familyID, userID, now).
		Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("accounts: load token family: %w", err)
	}
	return n > 0, nil
}
