package certs_test

import (
	"bytes"
	"crypto/ed25519"
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
	k, _ := e.Certs.KeySet(apptest.Context(t), row.ID)[row.ID].(ed25519.PublicKey)
	if len(k) == 0 || bytes.Contains(row.PrivateKey, k) {
		t.Fatal("public key found inside the sealed value")
	}
	// The ES256 key is sealed the same way.
	var ec struct{ PrivateKey []byte }
	if err := db.Table("signing_keys_es256").Where("current = ?", true).Take(&ec).Error; err != nil {
		t.Fatal(err)
	}
	if ec.PrivateKey[0] != 1 || len(ec.PrivateKey) < 60 || bytes.Contains(ec.PrivateKey, []byte{0x30}) && bytes.HasPrefix(ec.PrivateKey, []byte{0x30}) {
		t.Fatalf("ES256 private key not sealed: %x", ec.PrivateKey)
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
