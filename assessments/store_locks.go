package assessments

import (
	"context"

	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Transactions and the locks taken in them, so the service groups store
// calls without holding the database itself.

// InTx runs fn in one transaction, or in ctx's when it carries one.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return dbx.WithTx(ctx, s.db, fn)
}

// lockAttempt serialises work on one attempt across transactions
// (PostgreSQL row lock; SQLite transactions are already serial). An
// unknown attempt is a 404.
func (s *Store) lockAttempt(ctx context.Context, id string) error {
	if dbx.DialectOf(s.db) != dbx.Postgres {
		return nil
	}
	var row attemptRow
	err := s.conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").Where("id = ?", id).Take(&row).Error
	if dbx.IsNotFound(err) {
		return web.NotFound("attempt")
	}
	return err
}

// lockTx takes a PostgreSQL advisory lock on key until ctx's transaction
// ends (nothing on SQLite, whose transactions are already serial).
func (s *Store) lockTx(ctx context.Context, key int64) error {
	return dbx.LockTx(ctx, s.db, key)
}
