package pdftext

import (
	"strings"

	"github.com/go-pdf/fpdf"
)

// Wrap splits s at spaces into lines no wider than w when drawn in st,
// like fpdf's MultiCell but for shaped text too; a word wider than w
// stands on a line of its own.
func Wrap(pdf *fpdf.Fpdf, s string, st Style, w float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && Width(pdf, next, st) > w {
			lines = append(lines, cur)
			next = word
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
