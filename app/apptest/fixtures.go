package apptest

import (
	"io"
	"testing"

	"gorm.io/gorm"
)

// NewSeeded is New with the built-in courses imported and published, as a
// fresh installation has them, for tests that read the catalogue or sit a
// built-in final.
func NewSeeded(t testing.TB, db *gorm.DB, opt ...Options) *Env {
	t.Helper()
	e := New(t, db, opt...)
	if err := e.Seed(Context(t), io.Discard); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return e
}
