package certs

import (
	"context"

	"skillgate/app/dbx"
)

// InTx runs fn in one transaction, or in ctx's when it carries one, so the
// service groups store calls without holding the database itself.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return dbx.WithTx(ctx, s.db, fn)
}

// lockTx takes a PostgreSQL advisory lock on key until ctx's transaction
// ends (nothing on SQLite, whose transactions are already serial).
func (s *Store) lockTx(ctx context.Context, key int64) error {
	return dbx.LockTx(ctx, s.db, key)
}
