package accounts

import (
	"context"
	"fmt"
	"time"
)

// What the composition root (app/wire) and the command line need of
// accounts beyond the HTTP API, named here so that nothing outside the
// package reaches into its store.

// User loads one account without its password hash, for the domains that
// show who someone is (a certificate's holder, a course's publisher).
func (s *Service) User(ctx context.Context, id string) (User, error) {
	u, err := s.store.UserByID(ctx, id)
	u.PasswordHash = ""
	return u, err
}

// UserByEmail loads one account by email, in any letter case, without its
// password hash.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := s.store.UserByEmail(ctx, email)
	u.PasswordHash = ""
	return u, err
}

// PurgeExpired deletes sign-in back-off streaks quiet for a day and
// refresh tokens whose family expired; housekeeping runs it on any
// replica.
func (s *Service) PurgeExpired(ctx context.Context, now time.Time) error {
	if _, err := s.store.PurgeAttempts(ctx, now.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("accounts: purge sign-in attempts: %w", err)
	}
	if _, err := s.store.PurgeRefreshTokens(ctx, now); err != nil {
		return fmt.Errorf("accounts: purge refresh tokens: %w", err)
	}
	return nil
}
