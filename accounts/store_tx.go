package accounts

import (
	"context"

	"skillgate/app/dbx"
)

// InTx runs fn in one transaction, or in ctx's when it carries one, so the
// service groups store calls without holding the database itself.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return dbx.WithTx(ctx, s.db, fn)
}
