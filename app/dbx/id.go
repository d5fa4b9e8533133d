package dbx

import "github.com/google/uuid"

// NewID returns a new opaque, time-ordered identifier (UUIDv7), so that
// ordering by id is ordering by creation and makes a stable list cursor.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
