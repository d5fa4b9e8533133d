package accounts

import (
	"context"
	"strings"

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
// else is unauthenticated. It runs on every signed-in page, so both answers
// come from the caches (cache.go) when they can; the account comes without
// its password hash.
func (s *Service) FamilyUser(ctx context.Context, userID, familyID string) (User, error) {
	live, err := s.familyLive(ctx, userID, familyID, s.opt.Now())
	if err != nil {
		return User{}, err
	}
	if !live {
		return User{}, web.Unauthenticated("the session has ended")
	}
	u, err := s.cachedUser(ctx, userID)
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
	if !web.IsLocale(locale) {
		return web.Invalid("the language cannot be changed", web.NotLocale("locale"))
	}
	return s.store.UpdateUser(ctx, userID, UserChange{Locale: &locale}, s.opt.Now())
}
