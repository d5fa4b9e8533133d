package accounts

import (
	"context"
	"time"
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
	sessions, err := s.store.ActiveSessions(ctx, userID, s.opt.Now())
	if err != nil {
		return nil, err
	}
	return AccountExport{User: userResponse(u), CreatedAt: u.CreatedAt.UTC(), ActiveSessions: sessions}, nil
}

// Erase removes the account's personal data: the email and name are
// replaced, the password can no longer match, every session ends and the
// account is disabled. The row stays so that ids elsewhere still resolve.
func (s *Service) Erase(ctx context.Context, userID string) error {
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
	return s.store.EraseUser(ctx, userID, "erased:"+tomb, s.opt.Now())
}
