package pdftext_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
	"github.com/ledongthuc/pdf"

	"skillgate/app/pdftext"
)

// TestShapeDevanagari checks the shaper's output with the real font: the
// conjuncts become one ligature glyph (fewer glyphs than runes, no visible
// virama) and the vowel sign ि is drawn before its consonant cluster.
func TestShapeDevanagari(t *testing.T) {
	face := pdftext.Face()
	nominal := func(r rune) uint32 {
		g, ok := face.NominalGlyph(r)
		if !ok {
			t.Fatalf("the font has no %q", r)
		}
		return uint32(g)
	}
	virama, iMatra := nominal('\u094D'), nominal('\u093F')
	for _, tc := range []struct {
		text string
		// glyphs in visual order: a rune means its nominal glyph, "lig" a
		// ligature (a glyph that is no rune's own), "i" the sign ि (any form)
		glyphs []string
		// the rune index of each glyph's cluster
		clusters []int
	}{
		{"क्षत्रिय", []string{"lig", "i", "lig", "य"}, []int{0, 3, 3, 7}},
		{"प्रिया", []string{"i", "lig", "य", "ा"}, []int{0, 0, 4, 4}},
		{"श्री", []string{"lig", "ी"}, []int{0, 0}},
		{"किरण", []string{"i", "क", "र", "ण"}, []int{0, 0, 2, 3}},
		{"सीता देवी", []string{"स", "ी", "त", "ा", " ", "द", "े", "व", "ी"}, []int{0, 0, 2, 2, 4, 5, 5, 7, 7}},
	} {
		got := pdftext.Shape(tc.text)
		if len(got) != len(tc.glyphs) {
			t.Errorf("%s: %d glyphs for %d runes, want %d", tc.text, len(got), len([]rune(tc.text)), len(tc.glyphs))
			continue
		}
		nominals := map[uint32]bool{}
		for _, r := range tc.text {
			nominals[nominal(r)] = true
		}
		for i, g := range got {
			id := uint32(g.GlyphID)
			if id == virama {
				t.Errorf("%s: a visible virama at %d", tc.text, i)
			}
			switch want := tc.glyphs[i]; want {
			case "lig":
				if nominals[id] || id == 0 {
					t.Errorf("%s: glyph %d is %d, want a conjunct ligature", tc.text, i, id)
				}
			case "i":
				// the font may pick a wider form of ि for a wide cluster
				if id != iMatra && nominals[id] {
					t.Errorf("%s: glyph %d is %d, want the sign ि", tc.text, i, id)
				}
				if i+1 >= len(got) || got[i+1].ClusterIndex != g.ClusterIndex {
					t.Errorf("%s: ि at %d is not before a consonant of its cluster", tc.text, i)
				}
			default:
				if w := nominal([]rune(want)[0]); id != w {
					t.Errorf("%s: glyph %d is %d, want %d (%s)", tc.text, i, id, w, want)
				}
			}
			if g.ClusterIndex != tc.clusters[i] {
				t.Errorf("%s: glyph %d in cluster %d, want %d", tc.text, i, g.ClusterIndex, tc.clusters[i])
			}
		}
	}
}

func TestRunsAndWidth(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	st := pdftext.Style{Size: 14}
	latin := pdftext.Width(p, "Asha Devi", st)
	p.SetFont("Helvetica", "", 14)
	if want := p.GetStringWidth("Asha Devi"); latin != want {
		t.Errorf("Latin width %v, want Helvetica's %v", latin, want)
	}
	deva := pdftext.Width(p, "सीता देवी", st)
	mixed := pdftext.Width(p, "सीता देवी (Asha Devi)", st)
	if deva <= 10 || mixed <= deva+latin {
		t.Errorf("widths: deva %v latin %v mixed %v", deva, latin, mixed)
	}
	if !pdftext.Supported("सीता Devi é — ok") || pdftext.Supported("தமிழ்") {
		t.Error("Supported")
	}
	s, fitted := pdftext.Fit(p, "क्षत्रिय कुमारी प्रियदर्शिनी", st, 10, 30)
	if fitted.Size != 10 || !strings.HasSuffix(s, "...") || strings.HasSuffix(strings.TrimSuffix(s, "..."), "\u094D") {
		t.Errorf("Fit = %q at %v", s, fitted.Size)
	}
	if w := pdftext.Width(p, s, fitted); w > 30 {
		t.Errorf("fitted %q is %v wide", s, w)
	}
}

func TestDrawsAValidPDF(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	pdftext.CellFormat(p, 10, 10, 190, 10, "प्रिया क्षत्रिय — Priya", pdftext.Style{Size: 20, Bold: true}, "C")
	pdftext.Text(p, 10, 40, "श्री किरण", pdftext.Style{Size: 14})
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := pdf.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil || r.NumPage() != 1 {
		t.Fatalf("not a PDF: %v", err)
	}
}

// TestWrap: a Hindi sentence breaks at spaces into lines that fit, and
// keeps every word.
func TestWrap(t *testing.T) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	s := "साइन इन के लिए QR कोड स्कैन करें, या अपना कोड लिखें। यह कार्ड किसी को न दें: इससे आपका खाता खुलता है।"
	st := pdftext.Style{Size: 7}
	lines := pdftext.Wrap(pdf, s, st, 60)
	if len(lines) < 2 {
		t.Fatalf("one line for %.0f mm in 60 mm: %q", pdftext.Width(pdf, s, st), lines)
	}
	for _, l := range lines {
		if pdftext.Width(pdf, l, st) > 60 {
			t.Errorf("%q is %.1f mm wide", l, pdftext.Width(pdf, l, st))
		}
	}
	if got := strings.Join(lines, " "); got != s {
		t.Errorf("words lost: %q", got)
	}
}
