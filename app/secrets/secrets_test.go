package secrets_test

import (
	"bytes"
	"errors"
	"testing"

	"skillgate/app/secrets"
)

func TestSealAndOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	box, err := secrets.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal([]byte("signing key"), []byte("kid-1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("signing key")) {
		t.Fatal("plaintext visible in the sealed value")
	}
	got, err := box.Open(sealed, []byte("kid-1"))
	if err != nil || string(got) != "signing key" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := box.Open(sealed, []byte("kid-2")); err == nil {
		t.Fatal("opened with another row's associated data")
	}
	other, _ := secrets.NewBox(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(sealed, []byte("kid-1")); err == nil {
		t.Fatal("opened with the wrong key")
	}
	plain, _ := secrets.NewBox(nil)
	if _, err := plain.Open(sealed, []byte("kid-1")); !errors.Is(err, secrets.ErrNoKey) {
		t.Fatalf("without a key: %v", err)
	}
	// Values stored before encryption was turned on still open.
	old, _ := plain.Seal([]byte("old"), nil)
	if got, err := box.Open(old, nil); err != nil || string(got) != "old" {
		t.Fatalf("legacy plain value: %q %v", got, err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	if _, err := box.Open(tampered, []byte("kid-1")); err == nil {
		t.Fatal("tampered value opened")
	}
}
