package apptest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ledongthuc/pdf"
)

// PDFText parses a PDF the way a reader would and returns its plain text
// and page count, failing the test if it does not parse. With
// SKILLGATE_PDF_OUT set, the PDF is also written there as name, to look at.
func PDFText(t testing.TB, body []byte, name string) (text string, pages int) {
	t.Helper()
	if dir := os.Getenv("SKILLGATE_PDF_OUT"); dir != "" && name != "" {
		_ = os.WriteFile(filepath.Join(dir, name), body, 0o644)
	}
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a PDF: %v", err)
	}
	plain, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(plain)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), r.NumPage()
}
