package certs_test

import (
	"strings"
	"testing"
	"time"

	"skillgate/app/apptest"
	"skillgate/certs"
)

// TestHindiCertificatePDF renders the certificate of a Hindi course: a
// valid PDF, whose title and holder are drawn in Devanagari (shaped glyph
// outlines, which carry no extractable text), never the slug or the
// "Holder …" fallback. SKILLGATE_PDF_OUT=dir keeps the file to look at.
func TestHindiCertificatePDF(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	c := certs.Certificate{
		ID: "0b7f0c1e-8a51-4a0e-9a53-7d1c2b3e4f50", Code: "SG-7K3Q-9XMD",
		HolderID: "4c2a9e7d-1111-4222-8333-944455556666", HolderName: "प्रिया क्षत्रिय",
		CourseSlug: "digital-literacy-foundations-hi", CourseTitle: "डिजिटल साक्षरता की बुनियाद",
		CourseVersion: 2, CourseLanguage: "hi", ScorePercent: 90,
		IssuedAt: now.AddDate(0, 0, -1), ExpiresAt: now.AddDate(2, 0, 0),
		VerifyURL: "https://skillgate.example/verify/SG-7K3Q-9XMD",
		Publisher: &certs.Publisher{Name: "श्री किरण", BuiltIn: false, Endorsed: true},
	}
	body, err := certs.RenderPDFAt(c, "Skillgate (https://skillgate.example)", now)
	if err != nil {
		t.Fatal(err)
	}
	text, pages := apptest.PDFText(t, body, "certificate-hi.pdf")
	if pages != 1 {
		t.Fatalf("%d pages, want one", pages)
	}
	for _, want := range []string{"Certificate of Completion", "version 2)", "SG-7K3Q-9XMD", "Published by"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not in the PDF text", want)
		}
	}
	for _, fallback := range []string{c.CourseSlug, "Holder ", "see the verify page", "?"} {
		if strings.Contains(text, fallback) {
			t.Errorf("the PDF prints the fallback %q:\n%s", fallback, text)
		}
	}
	// The same certificate in Latin letters is text, so the Devanagari one
	// drew something else in its place: the glyph outlines.
	c.HolderName, c.CourseTitle = "Priya Kshatriya", "Digital literacy foundations"
	latin, err := certs.RenderPDFAt(c, "Skillgate (https://skillgate.example)", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) <= len(latin) {
		t.Errorf("the Devanagari PDF (%d bytes) is no larger than the Latin one (%d)", len(body), len(latin))
	}
}
