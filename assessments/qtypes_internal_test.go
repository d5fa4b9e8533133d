package assessments

import (
	"encoding/json"
	"strings"
	"testing"
)

// typeSamples holds a valid question of every type, added by each type's
// own test file (qtype_*_test.go) through sample; the table test below
// checks each end to end and fails for a registered type without one.
var typeSamples = map[QuestionType]Question{}

// sample adds q as its type's sample; a second sample of a type panics.
func sample(q Question) struct{} {
	if _, dup := typeSamples[q.Type]; dup {
		panic("two samples of " + string(q.Type))
	}
	typeSamples[q.Type] = q
	return struct{}{}
}

func ptr[T any](v T) *T { return &v }

// TestEveryTypeInTheTable checks each row of the table the same way: a
// sample is valid, its model answers earn all or none of the points, its
// answer renders, and a page knows how to ask for it.
func TestEveryTypeInTheTable(t *testing.T) {
	for _, qt := range QuestionTypes() {
		t.Run(string(qt), func(t *testing.T) {
			q, ok := typeSamples[qt]
			if !ok {
				t.Fatalf("no sample question for %s: add one with sample in its qtype_*_test.go", qt)
			}
			if f := validateQuestion(q); len(f) > 0 {
				t.Fatalf("sample is not valid: %v", f)
			}
			right, wrong := ModelResponse(q, true), ModelResponse(q, false)
			if right.QuestionID != q.ID {
				t.Errorf("model response names %q, want %q", right.QuestionID, q.ID)
			}
			if got := Grade(q, &right); got != 1 {
				t.Errorf("right model answer earns %v, want 1", got)
			}
			if got := Grade(q, &wrong); got != 0 {
				t.Errorf("wrong model answer earns %v, want 0", got)
			}
			if got := Grade(q, nil); got != 0 {
				t.Errorf("no answer earns %v, want 0", got)
			}
			if qt.Control() == "" {
				t.Error("no control: a page cannot ask for it")
			}
			if (len(right.OptionIDs) > 0) != qt.IsChoice() {
				t.Errorf("IsChoice()=%v but the model answer has option ids %v", qt.IsChoice(), right.OptionIDs)
			}
			if qt.IsChoice() == (q.RightAnswerText() != "") {
				t.Errorf("RightAnswerText()=%q: pages say the answer of value types and mark options of choice types", q.RightAnswerText())
			}
			if _, err := json.Marshal(rightAnswer(q)); err != nil || rightAnswer(q) == nil {
				t.Errorf("right answer %v does not render: %v", rightAnswer(q), err)
			}
		})
	}
}

func TestUnknownTypeIsRefusedNamingEveryType(t *testing.T) {
	q := Question{Type: "essay", Prompt: "Write", Points: 1}
	f := validateQuestion(q)
	if len(f) == 0 || f[0].Field != "type" {
		t.Fatalf("got %v, want a type error", f)
	}
	for _, qt := range QuestionTypes() {
		if !strings.Contains(f[0].Message, string(qt)) {
			t.Errorf("message %q does not name %s", f[0].Message, qt)
		}
	}
	if g := Grade(q, &Response{QuestionID: "x", Value: ptr("anything")}); g != 0 {
		t.Errorf("an unknown type earns %v", g)
	}
}
