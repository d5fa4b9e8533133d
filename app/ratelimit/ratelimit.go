// Package ratelimit counts events per key in fixed windows, in the
// database, so that every replica enforces one shared limit. The counters
// and their SQL live in store.go; this file holds the rule and the
// middleware.
package ratelimit

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// decide tells from a counter whether the event is within limit (extra
// counts one more not yet taken) and, if not, how long until the window
// resets.
func decide(c counter, limit int, window time.Duration, now int64, extra int) (bool, time.Duration, error) {
	if c.Hits+extra <= limit {
		return true, 0, nil
	}
	retry := time.Duration(c.WindowStart+window.Milliseconds()-now) * time.Millisecond
	return false, max(retry, time.Second), nil
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
