// Package apptest gives tests real parts: a fresh database of every kind
// configured (SQLite always, PostgreSQL when SKILLGATE_TEST_DATABASE_URL is
// set), a fully wired application, and accounts of every role.
package apptest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/config"
	"skillgate/app/dbx"
)

// EnvDatabaseURL names the PostgreSQL server tests use when it is set.
const EnvDatabaseURL = "SKILLGATE_TEST_DATABASE_URL"

// Dialects lists the databases this run tests on. Under CI=true a missing
// PostgreSQL URL fails the test instead of skipping the database.
func Dialects(t testing.TB) []dbx.Dialect {
	out := []dbx.Dialect{dbx.SQLite}
	if os.Getenv(EnvDatabaseURL) != "" {
		out = append(out, dbx.Postgres)
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but %s is not set: store tests must run on PostgreSQL too", EnvDatabaseURL)
	}
	return out
}

// EachDB runs fn as a subtest on a fresh database of every dialect (see
// NewDB).
func EachDB(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	for _, d := range Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			fn(t, NewDB(t, d))
		})
	}
}

// NewDB opens a fresh database of dialect d that lives as long as the test:
// a SQLite file in a temporary directory, or a PostgreSQL schema of its own.
// A SQLite file starts as a copy of one migrated once per test binary
// (schemaTemplate), so a platform built on it finds its schema in place;
// a PostgreSQL schema starts empty and is migrated by whoever uses it.
func NewDB(t testing.TB, d dbx.Dialect) *gorm.DB {
	t.Helper()
	db, _ := NewDBURL(t, d)
	return db
}

// NewEmptyDB is NewDB without the schema on SQLite either, for tests of
// migrating itself.
func NewEmptyDB(t testing.TB, d dbx.Dialect) *gorm.DB {
	t.Helper()
	db, _ := newDB(t, d, false)
	return db
}

// NewDBURL is NewDB that also returns the database URL, for tests that
// start processes of their own on it.
func NewDBURL(t testing.TB, d dbx.Dialect) (*gorm.DB, string) {
	t.Helper()
	return newDB(t, d, true)
}

func newDB(t testing.TB, d dbx.Dialect, migrated bool) (*gorm.DB, string) {
	t.Helper()
	var raw string
	switch d {
	case dbx.SQLite:
		path := filepath.Join(t.TempDir(), "test.db")
		if migrated {
			if err := copySchemaTemplate(path); err != nil {
				t.Fatalf("schema template: %v", err)
			}
		}
		raw = "sqlite://" + path
	case dbx.Postgres:
		base := os.Getenv(EnvDatabaseURL)
		if base == "" {
			t.Fatalf("%s is not set", EnvDatabaseURL)
		}
		schema := "t_" + randomHex(8)
		admin, err := dbx.Open(base, dbx.Options{Logger: quietLog()})
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			_ = dbx.Close(admin)
		})
		raw = withSearchPath(base, schema)
	}
	db, err := dbx.Open(raw, dbx.Options{Logger: quietLog(), MaxOpenConns: 10})
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = dbx.Close(db) })
	return db, raw
}

func withSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func quietLog() *slog.Logger {
	if os.Getenv("SKILLGATE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Config is a test configuration; overrides are environment variables.
func Config(t testing.TB, overrides map[string]string) config.Config {
	t.Helper()
	env := map[string]string{
		"SKILLGATE_BASE_URL":              "http://skillgate.test",
		"SKILLGATE_SEED":                  "false",
		"SKILLGATE_WEBHOOK_ALLOW_PRIVATE": "true",
		"SKILLGATE_RATE_AUTH_PER_ADDRESS": "100000/1m",
		"SKILLGATE_RATE_BATCH_PER_ORG":    "100000/1m",
	}
	for k, v := range overrides {
		env[k] = v
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// Context is a background context for the test's length.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}

// Log is the logger tests hand to the platform.
func Log() *slog.Logger { return quietLog() }
