package certs

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Contexts of an Open Badges 3.0 credential (VC Data Model 2.0 first).
var credentialContexts = []string{
	"https://www.w3.org/ns/credentials/v2",
	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
}

// Issued is everything a certificate's credential states.
type Issued struct {
	CertificateID   string
	BaseURL         string
	IssuerName      string
	HolderID        string
	HolderName      string
	CourseSlug      string
	CourseTitle     string
	CourseSummary   string
	CourseVersion   int
	CourseLanguage  string
	PassPercent     float64
	ScorePercent    float64
	IssuedAt        time.Time
	ExpiresAt       time.Time
	StatusListID    string
	StatusListIndex int
	Publisher       Publisher
}

// CredentialID is the credential's id: the public verification page,
// ending with the certificate id.
func CredentialID(baseURL, certID string) string { return baseURL + "/verify/" + certID }

// IssuerURL is the issuer profile's id: a URL that answers with the
// profile (JSON, or a page for a browser).
func IssuerURL(baseURL string) string { return baseURL + "/issuer" }

// AchievementURL is an achievement's id: one per published version of a
// course, a URL that answers with the achievement.
func AchievementURL(baseURL, slug string, version int) string {
	return baseURL + "/achievements/" + slug + "/v" + strconv.Itoa(version)
}

// IssuerProfile is the Open Badges 3.0 Profile of the platform, which
// signs every credential.
func IssuerProfile(baseURL, name string) map[string]any {
	return map[string]any{
		"id":   IssuerURL(baseURL),
		"type": []string{"Profile"},
		"name": name,
		"url":  baseURL,
	}
}

// Achievement is the Open Badges 3.0 Achievement of a course version: what
// it certifies, how it is earned, and who created it (the publisher, with
// whether the platform endorsed the course, since any trainer may title a
// course like an official one).
func Achievement(baseURL, issuerName string, c CourseInfo) map[string]any {
	criteria := fmt.Sprintf("Completed every lesson of %s (version %d) and passed its final assessment, graded on the server", c.Title, c.Version)
	if c.PassPercent > 0 {
		criteria += fmt.Sprintf(", with at least %s%%", trimFloat(c.PassPercent))
	}
	criteria += "."
	creator := IssuerProfile(baseURL, issuerName)
	if !c.Publisher.BuiltIn {
		creator = map[string]any{"id": "urn:uuid:" + c.Publisher.OwnerID, "type": []string{"Profile"}, "name": c.Publisher.Label()}
		if c.Publisher.OwnerID == "" {
			creator["id"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
		}
	}
	desc := c.Summary
	if c.Publisher.Endorsed {
		creator["description"] = "Course endorsed by " + issuerName + " for its catalogue."
	} else {
		creator["description"] = "Course published by " + c.Publisher.Label() + "; not endorsed by " + issuerName + "."
	}
	return map[string]any{
		"id":              AchievementURL(baseURL, c.Slug, c.Version),
		"type":            []string{"Achievement"},
		"name":            c.Title,
		"description":     desc,
		"achievementType": "Certification",
		"criteria":        map[string]any{"narrative": criteria},
		"creator":         creator,
		"inLanguage":      c.Language,
		"version":         strconv.Itoa(c.Version),
	}
}

// StatusListURL is where a status list credential is served.
func StatusListURL(baseURL, listID string) string { return baseURL + "/api/v1/status-lists/" + listID }

// HolderURN names a holder in credentialSubject.id.
func HolderURN(holderID string) string { return "urn:uuid:" + holderID }

// Claims builds the JWT claims: an Open Badges 3.0 AchievementCredential
// (W3C VC Data Model 2.0, as VC-JOSE-COSE secures it: the credential is the
// payload itself, no vc claim) plus the registered claims that the OB 3.0
// JWT proof format requires.
func (c Issued) Claims() jwt.MapClaims {
	credID := CredentialID(c.BaseURL, c.CertificateID)
	listURL := StatusListURL(c.BaseURL, c.StatusListID)
	index := strconv.Itoa(c.StatusListIndex)
	return jwt.MapClaims{
		"@context":   credentialContexts,
		"id":         credID,
		"type":       []string{"VerifiableCredential", "OpenBadgeCredential"},
		"name":       c.CourseTitle,
		"issuer":     IssuerProfile(c.BaseURL, c.IssuerName),
		"validFrom":  c.IssuedAt.UTC().Format(time.RFC3339),
		"validUntil": c.ExpiresAt.UTC().Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"id":   HolderURN(c.HolderID),
			"type": []string{"AchievementSubject"},
			"name": c.HolderName,
			"achievement": Achievement(c.BaseURL, c.IssuerName, CourseInfo{Slug: c.CourseSlug, Title: c.CourseTitle, Summary: c.CourseSummary,
				Language: c.CourseLanguage, Version: c.CourseVersion, PassPercent: c.PassPercent, Publisher: c.Publisher}),
			"result": []map[string]any{{
				"type":  []string{"Result"},
				"value": trimFloat(c.ScorePercent),
			}},
		},
		"credentialStatus": map[string]any{
			"id":                   listURL + "#" + index,
			"type":                 "BitstringStatusListEntry",
			"statusPurpose":        "revocation",
			"statusListIndex":      index,
			"statusListCredential": listURL,
		},
		"iss": IssuerURL(c.BaseURL),
		"sub": HolderURN(c.HolderID),
		"jti": credID,
		"nbf": c.IssuedAt.Unix(),
		"iat": c.IssuedAt.Unix(),
		"exp": c.ExpiresAt.Unix(),
	}
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Sign makes the compact JWS of claims: header {alg: EdDSA, kid} and
// nothing else (no typ, jku, x5u or jwk); kid is the key's URI when it
// has one.
func Sign(claims jwt.Claims, k Key) (string, error) {
	if k.Alg == AlgES256 {
		if k.ECPrivate == nil {
			return "", errors.New("certs: key has no private half")
		}
		t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
		t.Header = map[string]any{"alg": AlgES256, "kid": k.Kid()}
		return t.SignedString(k.ECPrivate)
	}
	if k.Private == nil {
		return "", errors.New("certs: key has no private half")
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header = map[string]any{"alg": "EdDSA", "kid": k.Kid()}
	return t.SignedString(k.Private)
}

// Reason says why a token is not valid.
type Reason string

// The reasons a verification gives.
const (
	ReasonMalformed    Reason = "malformed"
	ReasonBadSignature Reason = "bad_signature"
	ReasonUnknownKey   Reason = "unknown_key"
	ReasonExpired      Reason = "expired"
	ReasonNotYetValid  Reason = "not_yet_valid"
	ReasonRevoked      Reason = "revoked"
	ReasonUnknown      Reason = "unknown_certificate"
	ReasonStatus       Reason = "status_unknown"
)

// TokenClaims are the parts of a verified credential that verification
// reads.
type TokenClaims struct {
	CertificateID   string
	CredentialID    string
	HolderName      string
	CourseTitle     string
	ScorePercent    string
	IssuedAt        time.Time
	ExpiresAt       time.Time
	StatusListURL   string
	StatusListIndex int
	Raw             jwt.MapClaims
}

const verifyLeeway = 30 * time.Second

// maxTokenBytes bounds what a verifier will parse.
const maxTokenBytes = 64 << 10

// VerifyToken checks a certificate token with nothing but the keys and the
// clock: the structure, the algorithm (EdDSA only), the key, the
// signature, the credential's shape, then its validity dates. EdDSA and
// ES256 are accepted, each only with a key of its own type. It is what
// both the service and the offline CLI run.
func VerifyToken(token string, keys KeySet, now time.Time) (*TokenClaims, Reason) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > maxTokenBytes || strings.Count(token, ".") != 2 {
		return nil, ReasonMalformed
	}
	var claims jwt.MapClaims
	parser := jwt.NewParser(jwt.WithoutClaimsValidation())
	tok, err := parser.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		k, ok := keys[kid]
		if !ok {
			if a := t.Method.Alg(); a != AlgEdDSA && a != AlgES256 {
				return nil, errBadAlg
			}
			return nil, errUnknownKey
		}
		// The algorithm must be the key's own: EdDSA with an Ed25519 key,
		// ES256 with a P-256 key; anything else (none, HS256, a swap) fails.
		switch pub := k.(type) {
		case ed25519.PublicKey:
			if t.Method.Alg() == AlgEdDSA {
				return pub, nil
			}
		case *ecdsa.PublicKey:
			if t.Method.Alg() == AlgES256 && pub.Curve == elliptic.P256() {
				return pub, nil
			}
		}
		return nil, errBadAlg
	})
	switch {
	case errors.Is(err, errUnknownKey):
		return nil, ReasonUnknownKey
	case errors.Is(err, errBadAlg), errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return nil, ReasonBadSignature
	case err != nil || tok == nil || !tok.Valid:
		if errors.Is(err, jwt.ErrTokenMalformed) {
			return nil, ReasonMalformed
		}
		return nil, ReasonBadSignature
	}
	if _, hasTyp := tok.Header["typ"]; hasTyp {
		return nil, ReasonMalformed // access tokens (at+jwt) are never certificates
	}
	tc, ok := readClaims(claims)
	if !ok {
		return nil, ReasonMalformed
	}
	return tc, tc.dates(now)
}

// dates is why a token whose signature and shape check out is not valid
// at now ("" when it is).
func (tc *TokenClaims) dates(now time.Time) Reason {
	if now.Add(verifyLeeway).Before(tc.IssuedAt) {
		return ReasonNotYetValid
	}
	if !now.Add(-verifyLeeway).Before(tc.ExpiresAt) {
		return ReasonExpired
	}
	return ""
}

var (
	errBadAlg     = errors.New("certs: algorithm not allowed")
	errUnknownKey = errors.New("certs: unknown key")
)

// readClaims checks the credential's shape and pulls out what
// verification needs.
func readClaims(c jwt.MapClaims) (*TokenClaims, bool) {
	types, _ := c["type"].([]any)
	if !containsString(types, "VerifiableCredential") || !containsString(types, "OpenBadgeCredential") {
		return nil, false
	}
	jti, _ := c["jti"].(string)
	id, _ := c["id"].(string)
	if jti == "" || jti != id {
		return nil, false
	}
	nbf, err1 := c.GetNotBefore()
	exp, err2 := c.GetExpirationTime()
	if err1 != nil || err2 != nil || nbf == nil || exp == nil {
		return nil, false
	}
	tc := &TokenClaims{CredentialID: id, IssuedAt: nbf.Time, ExpiresAt: exp.Time, Raw: c}
	tc.CertificateID = id[strings.LastIndex(id, "/")+1:]
	if subj, ok := c["credentialSubject"].(map[string]any); ok {
		tc.HolderName, _ = subj["name"].(string)
		if ach, ok := subj["achievement"].(map[string]any); ok {
			tc.CourseTitle, _ = ach["name"].(string)
		}
		if res, ok := subj["result"].([]any); ok && len(res) > 0 {
			if r, ok := res[0].(map[string]any); ok {
				tc.ScorePercent, _ = r["value"].(string)
			}
		}
	}
	if st, ok := c["credentialStatus"].(map[string]any); ok {
		tc.StatusListURL, _ = st["statusListCredential"].(string)
		idx, _ := st["statusListIndex"].(string)
		n, err := strconv.Atoi(idx)
		if err != nil || n < 0 {
			return nil, false
		}
		tc.StatusListIndex = n
	}
	return tc, true
}

func containsString(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// GenerateKey makes a new Ed25519 signing key.
func GenerateKey(now time.Time) (Key, error) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return Key{}, fmt.Errorf("certs: generate key: %w", err)
	}
	return Key{ID: Thumbprint(pub), Public: pub, Private: priv, CreatedAt: now}, nil
}

// peekKid reads the kid of a compact JWS header without trusting it.
func peekKid(token string) string {
	head, _, ok := strings.Cut(strings.TrimSpace(token), ".")
	if !ok || len(head) > 1024 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if json.Unmarshal(raw, &h) != nil {
		return ""
	}
	return h.Kid
}

// mapClaims turns a decoded payload back into claims to sign.
func mapClaims(m map[string]any) jwt.MapClaims { return jwt.MapClaims(m) }

// decodePayload reads a compact JWS payload without checking it (for
// display of a token this service just signed).
func decodePayload(token string) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("certs: not a compact JWS")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(raw, &m)
}
