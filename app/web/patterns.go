package web

import "regexp"

// The patterns several domains check, written once.
var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	localePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)
)

// IsSlug reports whether s is lowercase letters and digits in words joined
// by single hyphens ("safe-data-2"), as course and tier slugs are. Length
// limits are the caller's.
func IsSlug(s string) bool { return slugPattern.MatchString(s) }

// IsLocale reports whether s looks like a language tag of letters and
// digits ("en", "hi-IN", "pt-BR"); length limits are the caller's.
func IsLocale(s string) bool { return localePattern.MatchString(s) }
