package courses

import (
	"strings"
	"testing"
)

// TestHeadSaysWhatTheTagsSay: a course head's sizes get the messages of
// the request's validate tags, its rules their own, each once.
func TestHeadSaysWhatTheTagsSay(t *testing.T) {
	str := func(s string) *string { return &s }
	cases := []struct {
		slug, title, lang string
		field, msg        string
	}{
		{strings.Repeat("a", 101), "T", "en", "slug", "must be at most 100 characters"},
		{"Not A Slug", "T", "en", "slug", "must be lowercase letters, digits and single hyphens"},
		{"ok", "   ", "en", "title", "is required"},
		{"ok", strings.Repeat("t", 201), "en", "title", "must be at most 200 characters"},
		{"ok", "T", "en-" + strings.Repeat("a", 40), "language", "must be at most 35 characters"},
		{"ok", "T", "english", "language", "must be a language tag such as en or hi"},
	}
	for _, c := range cases {
		f := validateHead(str(c.slug), str(c.title), str(c.lang), nil, nil, nil)
		if len(f) != 1 || f[0].Field != c.field || f[0].Message != c.msg {
			t.Errorf("%q %q %q: got %v, want %s %q once", c.slug, c.title, c.lang, f, c.field, c.msg)
		}
	}
}
