package dbx

import (
	"context"
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// Migration is one versioned, frozen schema change. Its ID orders it; once
// released it is never edited, only followed by another.
type Migration = gormigrate.Migration

// migrationLockKey is the PostgreSQL advisory lock taken while migrating, so
// that replicas starting together apply each migration once.
const migrationLockKey = 0x5c111a7e

// Migrate applies every migration not yet recorded in the database, in
// order, each in its own transaction. On PostgreSQL it holds an advisory
// lock for the duration; SQLite serialises writers by itself.
func Migrate(ctx context.Context, db *gorm.DB, migrations []*Migration) error {
	run := func(conn *gorm.DB) error {
		m := gormigrate.New(conn, &gormigrate.Options{
			TableName:                 "schema_migrations",
			IDColumnName:              "id",
			IDColumnSize:              255,
			UseTransaction:            true,
			ValidateUnknownMigrations: false,
		}, migrations)
		if err := m.Migrate(); err != nil {
			return fmt.Errorf("dbx: migrate: %w", err)
		}
		return nil
	}
	if DialectOf(db) != Postgres {
		return run(db.WithContext(ctx))
	}
	return db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("SELECT pg_advisory_lock(?)", migrationLockKey).Error; err != nil {
			return fmt.Errorf("dbx: take migration lock: %w", err)
		}
		defer conn.Exec("SELECT pg_advisory_unlock(?)", migrationLockKey)
		return run(conn)
	})
}

// Applied lists the IDs of the migrations recorded in the database.
func Applied(ctx context.Context, db *gorm.DB) ([]string, error) {
	var ids []string
	err := db.WithContext(ctx).Table("schema_migrations").Order("id").Pluck("id", &ids).Error
	return ids, err
}
