package dbx

import (
	"context"

	"gorm.io/gorm"
)

// Handle is the database as code outside the stores may hold it: it opens
// transactions and scrubs the files after an erasure, but runs no query,
// so that SQL stays in the stores.
type Handle struct{ db *gorm.DB }

// HandleOf wraps db.
func HandleOf(db *gorm.DB) Handle { return Handle{db: db} }

// WithTx runs fn in one transaction, or in ctx's when it carries one (see
// the package function WithTx).
func (h Handle) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return WithTx(ctx, h.db, fn)
}

// Scrub makes deleted rows unrecoverable from the database files (see the
// package function Scrub).
func (h Handle) Scrub(ctx context.Context) error { return Scrub(ctx, h.db) }

// Ping reports whether the database answers (see the package function
// Ping).
func (h Handle) Ping(ctx context.Context) error { return Ping(ctx, h.db) }
