package site

import (
	"strconv"
	"testing"

	"skillgate/app/i18n"
	"skillgate/app/web"
)

// TestFieldMessage: a field error is said in the page's language from its
// rule, a message about a part in that language too, and a rule the
// catalogue lacks (or none) as the general "is not valid".
func TestFieldMessage(t *testing.T) {
	inner := web.Between("question_count", 1, 200)
	nested := web.RuleInAssessment.On("assessments", "Title", strconv.Quote("Final"), "Field", inner.Field, "Message", inner)
	hi, en := i18n.For("hi"), i18n.For("en")
	for _, tc := range []struct {
		name string
		l    *Lang
		f    web.FieldError
		want string
	}{
		{"a rule with a value", hi, web.TooLong("title", 200), "200 अक्षरों से ज़्यादा नहीं होना चाहिए।"},
		{"English is the API's", en, web.TooLong("title", 200), "must be at most 200 characters"},
		{"a part in the same language", hi, nested, `"Final" में question_count: 1 से 200 के बीच होना चाहिए।`},
		{"an unknown rule", hi, web.Rule("field.nonexistent").On("x"), "यह सही नहीं है। जाँचकर फिर से लिखें।"},
		{"no rule", hi, web.FieldError{Field: "x", Message: "some English"}, "यह सही नहीं है। जाँचकर फिर से लिखें।"},
	} {
		if got := fieldMessage(tc.l, tc.f); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := labelledMessage(hi, web.Required("answers[2].value")); got != "यह भरना ज़रूरी है।" {
		t.Errorf("a field without a label: %q", got)
	}
	if got := labelledMessage(hi, web.Required("title")); got != "शीर्षक: यह भरना ज़रूरी है।" {
		t.Errorf("a field with a label: %q", got)
	}
}

// TestFieldLabelsExist: every label a field error may borrow is in every
// language.
func TestFieldLabelsExist(t *testing.T) {
	for _, tag := range Languages {
		l := i18n.For(tag.String())
		for field, key := range fieldLabels {
			if !l.Has(key) {
				t.Errorf("%s: the label of %s, %q, is missing", tag, field, key)
			}
		}
	}
}
