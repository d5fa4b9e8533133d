// Package ratelimit counts events per key in fixed windows, in the
// database, so that every replica enforces one shared limit.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Limiter is a database-backed fixed-window counter.
type Limiter struct {
	db  *gorm.DB
	now func() time.Time
}

// New returns a limiter on db; now is the clock (time.Now when nil).
func New(db *gorm.DB, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{db: db, now: now}
}

type counter struct {
	Hits        int
	WindowStart int64
}

// Take counts one event against key in a single upsert, and reports whether
// the count is within limit and, if not, how long until the window resets.
func (l *Limiter) Take(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	now := l.now().UnixMilli()
	expired := now - window.Milliseconds()
	var c counter
	err := l.db.WithContext(ctx).Raw(`
INSERT INTO rate_limits (key, window_start, hits) VALUES (?, ?, 1)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN rate_limits.window_start <= ? THEN 1 ELSE rate_limits.hits + 1 END,
  window_start = CASE WHEN rate_limits.window_start <= ? THEN excluded.window_start ELSE rate_limits.window_start END
RETURNING hits, window_start`, key, now, expired, expired).Scan(&c).Error
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: take %s: %w", key, err)
	}
	return decide(c, limit, window, now, 0)
}

// Check reports whether one more event would be within limit.
func (l *Limiter) Check(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	now := l.now().UnixMilli()
	var rows []counter
	err := l.db.WithContext(ctx).Raw(`SELECT hits, window_start FROM rate_limits WHERE key = ?`, key).Scan(&rows).Error
	if err != nil {
		return false, 0, fmt.Errorf("ratelimit: check %s: %w", key, err)
	}
	if len(rows) == 0 || rows[0].WindowStart <= now-window.Milliseconds() {
		return true, 0, nil
	}
	return decide(rows[0], limit, window, now, 1)
}

func decide(c counter, limit int, window time.Duration, now int64, extra int) (bool, time.Duration, error) {
	if c.Hits+extra <= limit {
		return true, 0, nil
	}
	retry := time.Duration(c.WindowStart+window.Milliseconds()-now) * time.Millisecond
	return false, max(retry, time.Second), nil
}

// Reset forgets key.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	return l.db.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE key = ?`, key).Error
}

// Purge deletes counters whose window ended before olderThan ago.
func (l *Limiter) Purge(ctx context.Context, olderThan time.Duration) (int64, error) {
	res := l.db.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE window_start < ?`, l.now().Add(-olderThan).UnixMilli())
	return res.RowsAffected, res.Error
}

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

// Middleware limits requests per client address under prefix.
func Middleware(l *Limiter, prefix string, limit int, window time.Duration) fiber.Handler {
	return KeyedMiddleware(l, prefix, limit, window, web.ClientIP)
}

// KeyedMiddleware limits requests per key(c) under prefix (for example per
// organization, after authentication).
func KeyedMiddleware(l *Limiter, prefix string, limit int, window time.Duration, key func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ok, retry, err := l.Take(c.UserContext(), prefix+":"+key(c), limit, window)
		if err != nil {
			return err
		}
		if !ok {
			return web.RateLimited(retry)
		}
		return c.Next()
	}
}
