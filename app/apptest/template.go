package apptest

import (
	"context"
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
var schemaTemplate struct {
	once  sync.Once
	files map[string][]byte // by suffix: "" for the database, "-wal" if one is left
	err   error
}

// copySchemaTemplate writes the migrated template to path.
func copySchemaTemplate(path string) error {
	schemaTemplate.once.Do(func() { schemaTemplate.files, schemaTemplate.err = buildSchemaTemplate() })
	if schemaTemplate.err != nil {
		return schemaTemplate.err
	}
	for suffix, b := range schemaTemplate.files {
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func buildSchemaTemplate() (map[string][]byte, error) {
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
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[suffix] = b
	}
	return files, nil
}
