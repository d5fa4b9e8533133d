// Package pdftext draws text that the PDF core fonts cannot: Devanagari,
// shaped by a real shaper (go-text/typesetting, a port of HarfBuzz) so that
// conjuncts (क्ष, प्र, श्र) and vowel signs (the ि drawn before its
// consonant) come out as a reader writes them. The shaped glyphs of the
// embedded Noto Sans Devanagari (SIL Open Font License 1.1, fonts/OFL.txt)
// are drawn as vector paths, so the page is crisp at any size and carries
// only the glyphs it uses. Latin runs of mixed text are printed with
// Helvetica, like the rest of the pages.
//
// It is a leaf: it imports no domain, and both certs and classes use it.
package pdftext

import (
	"bytes"
	_ "embed"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/go-pdf/fpdf"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/charmap"
)

//go:embed fonts/NotoSansDevanagari-Regular.ttf
var devanagariTTF []byte

var (
	faceOnce sync.Once
	face     *font.Face
	faceErr  error
)

// Face is the parsed Noto Sans Devanagari; it panics if the embedded font
// is broken, which a test catches.
func Face() *font.Face {
	faceOnce.Do(func() { face, faceErr = font.ParseTTF(bytes.NewReader(devanagariTTF)) })
	if faceErr != nil {
		panic("pdftext: embedded font: " + faceErr.Error())
	}
	return face
}

// shapeSize is the size text is shaped at: 1000 units to the em (the
// font's own), so that advances are in font units with 1/64 precision.
const shapeSize = 1000

// Shape runs the shaper on Devanagari text with the Hindi language
// system and returns the glyphs in visual order, positioned in font units
// (1000 to the em).
func Shape(text string) []shaping.Glyph {
	return slices.Clone(shapeCached(text))
}

func shapeCached(text string) []shaping.Glyph {
	shapedMu.Lock()
	g, ok := shaped[text]
	shapedMu.Unlock()
	if ok {
		return g
	}
	g = shape(text)
	shapedMu.Lock()
	if len(shaped) >= 4096 {
		clear(shaped)
	}
	shaped[text] = g
	shapedMu.Unlock()
	return g
}

// shaped keeps the latest texts shaped: a text is measured, fitted and
// drawn, and a class prints the same names again.
var (
	shapedMu sync.Mutex
	shaped   = map[string][]shaping.Glyph{}
)

func shape(text string) []shaping.Glyph {
	runes := []rune(text)
	if len(runes) == 0 {
		return nil
	}
	var sh shaping.HarfbuzzShaper
	out := sh.Shape(shaping.Input{
		Text:      runes,
		RunStart:  0,
		RunEnd:    len(runes),
		Direction: di.DirectionLTR,
		Face:      Face(),
		Size:      fixed.I(shapeSize),
		Script:    language.Devanagari,
		Language:  language.NewLanguage("hi"),
	})
	return out.Glyphs
}

// isDevanagari reports a rune of the Devanagari blocks or a joiner.
func isDevanagari(r rune) bool {
	return (r >= 0x0900 && r <= 0x097F) || (r >= 0xA8E0 && r <= 0xA8FF) ||
		(r >= 0x1CD0 && r <= 0x1CFF) || r == 0x200C || r == 0x200D
}

// neutral runes (spaces, digits, punctuation) go with the run around them.
func neutral(r rune) bool {
	return r == ' ' || unicode.IsDigit(r) || unicode.IsPunct(r) || r == 0x00A0
}

// Supported reports whether every rune of s can be drawn: Devanagari or
// what Helvetica prints (Windows-1252, Latin-1 and a few more). Text in
// other scripts would print as question marks, so the caller shows
// something else.
func Supported(s string) bool {
	for _, r := range s {
		if _, ok := charmap.Windows1252.EncodeRune(r); !ok && !isDevanagari(r) {
			return false
		}
	}
	return true
}

type run struct {
	text string
	deva bool
}

// runs splits s into Devanagari runs and the rest. Spaces, digits and
// punctuation stay in a Devanagari run when the font has them, so a name
// like "सीता देवी" is shaped as one run.
func runs(s string) []run {
	var out []run
	var cur []rune
	curDeva := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, run{string(cur), curDeva})
		}
		cur = cur[:0]
	}
	rs := []rune(s)
	for i, r := range rs {
		deva := isDevanagari(r)
		if neutral(r) {
			deva = curDeva
			if len(cur) == 0 { // leading: take the kind of the next letter
				for _, n := range rs[i:] {
					if !neutral(n) {
						deva = isDevanagari(n)
						break
					}
				}
			}
			if deva {
				if _, ok := Face().NominalGlyph(r); !ok {
					deva = false
				}
			}
		}
		if deva != curDeva && len(cur) > 0 {
			flush()
		}
		curDeva = deva
		cur = append(cur, r)
	}
	flush()
	return out
}

// tr turns text into Windows-1252, what Helvetica prints; a rune it lacks
// becomes "?" (Supported tells the caller beforehand).
func tr(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// Style is how a text is drawn.
type Style struct {
	Size float64 // in points
	Bold bool
}

func latinFont(pdf *fpdf.Fpdf, st Style) {
	if st.Bold {
		pdf.SetFont("Helvetica", "B", st.Size)
	} else {
		pdf.SetFont("Helvetica", "", st.Size)
	}
}

// unitsPerFontUnit converts font units at st.Size to the PDF's user units.
func unitsPerFontUnit(pdf *fpdf.Fpdf, st Style) float64 {
	return st.Size / pdf.GetConversionRatio() / float64(Face().Upem())
}

func devaWidth(pdf *fpdf.Fpdf, s string, st Style) float64 {
	var adv fixed.Int26_6
	for _, g := range shapeCached(s) {
		adv += g.XAdvance
	}
	return float64(adv) / 64 * float64(Face().Upem()) / shapeSize * unitsPerFontUnit(pdf, st)
}

// Width is the width of s drawn in st, in the PDF's user units. It sets
// the current font to Helvetica of that size.
func Width(pdf *fpdf.Fpdf, s string, st Style) float64 {
	latinFont(pdf, st)
	w := 0.0
	for _, r := range runs(s) {
		if r.deva {
			w += devaWidth(pdf, r.text, st)
		} else {
			w += pdf.GetStringWidth(tr(r.text))
		}
	}
	return w
}

// Text draws s with its baseline at y, starting at x. It uses the text
// colour, and leaves the current font set to Helvetica of st.
func Text(pdf *fpdf.Fpdf, x, y float64, s string, st Style) {
	latinFont(pdf, st)
	for _, r := range runs(s) {
		if !r.deva {
			t := tr(r.text)
			pdf.Text(x, y, t)
			x += pdf.GetStringWidth(t)
			continue
		}
		x += drawDeva(pdf, x, y, r.text, st)
	}
}

// CellFormat draws s in the box (x, y, w, h) like fpdf's CellFormat: align
// "L", "C" or "R", the baseline where CellFormat puts it, so that shaped
// text lines up with the core-font text beside it.
func CellFormat(pdf *fpdf.Fpdf, x, y, w, h float64, s string, st Style, align string) {
	width := Width(pdf, s, st)
	_, unitSize := pdf.GetFontSize()
	margin := pdf.GetCellMargin()
	dx := margin
	switch {
	case strings.Contains(align, "R"):
		dx = w - margin - width
	case strings.Contains(align, "C"):
		dx = (w - width) / 2
	}
	Text(pdf, x+dx, y+h/2+0.3*unitSize, s, st)
}

// Fit returns st at the largest size no smaller than minSize at which s
// fits in w, and s itself; when even minSize is too wide, s is cut at a
// cluster boundary and ends with "...".
func Fit(pdf *fpdf.Fpdf, s string, st Style, minSize, w float64) (string, Style) {
	// widths grow with the size: scale down in one step, to half points
	if width := Width(pdf, s, st); width > w {
		st.Size = max(minSize, math.Floor(st.Size*w/width*2)/2)
	}
	if Width(pdf, s, st) <= w {
		return s, st
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		// never end on a virama, nor cut a consonant from its signs
		for len(r) > 0 && (r[len(r)-1] == 0x094D || (len(r) < len([]rune(s)) && joins([]rune(s)[len(r)]))) {
			r = r[:len(r)-1]
		}
		if Width(pdf, string(r)+"...", st) <= w {
			break
		}
	}
	return strings.TrimSpace(string(r)) + "...", st
}

// joins reports a rune that belongs to the cluster before it (vowel signs,
// nukta, virama, candrabindu, joiners).
func joins(r rune) bool {
	return unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || r == 0x200C || r == 0x200D
}

// outlines caches the glyph outlines, by glyph id.
var outlines sync.Map // font.GID -> []ot.Segment

func outline(gid font.GID) []ot.Segment {
	if o, ok := outlines.Load(gid); ok {
		return o.([]ot.Segment)
	}
	var segs []ot.Segment
	if data, ok := Face().GlyphData(gid).(font.GlyphOutline); ok {
		segs = data.Segments
	}
	outlines.Store(gid, segs)
	return segs
}

// num writes v rounded to a tenth of a font unit.
func num(b []byte, v float64) []byte {
	b = strconv.AppendFloat(b, math.Round(v*10)/10, 'f', -1, 64)
	return append(b, ' ')
}

// drawDeva draws the shaped glyphs of s as one filled path, written in font
// units under a scaling matrix (compact, and exact at any size), and
// returns the width drawn in user units.
func drawDeva(pdf *fpdf.Fpdf, x, y float64, s string, st Style) float64 {
	f := Face()
	// shaped positions are in 1/64 of shapeSize units; outlines in font units
	pos := float64(f.Upem()) / shapeSize / 64
	k := pdf.GetConversionRatio()
	_, pageH := pdf.GetPageSize()
	sc := st.Size / float64(f.Upem()) // points per font unit

	r, g, b := pdf.GetTextColor()
	b0 := []byte("q ")
	for _, c := range []int{r, g, b} {
		b0 = num(b0, float64(c)/255)
	}
	b0 = append(b0, "rg "...)
	op := "f"
	if st.Bold { // a stroke round the outline: a bold without a second font
		for _, c := range []int{r, g, b} {
			b0 = num(b0, float64(c)/255)
		}
		b0 = append(b0, "RG 45 w 1 j "...)
		op = "B"
	}
	for _, v := range []float64{sc, 0, 0, sc, x * k, (pageH - y) * k} {
		b0 = strconv.AppendFloat(b0, v, 'f', 4, 64)
		b0 = append(b0, ' ')
	}
	b0 = append(b0, "cm\n"...)

	penX := 0.0
	for _, gl := range shapeCached(s) {
		ox := penX + float64(gl.XOffset)*pos
		oy := float64(gl.YOffset) * pos
		penX += float64(gl.XAdvance) * pos
		var cur ot.SegmentPoint
		pt := func(p ot.SegmentPoint) {
			b0 = num(b0, ox+float64(p.X))
			b0 = num(b0, oy+float64(p.Y))
		}
		for _, seg := range outline(gl.GlyphID) {
			a := seg.Args
			switch seg.Op {
			case ot.SegmentOpMoveTo:
				pt(a[0])
				b0 = append(b0, "m "...)
				cur = a[0]
			case ot.SegmentOpLineTo:
				pt(a[0])
				b0 = append(b0, "l "...)
				cur = a[0]
			case ot.SegmentOpQuadTo:
				// the quadratic as the cubic PDF draws
				pt(ot.SegmentPoint{X: cur.X + 2.0/3*(a[0].X-cur.X), Y: cur.Y + 2.0/3*(a[0].Y-cur.Y)})
				pt(ot.SegmentPoint{X: a[1].X + 2.0/3*(a[0].X-a[1].X), Y: a[1].Y + 2.0/3*(a[0].Y-a[1].Y)})
				pt(a[1])
				b0 = append(b0, "c "...)
				cur = a[1]
			case ot.SegmentOpCubeTo:
				pt(a[0])
				pt(a[1])
				pt(a[2])
				b0 = append(b0, "c "...)
				cur = a[2]
			}
		}
		b0 = append(b0, '\n')
	}
	b0 = append(b0, op+" Q"...)
	pdf.RawWriteStr(string(b0))
	return penX * sc / k
}
