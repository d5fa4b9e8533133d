package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
)

// The sign-in back-off's streaks (throttle.go has the rules).

type throttleRow struct {
	Key      string `gorm:"primaryKey;size:400"`
	Account  string `gorm:"size:320;not null"`
	Attempts int    `gorm:"not null"`
	NextAt   int64  `gorm:"not null"`
}

func (throttleRow) TableName() string { return "login_throttles" }

// ReserveAttempt reserves one attempt of account under key with policy b at
// now. The row is read and written in one transaction holding its lock (a
// row lock on PostgreSQL; SQLite's immediate transactions are serial), so
// every replica sees one count and concurrent guesses queue instead of
// racing. clean says whether the key had no attempt in its streak.
func (s *Store) ReserveAttempt(ctx context.Context, account, key string, b Backoff, now time.Time) (ok, clean bool, retry time.Duration, err error) {
	// A right password ends the streak by deleting its row; a guess racing
	// with that finds the row gone between its insert and its lock, and
	// simply starts again.
	for range 5 {
		ok, clean, retry, err = s.reserveOnce(ctx, account, key, b, now)
		if !errors.Is(err, errThrottleRowGone) {
			break
		}
	}
	return ok, clean, retry, err
}

// errThrottleRowGone: the row was deleted between insert and lock.
var errThrottleRowGone = errors.New("accounts: throttle row deleted meanwhile")

func (s *Store) reserveOnce(ctx context.Context, account, key string, b Backoff, now time.Time) (ok, clean bool, retry time.Duration, err error) {
	ms := now.UnixMilli()
	err = dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		conn := s.conn(ctx)
		if err := conn.Clauses(clause.OnConflict{DoNothing: true}).Create(&throttleRow{Key: key, Account: account}).Error; err != nil {
			return err
		}
		q := s.conn(ctx).Where("key = ?", key)
		if dbx.DialectOf(s.db) == dbx.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var cur throttleRow
		if err := q.Take(&cur).Error; err != nil {
			if dbx.IsNotFound(err) {
				return errThrottleRowGone
			}
			return err
		}
		next, allowed, wait := b.reserve(throttleState{Attempts: cur.Attempts, NextAt: cur.NextAt}, ms)
		if !allowed {
			retry = max(wait, time.Second)
			return nil
		}
		ok, clean = true, next.Attempts == 1
		return s.conn(ctx).Model(&throttleRow{}).Where("key = ?", key).
			Updates(map[string]any{"attempts": next.Attempts, "next_at": next.NextAt}).Error
	})
	if errors.Is(err, errThrottleRowGone) {
		return false, false, 0, err
	}
	if err != nil {
		return false, false, 0, fmt.Errorf("accounts: reserve attempt: %w", err)
	}
	return ok, clean, retry, nil
}

// GiveBackAttempt returns one reserved attempt that was not a failure (a
// right password, or an attempt refused before any hash).
func (s *Store) GiveBackAttempt(ctx context.Context, key string) error {
	err := s.conn(ctx).Model(&throttleRow{}).Where("key = ? AND attempts > 0", key).
		Update("attempts", gorm.Expr("attempts - 1")).Error
	if err != nil {
		return fmt.Errorf("accounts: give back attempt: %w", err)
	}
	return nil
}

// ForgetAttempts ends key's streak.
func (s *Store) ForgetAttempts(ctx context.Context, key string) error {
	if err := s.conn(ctx).Where("key = ?", key).Delete(&throttleRow{}).Error; err != nil {
		return fmt.Errorf("accounts: forget attempts: %w", err)
	}
	return nil
}

// ForgetAccountAttempts ends every streak of one account (on deletion: the
// keys name its email).
func (s *Store) ForgetAccountAttempts(ctx context.Context, account string) error {
	err := s.conn(ctx).Where("account = ?", account).Delete(&throttleRow{}).Error
	if err != nil {
		return fmt.Errorf("accounts: forget attempts: %w", err)
	}
	return nil
}

// PurgeAttempts deletes streaks that were quiet since before cutoff.
func (s *Store) PurgeAttempts(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.conn(ctx).Where("next_at < ?", cutoff.UnixMilli()).Delete(&throttleRow{})
	return res.RowsAffected, res.Error
}
