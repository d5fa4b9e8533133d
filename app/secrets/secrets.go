// Package secrets seals small secrets (signing keys, token secrets) for
// storage in the database with AES-256-GCM when an encryption key is
// configured. Without one, values are stored as they are and marked so, so
// that turning encryption on later still reads old rows.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

const (
	plainPrefix  = byte(0)
	sealedPrefix = byte(1)
)

// ErrNoKey is returned when a sealed value is opened without a key.
var ErrNoKey = errors.New("secrets: value is encrypted but SKILLGATE_KEY_ENCRYPTION_KEY is not set")

// Box seals and opens values with an optional 32-byte key.
type Box struct {
	aead cipher.AEAD
}

// NewBox returns a Box; a nil key stores values unencrypted.
func NewBox(key []byte) (*Box, error) {
	if key == nil {
		return &Box{}, nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Encrypted reports whether new values are sealed.
func (b *Box) Encrypted() bool { return b.aead != nil }

// Seal protects plaintext; aad binds it to its row (for example a key id),
// so a sealed value copied to another row does not open.
func (b *Box) Seal(plaintext, aad []byte) ([]byte, error) {
	if b.aead == nil {
		return append([]byte{plainPrefix}, plaintext...), nil
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("secrets: nonce: %w", err)
	}
	out := append([]byte{sealedPrefix}, nonce...)
	return b.aead.Seal(out, nonce, plaintext, aad), nil
}

// Open reverses Seal.
func (b *Box) Open(stored, aad []byte) ([]byte, error) {
	if len(stored) == 0 {
		return nil, errors.New("secrets: empty value")
	}
	switch stored[0] {
	case plainPrefix:
		return append([]byte(nil), stored[1:]...), nil
	case sealedPrefix:
		if b.aead == nil {
			return nil, ErrNoKey
		}
		rest := stored[1:]
		if len(rest) < b.aead.NonceSize() {
			return nil, errors.New("secrets: value too short")
		}
		pt, err := b.aead.Open(nil, rest[:b.aead.NonceSize()], rest[b.aead.NonceSize():], aad)
		if err != nil {
			return nil, errors.New("secrets: cannot decrypt (wrong SKILLGATE_KEY_ENCRYPTION_KEY?)")
		}
		return pt, nil
	}
	return nil, errors.New("secrets: unknown format")
}
