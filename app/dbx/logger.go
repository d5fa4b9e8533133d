package dbx

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// slogLogger reports slow queries and unexpected errors through slog;
// record-not-found is an answer, not an error, and is never logged.
type slogLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newLogger(l *slog.Logger, slow time.Duration) logger.Interface {
	return &slogLogger{log: l, slow: slow}
}

func (l *slogLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (l *slogLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.DebugContext(ctx, msg, "args", args)
}
func (l *slogLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, msg, "args", args)
}
func (l *slogLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, msg, "args", args)
}
func (l *slogLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, gorm.ErrDuplicatedKey) &&
		!errors.Is(err, context.Canceled):
		sql, _ := fc()
		l.log.WarnContext(ctx, "query failed", "err", err, "elapsed", elapsed, "sql", truncate(sql, 300))
	case elapsed > l.slow:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "elapsed", elapsed, "rows", rows, "sql", truncate(sql, 300))
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
