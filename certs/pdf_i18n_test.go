package certs_test

import (
	"strings"
	"testing"
	"time"

	"skillgate/app/apptest"
	"skillgate/certs"
)

// TestCertificatePDFInTheHoldersLanguage: the wording follows the
// language asked for — Hindi keeps only its Latin words as text (the
// rest is shaped Devanagari) — and a language the catalogue lacks
// prints English.
func TestCertificatePDFInTheHoldersLanguage(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	revoked := now.AddDate(0, 0, -1)
	c := certs.Certificate{
		ID: "0b7f0c1e-8a51-4a0e-9a53-7d1c2b3e4f50", Code: "SG-7K3Q-9XMD",
		HolderID: "4c2a9e7d-1111-4222-8333-944455556666", HolderName: "Priya Kshatriya",
		CourseSlug: "safe-data", CourseTitle: "Safe data", CourseVersion: 2, CourseLanguage: "en", ScorePercent: 90,
		IssuedAt: now.AddDate(0, 0, -10), ExpiresAt: now.AddDate(2, 0, 0),
		VerifyURL: "https://skillgate.example/verify/SG-7K3Q-9XMD",
	}
	text := func(c certs.Certificate, lang string) string {
		t.Helper()
		body, err := certs.RenderPDFIn(c, "Skillgate (https://skillgate.example)", lang, now)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := apptest.PDFText(t, body, "")
		return text
	}
	hi := text(c, "hi")
	for _, want := range []string{"VALID)", "SG-7K3Q-9XMD", "Priya Kshatriya", "Safe data"} {
		if !strings.Contains(hi, want) {
			t.Errorf("Hindi PDF: %q not in %q", want, hi)
		}
	}
	for _, english := range []string{"Certificate of Completion", "This certifies", "Status:", "November"} {
		if strings.Contains(hi, english) {
			t.Errorf("Hindi PDF prints %q: %q", english, hi)
		}
	}
	if sw := text(c, "sw"); !strings.Contains(sw, "Certificate of Completion") || !strings.Contains(sw, "VALID until 29 November 2028") {
		t.Errorf("an unknown language: %q", sw)
	}
	c.RevokedAt, c.RevocationCategory = &revoked, "issued_in_error"
	if hi := text(c, "hi"); !strings.Contains(hi, "REVOKED)") || strings.Contains(hi, "VALID)") || strings.Contains(hi, "Issued in error") {
		t.Errorf("revoked, in Hindi: %q", hi)
	}
}

// TestAPIPDFFollowsAcceptLanguage: the API's PDF is in the language the
// holder's browser or app names, else English.
func TestAPIPDFFollowsAcceptLanguage(t *testing.T) {
	f := newFixture(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	learner := f.e.Learner()
	id := f.earn(t, learner)
	path := api + "/certificates/" + id + "/pdf"
	if en := pdfText(t, f.e.Call("GET", path, learner.Token, nil)); !strings.Contains(en, "Certificate of Completion") {
		t.Errorf("no Accept-Language: %q", en)
	}
	hi := pdfText(t, f.e.Do(apptest.Request{Method: "GET", Path: path, Token: learner.Token, Headers: map[string]string{"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5"}}))
	if strings.Contains(hi, "Certificate of Completion") || !strings.Contains(hi, "VALID)") {
		t.Errorf("Accept-Language hi: %q", hi)
	}
}
