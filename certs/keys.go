// Package certs owns certificates: Ed25519 signing keys, Open Badges 3.0
// credentials signed as compact JWS, Bitstring Status Lists, verification
// online, in bulk and offline, revocation, and the page and PDF a worker
// shows. It imports app/web, app/dbx and app/secrets only; the holder's
// name and the course come through the Holders and Courses interfaces.
package certs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Key is a certificate signing key.
type Key struct {
	ID string // the RFC 7638 thumbprint
	// URI is the kid tokens carry and the JWKS publishes (v1.1): the JWKS
	// URL with the thumbprint as fragment, so that the kid dereferences to
	// the key as Open Badges 3.0 asks. Empty: the bare thumbprint.
	URI       string
	Alg       string // AlgEdDSA ("" too) or AlgES256
	Public    ed25519.PublicKey
	Private   ed25519.PrivateKey // nil when only verifying
	ECPublic  *ecdsa.PublicKey   // the P-256 halves of an ES256 key
	ECPrivate *ecdsa.PrivateKey
	CreatedAt time.Time
	Current   bool
}

// JWKSPath is where the public keys are served.
const JWKSPath = "/.well-known/jwks.json"

// KeyURI is the kid of a key: {baseURL}/.well-known/jwks.json#{thumbprint}.
func KeyURI(baseURL, thumbprint string) string { return baseURL + JWKSPath + "#" + thumbprint }

// Kid is the key id tokens carry and the JWKS names.
func (k Key) Kid() string {
	if k.URI != "" {
		return k.URI
	}
	return k.ID
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
	Y   string `json:"y,omitempty"`
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
	if k.Alg == AlgES256 {
		x, y := ecCoordinates(k.ECPublic)
		return JWK{Kty: "EC", Crv: "P-256", X: x, Y: y, Kid: k.Kid(), Alg: AlgES256, Use: "sig"}
	}
	return JWK{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k.Public), Kid: k.Kid(), Alg: "EdDSA", Use: "sig"}
}

// KeySet finds verification keys by kid. Every key is indexed under its
// bare thumbprint (the kid of tokens signed before v1.1) and under its
// URI kid; a kid naming another host's JWKS matches nothing.
type KeySet map[string]crypto.PublicKey

// add indexes a key under both of its kids.
func (s KeySet) add(k Key) {
	var pub crypto.PublicKey = k.Public
	if k.Alg == AlgES256 {
		pub = k.ECPublic
	}
	s[k.ID] = pub
	if k.URI != "" {
		s[k.URI] = pub
	}
}

// ParseJWKS reads a JWKS document (as served, or as exported for offline
// use), keeping the Ed25519 keys whose kid is their thumbprint, bare or as
// the fragment of a URI.
func ParseJWKS(raw []byte) (KeySet, error) {
	var doc JWKS
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("certs: JWKS is not JSON: %w", err)
	}
	set := KeySet{}
	for _, k := range doc.Keys {
		var key Key
		switch {
		case k.Kty == "OKP" && k.Crv == "Ed25519":
			x, err := base64.RawURLEncoding.DecodeString(k.X)
			if err != nil || len(x) != ed25519.PublicKeySize {
				continue
			}
			key = Key{ID: Thumbprint(x), Public: ed25519.PublicKey(x)}
		case k.Kty == "EC" && k.Crv == "P-256":
			pub, err := parseECPublic(k.X, k.Y)
			if err != nil {
				continue
			}
			key = Key{ID: ECThumbprint(pub), Alg: AlgES256, ECPublic: pub}
		default:
			continue
		}
		tp := key.ID
		switch {
		case k.Kid == tp:
		case strings.HasSuffix(k.Kid, "#"+tp):
			key.URI = k.Kid
		default:
			continue // a kid that does not name its key is not trusted
		}
		set.add(key)
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("certs: the JWKS has no usable Ed25519 or P-256 key")
	}
	return set, nil
}
