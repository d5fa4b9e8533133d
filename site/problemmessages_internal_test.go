package site

import (
	"testing"
	"time"

	"skillgate/app/i18n"
	"skillgate/app/web"
	"skillgate/classes"
)

// TestProblemMessage: a detail is said in the page's language from its
// key, with its values; English is the API's; a detail without a key, or
// with one the catalogue lacks, reads as its kind's general message.
func TestProblemMessage(t *testing.T) {
	hi, en := i18n.For("hi"), i18n.For("en")
	for _, tc := range []struct {
		name string
		l    *Lang
		e    *web.Error
		want string
	}{
		{"a conflict", hi, web.DetailClassChanged.Conflict(), "सीखने वालों को जोड़ते समय क्लास बदल गई। कृपया फिर से कोशिश करें।"},
		{"with a value", hi, web.DetailModuleNotEmpty.Conflict("Count", 2), "इस मॉड्यूल में अभी 2 पाठ हैं। पहले उन्हें किसी दूसरे मॉड्यूल में ले जाएँ या हटाएँ।"},
		{"English is the API's", en, web.DetailVersionRace.Conflict(), "this version was published concurrently"},
		{"a rate limit", hi, web.RateLimited(time.Minute), "बहुत सारी कोशिशें हो गईं। कुछ मिनट रुककर फिर कोशिश करें।"},
		{"no key", hi, web.Conflict("some English"), "यह अभी नहीं हो सकता।"},
		{"an unknown key", en, &web.Error{Kind: web.KindConflict, Message: "x", Key: "problem.nonexistent"}, "This cannot be done right now."},
		{"an unknown kind", hi, web.Forbidden("some English"), hi.T("error.other")},
	} {
		if got := problemMessage(tc.l, tc.e); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestRowMessages: a refused row is said in the page's language with its
// column's heading; a row error without a key reads as "is not valid".
func TestRowMessages(t *testing.T) {
	hi := i18n.For("hi")
	f := web.RuleRepeatsLine.On("email", "Line", 4)
	got := rowMessages(hi, []classes.RowError{
		{Line: 6, FieldError: f},
		{Line: 7, FieldError: web.FieldError{Field: "", Message: "some English"}},
	})
	want := []rowErrorView{
		{Line: 6, Column: "ईमेल", Message: "यह लाइन 4 में पहले आ चुका है।"},
		{Line: 7, Column: "", Message: "यह सही नहीं है। जाँचकर फिर से लिखें।"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
