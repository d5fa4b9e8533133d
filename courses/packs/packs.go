// Package packs embeds the built-in course packs, so that the binary loads
// the catalogue with no files beside it.
package packs

import "embed"

// FS holds one folder per built-in course pack.
//
//go:embed */course.yaml */lessons/*.md */questions.gift
var FS embed.FS
