package classes

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"skillgate/app/i18n"
	"skillgate/app/pdftext"
)

// Cards are laid out 2 across and 4 down on A4, with dashed cut lines.
const (
	CardsPerPage = 8
	cardCols     = 2
	cardRows     = 4
	pageW        = 210.0
	pageH        = 297.0
	cardW        = pageW / cardCols
	cardH        = pageH / cardRows
)

// CardsPDF prints the cards, eight to an A4 page: each with the learner's
// name, username, a QR code of the sign-in URL and the typed code, in the
// learner's language (the catalogue's cardpdf.*, app/i18n), else English.
//
// A name in Devanagari is shaped and drawn by pdftext in the embedded Noto
// Sans Devanagari, conjuncts (प्र, क्ष) and vowel signs (ि) as a reader
// writes them; the username (the name in Latin letters) is what the
// learner types.
func CardsPDF(cards []Card) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCreator("Skillgate", true)
	title := i18n.For(i18n.Default)
	if len(cards) > 0 {
		title = i18n.For(cards[0].Learner.Locale)
	}
	pdf.SetTitle(title.T("cardpdf.doc_title"), true)
	if len(cards) == 0 {
		pdf.AddPage()
	}
	for i, c := range cards {
		if i%CardsPerPage == 0 {
			pdf.AddPage()
			cutLines(pdf)
		}
		slot := i % CardsPerPage
		x := float64(slot%cardCols) * cardW
		y := float64(slot/cardCols) * cardH
		if err := drawCard(pdf, c, x, y); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func cutLines(pdf *fpdf.Fpdf) {
	pdf.SetDrawColor(150, 150, 150)
	pdf.SetLineWidth(0.2)
	pdf.SetDashPattern([]float64{2, 2}, 0)
	for c := 1; c < cardCols; c++ {
		pdf.Line(float64(c)*cardW, 0, float64(c)*cardW, pageH)
	}
	for r := 1; r < cardRows; r++ {
		pdf.Line(0, float64(r)*cardH, pageW, float64(r)*cardH)
	}
	pdf.SetDashPattern([]float64{}, 0)
}

func drawCard(pdf *fpdf.Fpdf, c Card, x, y float64) error {
	const pad = 7.0
	const qrSize = 38.0
	textW := cardW - 2*pad - qrSize - 3
	l := i18n.For(c.Learner.Locale)
	pdf.SetTextColor(0, 0, 0)

	head, st := pdftext.Fit(pdf, l.T("cardpdf.heading"), pdftext.Style{Size: 9, Bold: true}, 7, textW-2*pdf.GetCellMargin())
	pdftext.CellFormat(pdf, x+pad, y+pad, textW, 5, head, st, "L")

	// The name, in its own script.
	name := c.Learner.Name
	if !pdftext.Supported(name) {
		name = c.Learner.Username
	}
	name, st = pdftext.Fit(pdf, name, pdftext.Style{Size: 14, Bold: true}, 10, textW-2*pdf.GetCellMargin())
	pdftext.CellFormat(pdf, x+pad, y+pad+7, textW, 8, name, st, "L")

	pdftext.CellFormat(pdf, x+pad, y+pad+18, textW, 4, l.T("cardpdf.username"), pdftext.Style{Size: 8}, "L")
	pdf.SetFont("Helvetica", "B", 13)
	pdf.SetXY(x+pad, y+pad+22)
	pdf.CellFormat(textW, 7, fit(pdf, c.Learner.Username, textW), "", 0, "L", false, 0, "")

	pdftext.CellFormat(pdf, x+pad, y+pad+32, textW, 4, l.T("cardpdf.code"), pdftext.Style{Size: 8}, "L")
	pdf.SetFont("Courier", "B", 10)
	// 7 groups of the code on two lines, so it fits beside the QR code.
	groups := strings.Split(c.Code, "-")
	half := (len(groups) + 1) / 2
	pdf.SetXY(x+pad, y+pad+36)
	pdf.CellFormat(textW, 5, strings.Join(groups[:half], "-"), "", 0, "L", false, 0, "")
	pdf.SetXY(x+pad, y+pad+41)
	pdf.CellFormat(textW, 5, strings.Join(groups[half:], "-"), "", 0, "L", false, 0, "")

	help := pdftext.Style{Size: 7}
	lines := pdftext.Wrap(pdf, l.T("cardpdf.help"), help, cardW-2*pad-2*pdf.GetCellMargin())
	for i, line := range lines { // the last line ends where it always did
		pdftext.CellFormat(pdf, x+pad, y+cardH-pad-1-3.5*float64(len(lines)-i), cardW-2*pad, 3.5, line, help, "L")
	}

	if err := drawQR(pdf, c.SignInURL, x+cardW-pad-qrSize, y+pad+2, qrSize); err != nil {
		return err
	}
	pdf.LinkString(x+cardW-pad-qrSize, y+pad+2, qrSize, qrSize, c.SignInURL)
	return pdf.Error()
}

// drawQR draws the QR code of text as filled rectangles, one per run of
// dark modules in a row: sharp at any printer resolution, and a thousand
// cards render in moments where images took half a minute.
func drawQR(pdf *fpdf.Fpdf, text string, x, y, size float64) error {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap() // includes the quiet zone
	cell := size / float64(len(bits))
	pdf.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// a hair taller than a module, so that no seam shows between rows
			pdf.Rect(x+float64(start)*cell, y+float64(r)*cell, float64(c-start)*cell, cell*1.05, "F")
		}
	}
	return nil
}

// fit cuts s to fit width w in the current font, ending it with "...".
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && pdf.GetStringWidth(string(r)+"...") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "..."
}
