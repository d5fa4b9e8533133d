package assessments

import (
	"strings"
	"testing"

	"skillgate/app/web"
)

// TestOneMessagePerCheck: the validate tags give shape and size, the
// service the rules, and a broken check is reported once, with the
// message a request bound by web.Bind would get.
func TestOneMessagePerCheck(t *testing.T) {
	long := strings.Repeat("x", 201)
	q := typeSamples[ShortText]
	q.Name, q.Tags = long, make([]string, 21)
	for i := range q.Tags {
		q.Tags[i] = "t"
	}
	wantOnce(t, validateQuestion(q), "name", "must be at most 200 characters")
	wantOnce(t, validateQuestion(q), "tags", "must have at most 20 items")

	s := Settings{Title: long, Kind: KindQuiz, QuestionCount: 1, TimeLimitSeconds: 60, PassPercent: 50, MaxAttempts: 1}
	wantOnce(t, validateSettings(s), "title", "must be at most 200 characters")
	s.Title, s.Kind = "   ", ""
	wantOnce(t, validateSettings(s), "title", "is required")
	wantOnce(t, validateSettings(s), "kind", "is required")
	s.Kind = "exam"
	wantOnce(t, validateSettings(s), "kind", "must be one of: final, quiz")

	// A request bound by web.Bind says the same of the same settings.
	s.Title = long
	var e *web.Error
	if err := web.Validate(s); err == nil || !asWeb(err, &e) || e.Fields[0].Message != "must be at most 200 characters" {
		t.Fatalf("web.Validate: %v", err)
	}
}

func wantOnce(t *testing.T, f []web.FieldError, field, msg string) {
	t.Helper()
	n := 0
	for _, e := range f {
		if e.Field == field {
			n++
			if e.Message != msg {
				t.Errorf("%s: %q, want %q", field, e.Message, msg)
			}
		}
	}
	if n != 1 {
		t.Errorf("%s reported %d times in %v, want once", field, n, f)
	}
}

func asWeb(err error, e **web.Error) bool {
	we, ok := err.(*web.Error)
	*e = we
	return ok
}
