package certs

import (
	"crypto/rand"
	"strings"
)

// codeAlphabet is Crockford's base32: no I, L, O or U, so a code read out
// over a phone or copied by hand survives look-alike letters.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCode returns a human code of 50 random bits: SG-XXXXX-XXXXX.
func NewCode() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := []byte("SG-")
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, codeAlphabet[c&31])
	}
	return string(out), nil
}

// NormalizeCode reads a code as a person may have typed it: any case,
// spaces or hyphens anywhere, O for 0 and I or L for 1. It reports false
// for anything that is not a code.
func NormalizeCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	s = strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1").Replace(s)
	if !strings.HasPrefix(s, "SG") || len(s) != 12 {
		return "", false
	}
	body := s[2:]
	for _, r := range body {
		if !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
	}
	return "SG-" + body[:5] + "-" + body[5:], true
}
