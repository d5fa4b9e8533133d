package certs

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"skillgate/app/pdftext"
	"skillgate/app/web"
)

// RenderPDF is RenderPDFAt with the status as of this moment.
func RenderPDF(c Certificate, issuer string) ([]byte, error) {
	return RenderPDFAt(c, issuer, time.Now())
}

// RenderPDFAt draws a printable certificate (A4 landscape) with a QR code of
// its verify URL and its status at now: a revoked or expired certificate
// says so across the page and in its status line, never "Valid until".
// The holder's name and the course title print in their own script: a
// Hindi course and a name in Devanagari are shaped (conjuncts, vowel
// signs) and drawn in the embedded Noto Sans Devanagari by pdftext. Only
// a script it cannot draw falls back to the Latin id or slug.
func RenderPDFAt(c Certificate, issuer string, now time.Time) ([]byte, error) {
	png, err := qrcode.Encode(c.VerifyURL, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("certs: QR code: %w", err)
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetTitle("Certificate "+c.Code, true)
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

	pdf.SetDrawColor(19, 119, 58)
	pdf.SetLineWidth(2)
	pdf.Rect(10, 10, w-20, 190, "D")

	pdf.SetFont("Helvetica", "B", 30)
	pdf.SetXY(20, 28)
	pdf.CellFormat(w-40, 14, "Certificate of Completion", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 14)
	pdf.SetX(20)
	pdf.CellFormat(w-40, 10, "This certifies that", "", 1, "C", false, 0, "")
	name, st := pdftext.Fit(pdf, text(c.HolderName, "Holder "+c.HolderID[:8]), pdftext.Style{Size: 24, Bold: true}, 14, w-50)
	pdftext.CellFormat(pdf, 20, pdf.GetY(), w-40, 14, name, st, "C")
	pdf.SetXY(20, pdf.GetY()+14)
	pdf.SetFont("Helvetica", "", 14)
	pdf.CellFormat(w-40, 10, "completed every lesson and passed the final assessment of", "", 1, "C", false, 0, "")
	title, st := pdftext.Fit(pdf, text(c.CourseTitle, c.CourseSlug)+fmt.Sprintf(" (version %d)", c.CourseVersion), pdftext.Style{Size: 20, Bold: true}, 12, w-50)
	pdftext.CellFormat(pdf, 20, pdf.GetY(), w-40, 12, title, st, "C")
	pdf.SetXY(20, pdf.GetY()+12)
	pdf.SetFont("Helvetica", "", 14)
	pdf.CellFormat(w-40, 10, "with a score of "+trimFloat(c.ScorePercent)+"%", "", 1, "C", false, 0, "")

	const day = "2 January 2006"
	status := "Status: VALID until " + c.ExpiresAt.UTC().Format(day)
	banner := ""
	switch c.Status(now) {
	case "revoked":
		status = "Status: REVOKED on " + c.RevokedAt.UTC().Format(day) + " (" + strings.ReplaceAll(publicCategory(c), "_", " ") + ")"
		banner = "REVOKED - NOT VALID"
	case "expired":
		status = "Status: EXPIRED on " + c.ExpiresAt.UTC().Format(day)
		banner = "EXPIRED - NOT VALID"
	}
	if banner != "" {
		pdf.SetTextColor(179, 38, 30)
		pdf.SetFont("Helvetica", "B", 26)
		pdf.SetXY(20, 14)
		pdf.CellFormat(w-40, 12, banner, "", 1, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	}

	pdf.SetFont("Helvetica", "", 12)
	y := 126.0
	for _, line := range []string{
		"Issued: " + c.IssuedAt.UTC().Format(day),
		status,
		"Code: " + c.Code,
		"Certificate id: " + c.ID,
		"Verify at: " + c.VerifyURL,
		"Issued by: " + issuer,
		publisherLine(c, issuer),
	} {
		pdftext.CellFormat(pdf, 25, y, 180, 8, line, pdftext.Style{Size: 12}, "L")
		y += 9
	}
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	pdf.ImageOptions("qr", w-80, 125, 55, 55, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, c.VerifyURL)
	pdf.SetFont("Helvetica", "", 9)
	pdf.SetXY(w-85, 181)
	pdf.CellFormat(65, 6, "Scan to check this certificate", "", 0, "C", false, 0, "")

	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("certs: render PDF: %w", err)
	}
	return out.Bytes(), nil
}

// publisherLine says who published the course and whether the platform
// endorsed it (a look-alike course is "not endorsed").
func publisherLine(c Certificate, platform string) string {
	p := c.Publisher
	if p == nil {
		return ""
	}
	label := p.Label()
	if !pdftext.Supported(label) {
		label = "see the verify page"
	}
	if p.Endorsed {
		return "Published by " + label + "; endorsed by " + platform
	}
	return "Published by " + label + "; NOT endorsed by " + platform
}

func (h *Handler) pdf(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	cert, err := h.svc.Get(c.UserContext(), p, pathID(c))
	if err != nil {
		return err
	}
	body, err := RenderPDFAt(cert, h.svc.IssuerName()+" ("+h.svc.BaseURL()+")", h.svc.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="certificate-`+cert.Code+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}
