// Package dbx opens the database (embedded SQLite or PostgreSQL), carries
// transactions through the context, translates driver errors and applies
// versioned migrations. It imports no domain package.
package dbx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Dialect names the database behind a *gorm.DB.
type Dialect string

// The dialects Skillgate runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options tune the connection pool.
type Options struct {
	MaxOpenConns int
	MaxIdleConns int
	// SlowQuery logs queries slower than this (0: 200 ms).
	SlowQuery time.Duration
	Logger    *slog.Logger
}

// Open connects to url: "sqlite://PATH" (the directory is created; WAL,
// foreign keys, secure_delete and a busy timeout are set) or "postgres://...".
func Open(rawURL string, opt Options) (*gorm.DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.SlowQuery == 0 {
		opt.SlowQuery = 200 * time.Millisecond
	}
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		Logger:                 newLogger(opt.Logger, opt.SlowQuery),
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db  *gorm.DB
		err error
	)
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		path := strings.TrimPrefix(rawURL, "sqlite://")
		if path == "" {
			return nil, errors.New("dbx: sqlite URL has no path")
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return nil, fmt.Errorf("dbx: create data directory: %w", err)
			}
		}
		db, err = gorm.Open(sqlite.Open(sqliteDSN(path)), cfg)
		if err == nil {
			sqlDB, _ := db.DB()
			// Writers serialise in SQLite; a modest pool with immediate
			// transactions and a busy timeout keeps readers concurrent.
			sqlDB.SetMaxOpenConns(max(opt.MaxOpenConns, 8))
			sqlDB.SetMaxIdleConns(max(opt.MaxIdleConns, 4))
		}
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		db, err = gorm.Open(postgres.New(postgres.Config{DSN: rawURL}), cfg)
		if err == nil {
			sqlDB, _ := db.DB()
			sqlDB.SetMaxOpenConns(max(opt.MaxOpenConns, 2))
			sqlDB.SetMaxIdleConns(max(opt.MaxIdleConns, 2))
			sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		return nil, fmt.Errorf("dbx: unsupported database URL %q (want sqlite:// or postgres://)", redact(rawURL))
	}
	if err != nil {
		return nil, fmt.Errorf("dbx: open %s: %w", redact(rawURL), err)
	}
	return db, nil
}

func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Deleted and overwritten content is zeroed in the pages, so an
	// erased learner's name does not stay readable in free space.
	q.Add("_pragma", "secure_delete(1)")
	// Immediate transactions take the write lock at BEGIN, so two writers
	// queue on the busy timeout instead of failing to upgrade a read lock.
	// (No _time_format: the driver ignores _txlock when it is set.)
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// redact hides a password in a database URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// DialectOf says which database db talks to.
func DialectOf(db *gorm.DB) Dialect {
	if db.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close closes the pool.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

type txKey struct{}

// WithTx runs fn in a transaction carried by the context; nested calls join
// the outer transaction.
func WithTx(ctx context.Context, db *gorm.DB, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	ac := &afterCommit{}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ac.fns = ac.fns[:0] // a retried body starts again
		inner := context.WithValue(context.WithValue(ctx, txKey{}, tx), afterCommitKey{}, ac)
		return fn(inner)
	})
	if err == nil {
		for _, f := range ac.fns {
			f()
		}
	}
	return err
}

// Conn returns the context's transaction if there is one, else db, always
// bound to ctx.
func Conn(ctx context.Context, db *gorm.DB) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return db.WithContext(ctx)
}

// IsDuplicate reports a unique-constraint violation.
func IsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// IsNotFound reports a missing row from First/Take.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// Scrub makes deleted rows unrecoverable from the database files, as far
// as the database itself can: on SQLite (whose connections run with
// secure_delete, so deleted content is overwritten in the pages) it
// checkpoints the write-ahead log into the main file and truncates it, so
// no older copy of a changed page stays in the log. On PostgreSQL it does
// nothing: old row versions stay in the table files until VACUUM (run by
// autovacuum) marks them free and later writes reuse the space; only
// VACUUM FULL rewrites the table without them.
func Scrub(ctx context.Context, db *gorm.DB) error {
	if DialectOf(db) != SQLite {
		return nil
	}
	return db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// LockTx takes a transaction-scoped PostgreSQL advisory lock on key, so
// that one replica at a time runs the rest of the transaction (SQLite's
// immediate transactions are already serial). It must run inside WithTx.
func LockTx(ctx context.Context, db *gorm.DB, key int64) error {
	if DialectOf(db) != Postgres {
		return nil
	}
	return Conn(ctx, db).Exec("SELECT pg_advisory_xact_lock(?)", key).Error
}
