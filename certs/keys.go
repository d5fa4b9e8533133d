// Package certs owns certificates: Ed25519 signing keys, Open Badges 3.0
// credentials signed as compact JWS, Bitstring Status Lists, verification
// online, in bulk and offline, revocation, and the page and PDF a worker
// shows. It imports app/web, app/dbx and app/secrets only; the holder's
// name and the course come through the Holders and Courses interfaces.
package certs

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// Key is a certificate signing key.
type Key struct {
	ID        string // the RFC 7638 thumbprint
	Public    ed25519.PublicKey
	Private   ed25519.PrivateKey // nil when only verifying
	CreatedAt time.Time
	Current   bool
}

// Thumbprint is the RFC 7638 JWK thumbprint of an Ed25519 public key: the
// SHA-256 of the required members in lexicographic order, base64url.
func Thumbprint(pub ed25519.PublicKey) string {
	canonical := `{"crv":"Ed25519","kty":"OKP","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// JWK is a public key as published in the JWKS.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKS is a JSON Web Key Set.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// PublicJWK renders a key for the JWKS.
func PublicJWK(k Key) JWK {
	return JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k.Public), Kid: k.ID, Alg: "EdDSA", Use: "sig"}
}

// KeySet finds verification keys by kid.
type KeySet map[string]ed25519.PublicKey

// ParseJWKS reads a JWKS document (as served, or as exported for offline
// use), keeping the Ed25519 keys whose kid matches their thumbprint.
func ParseJWKS(raw []byte) (KeySet, error) {
	var doc JWKS
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("certs: JWKS is not JSON: %w", err)
	}
	set := KeySet{}
	for _, k := range doc.Keys {
		if k.Kty != "OKP" || k.Crv != "Ed25519" {
			continue
		}
		x, err := base64.RawURLEncoding.DecodeString(k.X)
		if err != nil || len(x) != ed25519.PublicKeySize {
			continue
		}
		if Thumbprint(x) != k.Kid {
			continue // a kid that does not name its key is not trusted
		}
		set[k.Kid] = ed25519.PublicKey(x)
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("certs: the JWKS has no usable Ed25519 key")
	}
	return set, nil
}
