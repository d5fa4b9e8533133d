package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AccessTokenType is the JOSE typ of access tokens (RFC 9068); certificates
// never carry it, so neither kind of token passes for the other.
const AccessTokenType = "at+jwt"

// Audience is the aud of every access token.
const Audience = "skillgate-api"

// accessLeeway is the clock skew tolerated on exp, nbf and iat.
const accessLeeway = 30 * time.Second

// accessClaims are the claims of an access token.
type accessClaims struct {
	jwt.RegisteredClaims
	ClientID string `json:"client_id"`
	Role     string `json:"role"`
	Version  int64  `json:"ver"`
	// SessionID names the refresh-token family the token was issued in, so
	// that a request can tell a session begun with a sign-in card.
	SessionID string `json:"sid,omitempty"`
}

// tokenSigner makes and checks access tokens with an HMAC secret shared by
// every replica through the database; certificates use other keys entirely.
type tokenSigner struct {
	kid    string
	secret []byte
	issuer string
	ttl    time.Duration
	parser *jwt.Parser
}

func newTokenSigner(kid string, secret []byte, issuer string, ttl time.Duration, now func() time.Time) *tokenSigner {
	return &tokenSigner{
		kid: kid, secret: secret, issuer: issuer, ttl: ttl,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(Audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(accessLeeway),
			jwt.WithTimeFunc(now),
		),
	}
}

func (s *tokenSigner) sign(u User, sessionID string, now time.Time) (string, error) {
	jti, err := randomToken(16)
	if err != nil {
		return "", err
	}
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.issuer,
			Subject:   u.ID,
			Audience:  jwt.ClaimStrings{Audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        jti,
		},
		ClientID:  "skillgate",
		Role:      string(u.Role),
		Version:   u.TokenVersion,
		SessionID: sessionID,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	t.Header["typ"] = AccessTokenType
	t.Header["kid"] = s.kid
	return t.SignedString(s.secret)
}

var errBadToken = errors.New("accounts: access token is not valid")

// verify returns the claims of a valid token: parsing returned no error,
// the token is marked valid, the algorithm, issuer, audience and expiry
// checked, and the type is at+jwt.
func (s *tokenSigner) verify(raw string) (*accessClaims, error) {
	var claims accessClaims
	tok, err := s.parser.ParseWithClaims(raw, &claims, func(t *jwt.Token) (any, error) {
		if typ, _ := t.Header["typ"].(string); typ != AccessTokenType {
			return nil, fmt.Errorf("typ %q is not %s", typ, AccessTokenType)
		}
		return s.secret, nil
	})
	if err != nil || !tok.Valid || claims.Subject == "" {
		return nil, errBadToken
	}
	return &claims, nil
}

// randomToken returns n random bytes, base64url encoded.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("accounts: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken is how refresh tokens are stored: only a digest, so a leaked
// table yields no usable token.
func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
