package classes_test

import (
	"fmt"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/classes"
)

// TestCardsPDFInDevanagari renders cards whose names need shaping: a
// valid PDF with the usernames and codes as text, the names drawn in the
// embedded Devanagari font (as glyph outlines, so not as text), and a name
// in a script it cannot draw printed as its username, never as "?".
// SKILLGATE_PDF_OUT=dir keeps the file to look at.
func TestCardsPDFInDevanagari(t *testing.T) {
	var cards []classes.Card
	for i, n := range []string{"क्षत्रिय", "प्रिया", "श्री किरण", "सीता देवी", "Asha Devi", "தமிழ்செல்வி", "क्षत्रिय कुमारी प्रियदर्शिनी शर्मा"} {
		u := fmt.Sprintf("learner.%d", i+1)
		cards = append(cards, classes.Card{
			Learner: classes.Learner{ID: fmt.Sprint(i), Name: n, Username: u},
			Secret:  "s", Code: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567", SignInURL: "https://skillgate.example/card#" + u,
		})
	}
	body, err := classes.CardsPDF(cards)
	if err != nil {
		t.Fatal(err)
	}
	text, pages := apptest.PDFText(t, body, "cards.pdf")
	if pages != 1 {
		t.Fatalf("%d pages, want one", pages)
	}
	for _, want := range []string{"learner.1", "learner.7", "Asha Devi", "ABCD-EFGH"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not in the PDF text", want)
		}
	}
	if n := strings.Count(text, "learner.6"); n != 2 { // the username twice: as the name and as itself
		t.Errorf("the Tamil name: learner.6 printed %d times, want 2", n)
	}
	if strings.Contains(text, "?") || strings.Contains(text, "\u094d") {
		t.Errorf("broken text in the PDF:\n%s", text)
	}
}

func TestParseCSVAndRowErrors(t *testing.T) {
	rows, err := classes.ParseCSV([]byte("Email,NAME\r\na@example.org,Asha\r\n\r\n,\"Ravi\r\nKumar\"\r\nb@example.org,Bina\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Line != 2 || rows[0].Name != "Asha" || rows[0].Email != "a@example.org" || rows[1].Line != 4 || rows[2].Line != 6 {
		t.Fatalf("rows %+v", rows)
	}
	_, err = classes.ParseCSV([]byte("name\nok\n\"open"))
	got, ok := classes.RowErrorsOf(err)
	if !ok || len(got) != 1 || got[0].Line != 3 {
		t.Fatalf("broken CSV: %v %+v", err, got)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("name,username,email,locale\nसीता देवी,,,hi\n"))
	f.Add([]byte("name\n\"a\nb\",x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := classes.ParseCSV(b)
		if err != nil {
			if _, ok := classes.RowErrorsOf(err); !ok {
				t.Fatalf("an error without rows: %v", err)
			}
			return
		}
		last := 1
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
		}
		if len(rows) > classes.MaxRows+1 {
			t.Fatalf("%d rows read", len(rows))
		}
	})
}
