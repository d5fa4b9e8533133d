package dbx_test

import (
	"errors"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/web"
)

type thingRow struct {
	ID   string `gorm:"primaryKey;size:36"`
	Name string
}

func (r thingRow) name() string { return r.Name }

// TestByID: one row comes back mapped; a missing one is the caller's not
// found; any other failure is wrapped with its context and is not a 404.
func TestByID(t *testing.T) {
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			db := apptest.NewDB(t, d)
			if err := db.AutoMigrate(&thingRow{}); err != nil {
				t.Fatal(err)
			}
			if err := db.Create(&thingRow{ID: "a", Name: "Asha"}).Error; err != nil {
				t.Fatal(err)
			}
			got, err := dbx.ByID(db, "a", "thing", "test: load thing", thingRow.name)
			if err != nil || got != "Asha" {
				t.Fatalf("found: %q %v", got, err)
			}
			_, err = dbx.ByID(db, "missing", "thing", "test: load thing", thingRow.name)
			if e, ok := web.AsError(err); !ok || e.Kind != web.KindNotFound || e.Message != "thing not found" {
				t.Fatalf("missing: %v", err)
			}
			_, err = dbx.ByID(db.Table("no_such_table"), "a", "thing", "test: load thing", thingRow.name)
			if _, ok := web.AsError(err); ok || err == nil || !strings.HasPrefix(err.Error(), "test: load thing: ") || errors.Unwrap(err) == nil {
				t.Fatalf("broken: %v", err)
			}
		})
	}
}

// TestWriteErr: a taken key is the caller's own error on both databases,
// any other failure is wrapped, and success is nil.
func TestWriteErr(t *testing.T) {
	taken := errors.New("that name is taken")
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			db := apptest.NewDB(t, d)
			if err := db.AutoMigrate(&thingRow{}); err != nil {
				t.Fatal(err)
			}
			if err := dbx.WriteErr(db.Create(&thingRow{ID: "a"}).Error, taken, "test: create"); err != nil {
				t.Fatalf("first write: %v", err)
			}
			if err := dbx.WriteErr(db.Create(&thingRow{ID: "a"}).Error, taken, "test: create"); err != taken {
				t.Fatalf("same key again: %v", err)
			}
			err := dbx.WriteErr(db.Table("no_such_table").Create(&thingRow{ID: "b"}).Error, taken, "test: create")
			if err == nil || err == taken || !strings.HasPrefix(err.Error(), "test: create: ") {
				t.Fatalf("broken: %v", err)
			}
		})
	}
}
