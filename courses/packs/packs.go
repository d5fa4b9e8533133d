// Package packs embeds the built-in course packs, so that the binary loads
// the catalogue with no files beside it.
package packs

import "embed"

// FS holds one folder per built-in course pack, with the pictures its
// lessons show (images/*.svg).
//
//go:embed */course.yaml */lessons/*.md */questions.gift */images/*.svg
var FS embed.FS
