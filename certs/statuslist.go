package certs

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// StatusListBits is the size of every status list: the specification's
// minimum of 131,072 entries (16 KiB), one bit per certificate, for group
// privacy.
const StatusListBits = 131072

// StatusListTTL is how long a status list may be relied on after it was
// signed: an offline verifier carrying an exported list must fetch a new
// one within a day, after which the list says "status unknown".
const StatusListTTL = 24 * time.Hour

// StatusListMaxAge is how long HTTP caches may keep a served list, so that
// online verifiers see a revocation within minutes.
const StatusListMaxAge = 5 * time.Minute

// EncodeStatusList sets the bits of the given indexes in a bitstring of
// size bits (index 0 is the left-most, most significant bit of the first
// byte), GZIP-compresses it and encodes it as multibase base64url ("u",
// no padding), as Bitstring Status List v1.0 specifies.
func EncodeStatusList(size int, set []int) (string, error) {
	bits := make([]byte, (size+7)/8)
	for _, i := range set {
		if i < 0 || i >= size {
			return "", fmt.Errorf("certs: status index %d outside a list of %d", i, size)
		}
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(bits); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// maxStatusListBytes bounds a decompressed list (a hostile file cannot
// inflate without limit).
const maxStatusListBytes = 16 << 20

// DecodeStatusList reverses EncodeStatusList.
func DecodeStatusList(encoded string) ([]byte, error) {
	if len(encoded) < 2 || encoded[0] != 'u' {
		return nil, errors.New("certs: encodedList must be multibase base64url (start with u)")
	}
	raw, err := base64.RawURLEncoding.DecodeString(encoded[1:])
	if err != nil {
		return nil, fmt.Errorf("certs: encodedList is not base64url: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("certs: encodedList is not GZIP: %w", err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, maxStatusListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("certs: encodedList: %w", err)
	}
	if len(bits) > maxStatusListBytes {
		return nil, errors.New("certs: encodedList is too large")
	}
	return bits, nil
}

// BitSet reports the status bit at index of a decoded list.
func BitSet(bits []byte, index int) (bool, error) {
	if index < 0 || index/8 >= len(bits) {
		return false, fmt.Errorf("certs: status index %d outside the list", index)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}

// StatusListClaims builds the BitstringStatusListCredential for a list.
func StatusListClaims(baseURL, listID, encoded string, now time.Time) jwt.MapClaims {
	url := StatusListURL(baseURL, listID)
	return jwt.MapClaims{
		"@context":   []string{"https://www.w3.org/ns/credentials/v2"},
		"id":         url,
		"type":       []string{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":     IssuerURL(baseURL),
		"validFrom":  now.UTC().Format(time.RFC3339),
		"validUntil": now.Add(StatusListTTL).UTC().Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"id":            url + "#list",
			"type":          "BitstringStatusList",
			"statusPurpose": "revocation",
			"encodedList":   encoded,
			"ttl":           StatusListTTL.Milliseconds(),
		},
		"iss": IssuerURL(baseURL),
		"jti": url,
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(StatusListTTL).Unix(),
	}
}

// StatusList is a verified status list.
type StatusList struct {
	URL       string
	Bits      []byte
	IssuedAt  time.Time
	ExpiresAt time.Time // issued + ttl: after it the list says nothing
}

// VerifyStatusList checks a signed status list credential (compact JWS)
// with the keys and decodes it. An expired list is returned with
// ReasonStatus: a verifier must then say "status unknown", never "valid".
func VerifyStatusList(token string, keys KeySet, now time.Time) (*StatusList, error) {
	var claims jwt.MapClaims
	tok, err := jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithValidMethods([]string{"EdDSA"})).
		ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
			kid, _ := t.Header["kid"].(string)
			if k, ok := keys[kid].(ed25519.PublicKey); ok {
				return k, nil
			}
			return nil, errUnknownKey
		})
	if err != nil || !tok.Valid {
		return nil, fmt.Errorf("certs: status list signature: %w", err)
	}
	types, _ := claims["type"].([]any)
	subj, _ := claims["credentialSubject"].(map[string]any)
	if !containsString(types, "BitstringStatusListCredential") || subj == nil {
		return nil, errors.New("certs: not a BitstringStatusListCredential")
	}
	enc, _ := subj["encodedList"].(string)
	bits, err := DecodeStatusList(enc)
	if err != nil {
		return nil, err
	}
	if len(bits)*8 < StatusListBits {
		return nil, errors.New("certs: status list shorter than 131,072 entries")
	}
	iat, err1 := claims.GetIssuedAt()
	exp, err2 := claims.GetExpirationTime()
	if err1 != nil || err2 != nil || iat == nil || exp == nil {
		return nil, errors.New("certs: status list has no issue or expiry time")
	}
	ttl, _ := subj["ttl"].(float64)
	expires := exp.Time
	if ttl > 0 && iat.Add(time.Duration(ttl)*time.Millisecond).Before(expires) {
		expires = iat.Add(time.Duration(ttl) * time.Millisecond)
	}
	id, _ := claims["id"].(string)
	return &StatusList{URL: id, Bits: bits, IssuedAt: iat.Time, ExpiresAt: expires}, nil
}
