package accounts

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Usernames let learners without an email sign in: 3 to 40 characters of
// a-z, 0-9, dot, underscore and dash, unique, kept in lower case.
const (
	MinUsernameLength = 3
	MaxUsernameLength = 40
)

var usernameRe = regexp.MustCompile(`^[a-z0-9._-]{3,40}$`)

// NormalizeUsername is the key under which usernames are unique.
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

// CheckUsername returns why u (already normalised) may not be a username,
// or "" when it may.
func CheckUsername(u string) string {
	if !usernameRe.MatchString(u) {
		return fmt.Sprintf("must be %d to %d characters of a-z, 0-9, dot, underscore or dash", MinUsernameLength, MaxUsernameLength)
	}
	return ""
}

// UsernameBase turns a person's name into the start of a username: Latin
// letters lose their accents, Devanagari is transliterated, everything is
// lower case and words are joined by dots ("Sītā Devī" and "सीता देवी"
// both give "sita.devi"). It leaves room for a collision suffix.
func UsernameBase(name string) string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, w := range splitWords(transliterate(name)) {
		for _, r := range norm.NFD.String(w) {
			switch {
			case unicode.Is(unicode.Mn, r):
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				cur.WriteRune(r)
			case r >= 'A' && r <= 'Z':
				cur.WriteRune(unicode.ToLower(r))
			default:
				if l := unicode.ToLower(r); l >= 'a' && l <= 'z' {
					cur.WriteRune(l)
				}
			}
		}
		flush()
	}
	base := strings.Join(words, ".")
	if len(base) > MaxUsernameLength-6 {
		base = strings.TrimRight(base[:MaxUsernameLength-6], ".")
	}
	switch {
	case base == "":
		base = "learner"
	case len(base) < MinUsernameLength:
		base += ".learner"
	}
	return base
}

func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
}

// Devanagari to Latin, in the plain spelling Hindi speakers use on phones
// (no diacritics, long vowels written short, the final inherent vowel
// dropped): राम → ram, प्रिया → priya, संजय → sanjay.
var (
	devConsonants = map[rune]string{
		'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'ङ': "n",
		'च': "ch", 'छ': "chh", 'ज': "j", 'झ': "jh", 'ञ': "n",
		'ट': "t", 'ठ': "th", 'ड': "d", 'ढ': "dh", 'ण': "n",
		'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n",
		'प': "p", 'फ': "ph", 'ब': "b", 'भ': "bh", 'म': "m",
		'य': "y", 'र': "r", 'ल': "l", 'व': "v", 'श': "sh", 'ष': "sh",
		'स': "s", 'ह': "h", 'ळ': "l",
		'\u0958': "q", '\u0959': "kh", '\u095A': "g", '\u095B': "z", '\u095C': "r", '\u095D': "rh", '\u095E': "f", '\u095F': "y",
	}
	devVowels = map[rune]string{
		'अ': "a", 'आ': "a", 'इ': "i", 'ई': "i", 'उ': "u", 'ऊ': "u", 'ऋ': "ri",
		'ए': "e", 'ऐ': "ai", 'ओ': "o", 'औ': "au", 'ऍ': "e", 'ऑ': "o",
	}
	devSigns = map[rune]string{
		'ा': "a", 'ि': "i", 'ी': "i", 'ु': "u", 'ू': "u", 'ृ': "ri",
		'े': "e", 'ै': "ai", 'ो': "o", 'ौ': "au", 'ॅ': "e", 'ॉ': "o",
	}
)

const (
	devVirama = '्'
	devNukta  = '़'
)

// transliterate rewrites the Devanagari in s in Latin letters and leaves
// everything else as it is.
func transliterate(s string) string {
	var out strings.Builder
	pending := false // a consonant's inherent a, not yet written
	letters := 0     // letters written in the current word
	flushA := func() {
		if pending {
			out.WriteByte('a')
			pending = false
		}
	}
	endWord := func() {
		// Hindi drops a word's final inherent vowel (राम is ram), except
		// in a word of one consonant (क is ka).
		if pending && letters <= 1 {
			out.WriteByte('a')
		}
		pending, letters = false, 0
	}
	for _, r := range norm.NFC.String(s) {
		if c, ok := devConsonants[r]; ok {
			flushA()
			out.WriteString(c)
			pending = true
			letters++
			continue
		}
		if v, ok := devVowels[r]; ok {
			flushA()
			out.WriteString(v)
			letters++
			continue
		}
		if v, ok := devSigns[r]; ok {
			pending = false
			out.WriteString(v)
			continue
		}
		switch {
		case r == devVirama:
			pending = false
		case r == devNukta:
		case r == 'ं' || r == 'ँ':
			flushA()
			out.WriteByte('n')
		case r == 'ः':
			flushA()
			out.WriteByte('h')
		case r >= '०' && r <= '९':
			flushA()
			out.WriteByte(byte('0' + r - '०'))
		case r >= 0x0900 && r <= 0x097F:
			// other Devanagari signs (avagraha, dandas) carry no sound
		default:
			endWord()
			out.WriteRune(r)
		}
	}
	endWord()
	return out.String()
}

// freeUsernames picks, for each base, a username not yet taken in the
// database nor by an earlier base of the same call: base, then base.2,
// base.3, ... A race with another writer ends at the unique index.
func (s *Store) freeUsernames(ctx context.Context, bases []string) ([]string, error) {
	taken := map[string]bool{}
	seen := map[string]bool{}
	for _, b := range bases {
		if seen[b] {
			continue
		}
		seen[b] = true
		var names []string
		err := s.conn(ctx).Model(&userRow{}).Where("username = ? OR username LIKE ? ESCAPE '\\'", b, likePrefix(b)+".%").
			Pluck("username", &names).Error
		if err != nil {
			return nil, fmt.Errorf("accounts: load usernames: %w", err)
		}
		for _, n := range names {
			taken[n] = true
		}
	}
	out := make([]string, len(bases))
	for i, b := range bases {
		u := b
		for n := 2; taken[u]; n++ {
			u = b + "." + strconv.Itoa(n)
		}
		taken[u] = true
		out[i] = u
	}
	return out, nil
}

// likePrefix escapes LIKE's wildcards; usernames hold only _ of them.
func likePrefix(s string) string { return strings.ReplaceAll(s, "_", "\\_") }

func usernameMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290300_usernames_and_sign_in_cards",
		Migrate: func(tx *gorm.DB) error {
			// A username for learners without email, unique where set
			// (NULLs are distinct in a unique index on both databases).
			if err := tx.Exec("ALTER TABLE users ADD COLUMN username VARCHAR(40)").Error; err != nil {
				return err
			}
			if err := tx.Exec("CREATE UNIQUE INDEX users_username_uq ON users (username)").Error; err != nil {
				return err
			}
			// Email becomes optional: a learner without one has an empty
			// email. SQLite cannot drop a NOT NULL in place, and rebuilding
			// users would cascade into every table that refers to it, so
			// the unique index becomes partial instead: many accounts may
			// have no email, no two the same one.
			if err := tx.Exec("DROP INDEX users_email_key_uq").Error; err != nil {
				return err
			}
			if err := tx.Exec("CREATE UNIQUE INDEX users_email_key_uq ON users (email_key) WHERE email_key <> ''").Error; err != nil {
				return err
			}
			type user struct {
				ID string `gorm:"primaryKey;size:36"`
			}
			type signInSecret struct {
				ID         string     `gorm:"primaryKey;size:36"`
				UserID     string     `gorm:"size:36;not null;uniqueIndex:sign_in_secrets_user_kind_uq,priority:1"`
				User       *user      `gorm:"constraint:OnDelete:CASCADE"`
				Kind       string     `gorm:"size:8;not null;uniqueIndex:sign_in_secrets_user_kind_uq,priority:2"`
				SecretHash string     `gorm:"size:64;not null;uniqueIndex:sign_in_secrets_hash_uq"`
				ExpiresAt  *time.Time // links only
				UsedAt     *time.Time
				CreatedAt  time.Time
			}
			type cardSession struct {
				FamilyID  string `gorm:"primaryKey;size:36"`
				UserID    string `gorm:"size:36;not null;index:card_sessions_user_idx"`
				User      *user  `gorm:"constraint:OnDelete:CASCADE"`
				CreatedAt time.Time
			}
			return tx.Migrator().CreateTable(&signInSecret{}, &cardSession{})
		},
	}
}
