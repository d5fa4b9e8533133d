package certs

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"skillgate/app/i18n"
	"skillgate/app/pdftext"
	"skillgate/app/web"
)

// RenderPDF is RenderPDFIn with the status as of this moment.
func RenderPDF(c Certificate, issuer, lang string) ([]byte, error) {
	return RenderPDFIn(c, issuer, lang, time.Now())
}

// RenderPDFAt is RenderPDFIn in English.
func RenderPDFAt(c Certificate, issuer string, now time.Time) ([]byte, error) {
	return RenderPDFIn(c, issuer, i18n.Default, now)
}

// RenderPDFIn draws a printable certificate (A4 landscape) with a QR code
// of its verify URL and its status at now: a revoked or expired
// certificate says so across the page and in its status line, never
// "Valid until". Its words are the catalogue's (app/i18n, certpdf.*) in
// lang, the holder's language; English when lang is unknown.
// The holder's name, the course title and Hindi words print in their own
// script: Devanagari is shaped (conjuncts, vowel signs) and drawn in the
// embedded Noto Sans Devanagari by pdftext. Only a name or title in a
// script it cannot draw falls back to the Latin id or slug.
func RenderPDFIn(c Certificate, issuer, lang string, now time.Time) ([]byte, error) {
	l := i18n.For(lang)
	png, err := qrcode.Encode(c.VerifyURL, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("certs: QR code: %w", err)
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetTitle(l.T("certpdf.doc_title", "Code", c.Code), true)
	pdf.SetAuthor(issuer, true)
	pdf.SetCreator("Skillgate", true)
	pdf.SetCompression(true)
	pdf.AddPage()
	text := func(s, fallback string) string {
		if pdftext.Supported(s) {
			return s
		}
		return fallback
	}
	w, _ := pdf.GetPageSize()
	// line draws one centred line of the page's wording, h high, and
	// moves below it.
	line := func(s string, st pdftext.Style, minSize, h float64) {
		s, st = pdftext.Fit(pdf, s, st, minSize, w-50)
		pdftext.CellFormat(pdf, 20, pdf.GetY(), w-40, h, s, st, "C")
		pdf.SetXY(20, pdf.GetY()+h)
	}

	pdf.SetDrawColor(19, 119, 58)
	pdf.SetLineWidth(2)
	pdf.Rect(10, 10, w-20, 190, "D")

	pdf.SetXY(20, 28)
	line(l.T("certpdf.heading"), pdftext.Style{Size: 30, Bold: true}, 18, 14)
	line(l.T("certpdf.certifies"), pdftext.Style{Size: 14}, 10, 10)
	line(text(c.HolderName, l.T("certpdf.holder_fallback", "ID", c.HolderID[:8])), pdftext.Style{Size: 24, Bold: true}, 14, 14)
	line(l.T("certpdf.completed"), pdftext.Style{Size: 14}, 10, 10)
	line(text(c.CourseTitle, c.CourseSlug)+" "+l.T("certpdf.version", "Version", c.CourseVersion), pdftext.Style{Size: 20, Bold: true}, 12, 12)
	line(l.T("certpdf.score", "Score", trimFloat(c.ScorePercent)), pdftext.Style{Size: 14}, 10, 10)

	status := l.T("certpdf.status.active", "Date", l.LongDate(c.ExpiresAt))
	banner := ""
	switch c.Status(now) {
	case "revoked":
		status = l.T("certpdf.status.revoked", "Date", l.LongDate(*c.RevokedAt), "Category", l.T("revocation."+publicCategory(c)))
		banner = l.T("certpdf.banner.revoked")
	case "expired":
		status = l.T("certpdf.status.expired", "Date", l.LongDate(c.ExpiresAt))
		banner = l.T("certpdf.banner.expired")
	}
	if banner != "" {
		pdf.SetTextColor(179, 38, 30)
		b, st := pdftext.Fit(pdf, banner, pdftext.Style{Size: 26, Bold: true}, 14, w-50)
		pdftext.CellFormat(pdf, 20, 14, w-40, 12, b, st, "C")
		pdf.SetTextColor(0, 0, 0)
	}

	y := 126.0
	for _, s := range []string{
		l.T("certpdf.issued", "Date", l.LongDate(c.IssuedAt)),
		status,
		l.T("certpdf.code", "Code", c.Code),
		l.T("certpdf.id", "ID", c.ID),
		l.T("certpdf.verify_at", "URL", c.VerifyURL),
		l.T("certpdf.issued_by", "Issuer", issuer),
		publisherLine(l, c, issuer),
	} {
		s, st := pdftext.Fit(pdf, s, pdftext.Style{Size: 12}, 9, 180)
		pdftext.CellFormat(pdf, 25, y, 180, 8, s, st, "L")
		y += 9
	}
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	pdf.ImageOptions("qr", w-80, 125, 55, 55, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, c.VerifyURL)
	scan, st := pdftext.Fit(pdf, l.T("certpdf.scan"), pdftext.Style{Size: 9}, 7, 65)
	pdftext.CellFormat(pdf, w-85, 181, 65, 6, scan, st, "C")

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("certs: render PDF: %w", err)
	}
	return out.Bytes(), nil
}

// publisherLine says who published the course and whether the platform
// endorsed it (a look-alike course is "not endorsed").
func publisherLine(l *i18n.Lang, c Certificate, platform string) string {
	p := c.Publisher
	if p == nil {
		return ""
	}
	label := p.Label()
	if !pdftext.Supported(label) {
		label = l.T("certpdf.publisher_fallback")
	}
	if p.Endorsed {
		return l.T("certpdf.published_endorsed", "Publisher", label, "Platform", platform)
	}
	return l.T("certpdf.published_not_endorsed", "Publisher", label, "Platform", platform)
}

func (h *Handler) pdf(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	cert, err := h.svc.Get(c.UserContext(), p, pathID(c))
	if err != nil {
		return err
	}
	// The holder's language as the caller's browser names it, else English.
	lang := i18n.Default
	if l := i18n.Shared().FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)); l != nil {
		lang = l.Code
	}
	body, err := RenderPDFIn(cert, h.svc.IssuerName()+" ("+h.svc.BaseURL()+")", lang, h.svc.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="certificate-`+cert.Code+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}
