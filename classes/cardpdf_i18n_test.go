package classes_test

import (
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/classes"
)

// TestCardsPrintInTheLearnersLanguage: each card's words are in its
// learner's language — a Hindi learner's card keeps only the Latin words
// of its Hindi labels as text ("username)": the bracket before goes with
// the Devanagari run), the rest is shaped
// Devanagari — and a language the catalogue lacks prints English.
func TestCardsPrintInTheLearnersLanguage(t *testing.T) {
	text := func(locale string) string {
		t.Helper()
		body, err := classes.CardsPDF([]classes.Card{{
			Learner: classes.Learner{ID: "1", Name: "सीता देवी", Username: "sita.devi", Locale: locale},
			Secret:  "s", Code: "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567", SignInURL: "https://skillgate.example/card#s",
		}})
		if err != nil {
			t.Fatal(err)
		}
		text, _ := apptest.PDFText(t, body, "")
		return text
	}
	hi := text("hi-IN")
	for _, want := range []string{"Skillgate", "username)", "code)", "sita.devi", "ABCD-EFGH"} {
		if !strings.Contains(hi, want) {
			t.Errorf("Hindi card: %q not in %q", want, hi)
		}
	}
	for _, english := range []string{"sign-in card", "Username", "Keep this card private"} {
		if strings.Contains(hi, english) {
			t.Errorf("Hindi card prints %q: %q", english, hi)
		}
	}
	for _, locale := range []string{"en", "", "sw"} {
		if en := text(locale); !strings.Contains(en, "Skillgate sign-in card") || !strings.Contains(en, "Username") || strings.Contains(en, "username)") {
			t.Errorf("card for %q: %q", locale, en)
		}
	}
}
