package web

import "testing"

func TestPatterns(t *testing.T) {
	for s, want := range map[string]bool{"safe-data": true, "a1": true, "safe--data": false, "-a": false, "a-": false, "Safe": false, "": false, "a_b": false} {
		if IsSlug(s) != want {
			t.Errorf("IsSlug(%q) = %v, want %v", s, !want, want)
		}
	}
	for s, want := range map[string]bool{"en": true, "hi-IN": true, "pt-BR": true, "zh-Hant-TW": true, "e": false, "english": false, "en_US": false, "": false, "en-": false} {
		if IsLocale(s) != want {
			t.Errorf("IsLocale(%q) = %v, want %v", s, !want, want)
		}
	}
}
