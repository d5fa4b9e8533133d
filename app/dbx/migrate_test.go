package dbx_test

import (
	"sync"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/wire"
)

func TestMigrationsApplyOnceEvenConcurrently(t *testing.T) {
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) { migrateConcurrently(t, apptest.NewEmptyDB(t, d)) })
	}
}

func migrateConcurrently(t *testing.T, db *gorm.DB) {
	ctx := apptest.Context(t)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = dbx.Migrate(ctx, db, wire.Migrations())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := dbx.Migrate(ctx, db, wire.Migrations()); err != nil {
		t.Fatalf("second run: %v", err)
	}
	ids, err := dbx.Applied(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(wire.Migrations()) {
		t.Fatalf("%d recorded, want %d: %v", len(ids), len(wire.Migrations()), ids)
	}
}
