package certs

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// ES256 is offered next to EdDSA for verifiers whose JOSE library lacks
// Ed25519: every certificate answer carries token_es256, the same
// credential signed with a P-256 key of its own (published in the same
// JWKS, kid a URI like the Ed25519 key's). The contract's token stays
// EdDSA; both verify everywhere (online, offline, any JOSE library).

// The algorithms certificates are signed with.
const (
	AlgEdDSA = "EdDSA"
	AlgES256 = "ES256"
)

// ECThumbprint is the RFC 7638 thumbprint of a P-256 public key.
func ECThumbprint(pub *ecdsa.PublicKey) string {
	x, y := ecCoordinates(pub)
	canonical := `{"crv":"P-256","kty":"EC","x":"` + x + `","y":"` + y + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// ecCoordinates are x and y, 32 bytes each, base64url.
func ecCoordinates(pub *ecdsa.PublicKey) (string, string) {
	raw, _ := pub.Bytes() // 0x04 || X || Y
	return base64.RawURLEncoding.EncodeToString(raw[1:33]), base64.RawURLEncoding.EncodeToString(raw[33:65])
}

// GenerateECKey makes a new P-256 signing key.
func GenerateECKey(now time.Time) (Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Key{}, fmt.Errorf("certs: generate ES256 key: %w", err)
	}
	return Key{ID: ECThumbprint(&priv.PublicKey), Alg: AlgES256, ECPrivate: priv, ECPublic: &priv.PublicKey, CreatedAt: now}, nil
}

// parseECPublic reads a P-256 public key from its JWK coordinates.
func parseECPublic(x, y string) (*ecdsa.PublicKey, error) {
	xb, err1 := base64.RawURLEncoding.DecodeString(x)
	yb, err2 := base64.RawURLEncoding.DecodeString(y)
	if err1 != nil || err2 != nil || len(xb) != 32 || len(yb) != 32 {
		return nil, errors.New("certs: bad P-256 coordinates")
	}
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, xb...), yb...))
}

// loadECKeys reads the P-256 keys into keys and set; it returns the
// current one's id.
func (s *Service) loadECKeys(ctx context.Context, keys map[string]Key, set KeySet) (string, error) {
	rows, err := s.store.ECKeys(ctx)
	if err != nil {
		return "", fmt.Errorf("certs: load ES256 keys: %w", err)
	}
	current := ""
	for _, r := range rows {
		pub, err := x509.ParsePKIXPublicKey(r.PublicKey)
		ecPub, ok := pub.(*ecdsa.PublicKey)
		if err != nil || !ok {
			return "", fmt.Errorf("certs: ES256 key %s: not a P-256 public key", r.ID)
		}
		k := Key{ID: r.ID, URI: KeyURI(s.opt.BaseURL, r.ID), Alg: AlgES256, ECPublic: ecPub, CreatedAt: r.CreatedAt, Current: r.Current}
		if r.Current {
			der, err := s.opt.Box.Open(r.PrivateKey, []byte(r.ID))
			if err != nil {
				return "", fmt.Errorf("certs: open ES256 key %s: %w", r.ID, err)
			}
			if k.ECPrivate, err = x509.ParseECPrivateKey(der); err != nil {
				return "", fmt.Errorf("certs: ES256 key %s: %w", r.ID, err)
			}
			current = r.ID
		}
		keys[r.ID] = k
		set.add(k)
	}
	return current, nil
}

// RotateECKey makes a new P-256 key current; older ones keep verifying.
func (s *Service) RotateECKey(ctx context.Context) (Key, error) {
	k, err := GenerateECKey(s.opt.Now())
	if err != nil {
		return Key{}, err
	}
	der, err := x509.MarshalECPrivateKey(k.ECPrivate)
	if err != nil {
		return Key{}, err
	}
	sealed, err := s.opt.Box.Seal(der, []byte(k.ID))
	if err != nil {
		return Key{}, err
	}
	pub, err := x509.MarshalPKIXPublicKey(k.ECPublic)
	if err != nil {
		return Key{}, err
	}
	return s.makeCurrent(ctx, k, func(ctx context.Context) error {
		return s.store.InsertECKey(ctx, ecKeyRow{ID: k.ID, PublicKey: pub, PrivateKey: sealed, Current: true, CreatedAt: k.CreatedAt})
	})
}

// firstECKey makes the first P-256 key unless another replica has (one
// key, whoever is first), on first start and on databases made before
// ES256 was offered.
func (s *Service) firstECKey(ctx context.Context) error {
	return firstOf(ctx, s, s.store.ECKeys, s.RotateECKey)
}

// tokenES256 signs a certificate's credential (the payload of its EdDSA
// token) with the current P-256 key.
func (s *Service) tokenES256(ctx context.Context, c Certificate) (string, error) {
	if c.Token == "" {
		return "", nil
	}
	claims, err := decodePayload(c.Token)
	if err != nil {
		return "", fmt.Errorf("certs: token of %s: %w", c.ID, err)
	}
	s.mu.RLock()
	k := s.keys[s.ecCurrent]
	s.mu.RUnlock()
	if k.ECPrivate == nil {
		_ = s.loadKeys(ctx)
		s.mu.RLock()
		k = s.keys[s.ecCurrent]
		s.mu.RUnlock()
	}
	return Sign(mapClaims(claims), k)
}
