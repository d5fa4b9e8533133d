package ratelimit

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
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

// Reset forgets key.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if err := l.db.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE key = ?`, key).Error; err != nil {
		return fmt.Errorf("ratelimit: reset %s: %w", key, err)
	}
	return nil
}

// Purge deletes counters whose window ended before olderThan ago.
func (l *Limiter) Purge(ctx context.Context, olderThan time.Duration) (int64, error) {
	res := l.db.WithContext(ctx).Exec(`DELETE FROM rate_limits WHERE window_start < ?`, l.now().Add(-olderThan).UnixMilli())
	if res.Error != nil {
		return 0, fmt.Errorf("ratelimit: purge: %w", res.Error)
	}
	return res.RowsAffected, nil
}
