package gift_test

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"skillgate/assessments/gift"
)

// FuzzParse checks that Parse never panics and that whatever it returns is
// usable: every question has a non-empty prompt, a known type and the data
// its type needs, and every error names a line of the input.
// Seeds live in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add("::T:: Which? {=a ~b ####why}")
	f.Fuzz(func(t *testing.T, src string) {
		qs, errs := gift.Parse(src)
		maxLine := strings.Count(src, "\n") + strings.Count(src, "\r") + 1
		for _, e := range errs {
			if e.Line < 1 || e.Line > maxLine {
				t.Errorf("error line %d outside 1..%d: %v", e.Line, maxLine, e)
			}
			if e.Message == "" || strings.Contains(e.Message, "internal parser error") {
				t.Errorf("bad error: %v", e)
			}
		}
		for _, q := range qs {
			checkQuestion(t, q, maxLine)
		}
		qs2, errs2 := gift.Parse(src)
		if !reflect.DeepEqual(qs, qs2) || !reflect.DeepEqual(errs, errs2) {
			t.Errorf("Parse is not deterministic")
		}
	})
}

func checkQuestion(t *testing.T, q gift.Question, maxLine int) {
	t.Helper()
	if q.Line < 1 || q.Line > maxLine {
		t.Errorf("question line %d outside 1..%d", q.Line, maxLine)
	}
	if q.Prompt == "" || strings.TrimSpace(q.Prompt) != q.Prompt {
		t.Errorf("line %d: prompt %q is empty or untrimmed", q.Line, q.Prompt)
	}
	for _, s := range append([]string{q.Prompt, q.Title, q.Explanation}, append(q.Tags, q.Accepted...)...) {
		if !utf8.ValidString(s) {
			t.Errorf("line %d: invalid UTF-8 in %q", q.Line, s)
		}
	}
	switch q.Type {
	case gift.SingleChoice, gift.MultipleChoice:
		if len(q.Options) < 2 {
			t.Errorf("line %d: choice question with %d options", q.Line, len(q.Options))
		}
		correct := 0
		for _, o := range q.Options {
			if o.Text == "" || !utf8.ValidString(o.Text) || !utf8.ValidString(o.Feedback) {
				t.Errorf("line %d: bad option %+v", q.Line, o)
			}
			right := o.Weight > 0 // multiple response: every positive weight
			if q.Type == gift.SingleChoice {
				right = o.Weight >= 99.5 // single choice: the full-credit answer; others may be partial
			}
			if o.Weight < -100 || o.Weight > 100 || math.IsNaN(o.Weight) || o.Correct != right {
				t.Errorf("line %d: bad option weight %+v", q.Line, o)
			}
			if o.Correct {
				correct++
			}
		}
		if q.Type == gift.SingleChoice && correct != 1 {
			t.Errorf("line %d: single choice with %d correct options", q.Line, correct)
		}
		if q.Type == gift.MultipleChoice && correct < 1 {
			t.Errorf("line %d: multiple choice with %d correct options", q.Line, correct)
		}
	case gift.TrueFalse:
	case gift.Numeric:
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || math.IsNaN(q.Tolerance) || math.IsInf(q.Tolerance, 0) || q.Tolerance < 0 {
			t.Errorf("line %d: bad numeric answer %v±%v", q.Line, q.Value, q.Tolerance)
		}
		for _, n := range q.Numbers {
			if math.IsNaN(n.Value) || math.IsInf(n.Value, 0) || n.Tolerance < 0 || math.IsInf(n.Tolerance, 0) || n.Weight < 0 || n.Weight > 100 {
				t.Errorf("line %d: bad numeric answer %+v", q.Line, n)
			}
		}
	case gift.ShortText:
		if len(q.Accepted) == 0 {
			t.Errorf("line %d: short answer without accepted answers", q.Line)
		}
		for _, a := range q.Accepted {
			if a == "" {
				t.Errorf("line %d: empty accepted answer", q.Line)
			}
		}
		for _, a := range q.Texts {
			if a.Text == "" || a.Weight < 0 || a.Weight > 100 || !utf8.ValidString(a.Text) || !utf8.ValidString(a.Feedback) {
				t.Errorf("line %d: bad short answer %+v", q.Line, a)
			}
		}
	default:
		t.Errorf("line %d: unknown type %q", q.Line, q.Type)
	}
	if q.Type != gift.SingleChoice && q.Type != gift.MultipleChoice && q.Options != nil {
		t.Errorf("line %d: %s question has options", q.Line, q.Type)
	}
	if q.Type != gift.Numeric && q.Numbers != nil {
		t.Errorf("line %d: %s question has numeric answers", q.Line, q.Type)
	}
	if q.Type != gift.ShortText && q.Texts != nil {
		t.Errorf("line %d: %s question has short answers", q.Line, q.Type)
	}
	if q.Type != gift.ShortText && q.Accepted != nil {
		t.Errorf("line %d: %s question has accepted answers", q.Line, q.Type)
	}
}
