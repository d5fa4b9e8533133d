package certs

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// OfflineResult is what an offline check concludes.
type OfflineResult struct {
	Valid       bool
	Reason      Reason
	Detail      string
	Claims      *TokenClaims
	StatusCheck bool // a status list was consulted
}

// VerifyOffline checks a certificate token with nothing but an exported
// JWKS and, optionally, a status list file (the compact JWS, or the JSON
// {credential, token} the API serves). A status list older than its ttl
// gives status unknown, never valid.
func VerifyOffline(token string, jwks, statusList []byte, now time.Time) OfflineResult {
	keys, err := ParseJWKS(jwks)
	if err != nil {
		return OfflineResult{Reason: ReasonUnknownKey, Detail: err.Error()}
	}
	tc, reason := VerifyToken(token, keys, now)
	if tc == nil || reason != "" {
		return OfflineResult{Reason: reason, Claims: tc, Detail: describe(reason)}
	}
	res := OfflineResult{Valid: true, Claims: tc, Detail: "signature, issuer key and dates check out; revocation not checked (no status list given)"}
	if statusList == nil {
		return res
	}
	res.StatusCheck = true
	list, err := VerifyStatusList(statusListToken(statusList), keys, now)
	if err != nil {
		return OfflineResult{Reason: ReasonStatus, Claims: tc, Detail: "status unknown: " + err.Error(), StatusCheck: true}
	}
	if list.URL != tc.StatusListURL {
		return OfflineResult{Reason: ReasonStatus, Claims: tc, StatusCheck: true,
			Detail: fmt.Sprintf("status unknown: the certificate's status is in %s, not in the list given (%s)", tc.StatusListURL, list.URL)}
	}
	if now.After(list.ExpiresAt) {
		return OfflineResult{Reason: ReasonStatus, Claims: tc, StatusCheck: true,
			Detail: fmt.Sprintf("status unknown: the status list is older than its ttl (issued %s, stale since %s); fetch a fresh one",
				list.IssuedAt.UTC().Format(time.RFC3339), list.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	revoked, err := BitSet(list.Bits, tc.StatusListIndex)
	if err != nil {
		return OfflineResult{Reason: ReasonStatus, Claims: tc, StatusCheck: true, Detail: "status unknown: " + err.Error()}
	}
	if revoked {
		return OfflineResult{Reason: ReasonRevoked, Claims: tc, StatusCheck: true, Detail: describe(ReasonRevoked)}
	}
	res.Detail = "signature, issuer key, dates and revocation status check out"
	return res
}

// statusListToken accepts the compact JWS or the API's JSON form.
func statusListToken(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, "{") {
		var doc struct {
			Token string `json:"token"`
		}
		if json.Unmarshal([]byte(s), &doc) == nil {
			return doc.Token
		}
	}
	return s
}

func describe(r Reason) string {
	switch r {
	case ReasonMalformed:
		return "the token is not a Skillgate certificate (malformed)"
	case ReasonBadSignature:
		return "the signature does not match: the token was altered or forged"
	case ReasonUnknownKey:
		return "the token names a key that is not in the JWKS"
	case ReasonExpired:
		return "the certificate has expired"
	case ReasonNotYetValid:
		return "the certificate is not valid yet"
	case ReasonRevoked:
		return "the certificate has been revoked"
	}
	return string(r)
}
