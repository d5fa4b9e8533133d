package assessments

import (
	"encoding/json"
	"strings"
	"testing"
)

// typeSamples holds a valid question of every type: a new type adds its
// sample here, and the table test below checks it end to end.
var typeSamples = map[QuestionType]Question{
	SingleChoice: {ID: "q1", Type: SingleChoice, Prompt: "Pick", Points: 1,
		Options: []Option{{ID: "a", Text: "yes", Correct: true}, {ID: "b", Text: "no"}}},
	MultipleChoice: {ID: "q2", Type: MultipleChoice, Prompt: "Tick", Points: 2,
		Options: []Option{{ID: "a", Text: "one", Correct: true}, {ID: "b", Text: "two", Correct: true}, {ID: "c", Text: "three"}}},
	TrueFalse: {ID: "q3", Type: TrueFalse, Prompt: "True?", Points: 1, Answer: Answer{Bool: new(bool)}},
	Numeric:   {ID: "q4", Type: Numeric, Prompt: "How many?", Points: 1, Answer: Answer{Value: ptr(42.5), Tolerance: 0.5}},
	ShortText: {ID: "q5", Type: ShortText, Prompt: "Capital?", Points: 1, Answer: Answer{Accepted: []string{"New Delhi"}}},
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
				t.Fatalf("no sample question for %s in typeSamples", qt)
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
