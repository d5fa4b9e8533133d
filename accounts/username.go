package accounts

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"skillgate/app/web"
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
		return usernameError("username").Message
	}
	return ""
}

// usernameError is CheckUsername's refusal of the value of field.
func usernameError(field string) web.FieldError {
	return web.RuleUsername.On(field, "Min", MinUsernameLength, "Max", MaxUsernameLength)
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
