package certs_test

import (
	"bytes"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/wire"
)

// TestSigningKeysEncryptedAtRest: with a key encryption key set, the
// stored private key is sealed, and a replica with the wrong key refuses
// to start rather than sign with a key it cannot read.
func TestSigningKeysEncryptedAtRest(t *testing.T) {
	db := apptest.NewDB(t, dbx.SQLite)
	e := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_KEY_ENCRYPTION_KEY": "correct horse battery staple"}})
	var row struct {
		ID         string
		PrivateKey []byte
	}
	if err := db.Table("signing_keys").Where("current = ?", true).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.PrivateKey[0] != 1 || len(row.PrivateKey) < 40 {
		t.Fatalf("private key not sealed: %x", row.PrivateKey)
	}
	k := e.Certs.KeySet(apptest.Context(t), row.ID)[row.ID]
	if bytes.Contains(row.PrivateKey, k) {
		t.Fatal("public key found inside the sealed value")
	}
	// Another replica with the same key starts and signs alike.
	again := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_KEY_ENCRYPTION_KEY": "correct horse battery staple"}})
	if _, ok := again.Certs.KeySet(apptest.Context(t), row.ID)[row.ID]; !ok {
		t.Fatal("second replica does not know the key")
	}
	cfg := apptest.Config(t, map[string]string{"SKILLGATE_KEY_ENCRYPTION_KEY": "a different secret entirely"})
	if _, err := wire.Build(apptest.Context(t), cfg, db, apptest.Log(), wire.Options{}); err == nil {
		t.Fatal("started with the wrong key encryption key")
	}
}
