package accounts

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"

	"skillgate/app/web"
)

// Argon2id parameters: OWASP's Password Storage Cheat Sheet recommends
// m=19 MiB, t=2, p=1 as the baseline configuration.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// HashCost is the argon2id work new password hashes are made with. The zero
// value is OWASP's baseline, which the service always uses; tests that
// create hundreds of accounts pass a cheap cost through wire.Options, never
// through configuration. Verification reads the cost from each stored hash,
// so hashes made at any cost keep verifying.
type HashCost struct {
	MemoryKiB uint32
	Passes    uint32
}

func (c HashCost) orDefault() HashCost {
	if c.MemoryKiB == 0 || c.Passes == 0 {
		return HashCost{MemoryKiB: argonMemoryKiB, Passes: argonTime}
	}
	return c
}

// MinPasswordLength and MaxPasswordLength bound what registration accepts.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
)

//go:embed common_passwords.txt
var commonPasswordsText string

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

func isCommonPassword(pw string) bool {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 10000)
		sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" {
				common[line] = struct{}{}
			}
		}
	})
	_, ok := common[strings.ToLower(pw)]
	return ok
}

// minPasswordScore is the least zxcvbn score (0 to 4) a password needs:
// 2 means an estimated million guesses or more, which the sign-in limits
// make out of reach online.
const minPasswordScore = 2

// CheckPasswordFor returns why pw, the value of field, may not be used by
// the account of email and name (whose own words a password may not
// contain), or nil when it may.
func CheckPasswordFor(field, pw, email, name string) []web.FieldError {
	bad := func(e web.FieldError) []web.FieldError { return []web.FieldError{e} }
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return bad(web.RuleNotUTF8.On(field))
	case strings.ContainsFunc(pw, isControl):
		return bad(web.ControlChars(field))
	case strings.TrimSpace(pw) == "":
		return bad(web.Blank(field))
	case n < MinPasswordLength:
		return bad(web.TooShort(field, MinPasswordLength))
	case n > MaxPasswordLength:
		return bad(web.TooLong(field, MaxPasswordLength))
	case isCommonPassword(pw):
		return bad(web.RulePasswordCommon.On(field))
	case isTrivial(pw):
		return bad(web.RulePasswordTrivial.On(field))
	}
	// The account's own words are the first an attacker tries: the whole
	// email is refused outright; the email's local part or the name only
	// when what is left without them would be weak on its own.
	lower := strings.ToLower(pw)
	var own []string
	if email = NormalizeEmail(email); email != "" {
		if strings.Contains(lower, email) {
			return bad(web.RulePasswordEmail.On(field))
		}
		local, _, _ := strings.Cut(email, "@")
		if leansOn(lower, local) {
			return bad(web.RulePasswordOnEmail.On(field))
		}
		own = append(own, email, local)
	}
	if name = strings.ToLower(strings.Join(strings.Fields(name), "")); name != "" {
		if leansOn(strings.Join(strings.Fields(lower), ""), name) {
			return bad(web.RulePasswordOnName.On(field))
		}
		own = append(own, name)
	}
	if n <= 64 { // the estimate's cost grows with length; longer passwords are not the weak ones
		if r := zxcvbn.PasswordStrength(pw, own); r.Score < minPasswordScore {
			return bad(web.RulePasswordWeak.On(field))
		}
	}
	return nil
}

// leansOn reports whether pw contains word (of three characters or more)
// and is weak once word is taken out.
func leansOn(pw, word string) bool {
	if utf8.RuneCountInString(word) < 3 || !strings.Contains(pw, word) {
		return false
	}
	rest := strings.TrimSpace(strings.ReplaceAll(pw, word, ""))
	n := utf8.RuneCountInString(rest)
	if n > 64 { // long enough; and the estimate's cost grows with length
		return false
	}
	return n < MinPasswordLength/2 || zxcvbn.PasswordStrength(rest, nil).Score < minPasswordScore+1
}

// isControl reports control characters (C0, C1) and bidirectional
// controls, none of which a person types in a password. Joiners stay
// allowed: Indic scripts need them.
func isControl(r rune) bool {
	return unicode.IsControl(r) || slices.Contains(bidiControls, r) || r == utf8.RuneError
}

// sequences are runs a password must not be made of, in either direction.
var sequences = []string{
	"abcdefghijklmnopqrstuvwxyz",
	"01234567890",
	"qwertyuiopasdfghjklzxcvbnm",
	"qwertzuiopasdfghjklyxcvbnm",
	"azertyuiopqsdfghjklmwxcvbn",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
}

// isTrivial reports a password of one repeated character, one repeated
// short pattern, or a run of a simple sequence.
func isTrivial(pw string) bool {
	lower := strings.ToLower(pw)
	rs := []rune(lower)
	for period := 1; period <= 4 && period < len(rs); period++ {
		if len(rs)%period != 0 {
			continue
		}
		repeated := true
		for i := period; i < len(rs); i++ {
			if rs[i] != rs[i-period] {
				repeated = false
				break
			}
		}
		if repeated {
			return true
		}
	}
	for _, seq := range sequences {
		if strings.Contains(seq+seq, lower) || strings.Contains(reverse(seq+seq), lower) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// bidiControls are the characters that reorder displayed text: a name
// holding them can show as something else on a certificate.
var bidiControls = []rune{
	'\u202A', '\u202B', '\u202C', '\u202D', '\u202E',
	'\u2066', '\u2067', '\u2068', '\u2069',
	'\u200E', '\u200F', '\u061C',
}

// CheckName returns why a person's name, the value of field, may not be
// used, or nil when it may: no control characters, no bidirectional
// controls.
func CheckName(field, name string) []web.FieldError {
	if !utf8.ValidString(name) {
		return []web.FieldError{web.RuleNotUTF8.On(field)}
	}
	for _, r := range name {
		if slices.Contains(bidiControls, r) {
			return []web.FieldError{web.RuleBidiControls.On(field)}
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return []web.FieldError{web.ControlChars(field)}
		}
	}
	if strings.TrimSpace(name) == "" {
		return []web.FieldError{web.Blank(field)}
	}
	return nil
}

// hasher bounds how many argon2id hashes run at once: each takes 19 MiB, and
// a class signing in together must not exhaust memory.
type hasher struct {
	slots chan struct{}
	cost  HashCost
	// verified counts password checks, so that a test can prove how many
	// guesses reached argon2.
	verified atomic.Int64
}

func newHasher(concurrency int, cost HashCost) *hasher {
	return &hasher{slots: make(chan struct{}, max(concurrency, 1)), cost: cost.orDefault()}
}

// Hash derives a PHC-formatted argon2id hash of pw with a random salt.
func (h *hasher) Hash(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("accounts: salt: %w", err)
	}
	h.slots <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, h.cost.Passes, h.cost.MemoryKiB, argonThreads, argonKeyLen)
	<-h.slots
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.cost.MemoryKiB, h.cost.Passes,
		argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, in constant time.
func (h *hasher) Verify(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("accounts: unknown password hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("accounts: unsupported argon2 version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errors.New("accounts: bad argon2 parameters")
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errors.New("accounts: bad argon2 encoding")
	}
	h.verified.Add(1)
	h.slots <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	<-h.slots
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
