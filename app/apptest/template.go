package apptest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"skillgate/app/dbx"
	"skillgate/app/wire"
)

// schemaTemplate is a SQLite database with every migration applied, made
// once per test binary and kept in memory. Migrating took 40 ms of the
// 73 ms a test platform cost to build, hundreds of times a run; copying
// the file takes well under one.
var schemaTemplate = sync.OnceValues(buildSchemaTemplate)

// copySchemaTemplate writes the migrated template to path.
func copySchemaTemplate(path string) error {
	b, err := schemaTemplate()
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func buildSchemaTemplate() ([]byte, error) {
	dir, err := os.MkdirTemp("", "skillgate-schema-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "schema.db")
	db, err := dbx.Open("sqlite://"+path, dbx.Options{Logger: quietLog()})
	if err != nil {
		return nil, err
	}
	merr := dbx.Migrate(context.Background(), db, wire.Migrations())
	if err := dbx.Close(db); err != nil && merr == nil {
		merr = err
	}
	if merr != nil {
		return nil, merr
	}
	// Closing the last connection checkpoints the write-ahead log into the
	// file; a log left behind would hold part of the schema.
	if _, err := os.Stat(path + "-wal"); err == nil {
		return nil, fmt.Errorf("the schema template left a write-ahead log")
	}
	return os.ReadFile(path)
}
