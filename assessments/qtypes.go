// qtypes.go is the table of question types: everything that varies by
// type (its rules, how it is graded, how its answer is read, shown and
// imported from GIFT, how a page asks for it) is one typeSpec, written in
// the type's own file (qtype_*.go), which also declares the type's
// QuestionType constant and registers it here. Adding a type is that file,
// its test file (qtype_*_test.go, with a sample), the QuestionType enum
// of app/server/openapi.yaml (a test there fails until it lists exactly
// the registered types) and the type's name in each language's catalogue
// (qtype.<type> in app/i18n/locales, which a site test asks for); grading,
// validation, the JSON edge, the GIFT import and the pages read the table.

package assessments

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// Control is how a page asks a learner for an answer.
type Control string

// The controls a page knows how to draw.
const (
	// ControlRadio: pick one option (answered with one option id).
	ControlRadio Control = "radio"
	// ControlCheckbox: tick any options (answered with option ids).
	ControlCheckbox Control = "checkbox"
	// ControlTrueFalse: pick true or false (answered with value "true" or "false").
	ControlTrueFalse Control = "true_false"
	// ControlNumber: type a number (answered with value).
	ControlNumber Control = "number"
	// ControlText: type a few words (answered with value).
	ControlText Control = "text"
)

// typeSpec is what one question type does. Functions left nil do nothing
// for the type.
type typeSpec struct {
	// control is how a page asks for the answer; radio and checkbox types
	// are answered with option ids, the rest with a value.
	control Control
	// hint is a rule a learner should know (LearnerQuestion.Hint).
	hint string
	// validate adds a message per broken rule of the type's own fields.
	validate func(q Question, add func(web.FieldError))
	// grade scores a response, from 0 to 1, with the feedback written
	// for the answer given.
	grade func(q Question, r Response) (float64, string)
	// answer is the right answer as the contract writes it in a review.
	answer func(q Question) any
	// authorAnswer, when set, is the answer its trainer reads instead of
	// answer (with feedback, or nothing when the options say it).
	authorAnswer func(q Question) any
	// readValue decodes a question request's answer.value into a.
	readValue func(raw json.RawMessage, a *Answer) error
	// fromGIFT copies a parsed GIFT question's answers into q.
	fromGIFT func(g gift.Question, q *Question)
	// text says the right answer in words for a page; "" when the page
	// marks the right options instead.
	text func(q Question) string
	// model is a response that earns all the points (right) or none.
	model func(q Question, right bool) Response
}

// typeEntry is one row of the table.
type typeEntry struct {
	t QuestionType
	// order places the type in the table: the contract's order, the one
	// messages list the types in.
	order int
	spec  typeSpec
}

// questionTypes is the table, sorted by order. Only register writes it,
// from the type files' init functions; it is never written after package
// initialisation.
var questionTypes []typeEntry

// register adds a type to the table at its order; it panics on a type or
// an order already taken, so two files cannot claim the same row.
func register(t QuestionType, order int, spec typeSpec) {
	for _, e := range questionTypes {
		if e.t == t || e.order == order {
			panic(fmt.Sprintf("assessments: question type %s (order %d) clashes with %s (order %d)", t, order, e.t, e.order))
		}
	}
	i, _ := slices.BinarySearchFunc(questionTypes, order, func(e typeEntry, o int) int { return e.order - o })
	questionTypes = slices.Insert(questionTypes, i, typeEntry{t: t, order: order, spec: spec})
}

// spec finds a type's behaviours; ok is false for a type not in the table.
func (t QuestionType) spec() (typeSpec, bool) {
	for _, e := range questionTypes {
		if e.t == t {
			return e.spec, true
		}
	}
	return typeSpec{}, false
}

// QuestionTypes lists every question type, in the contract's order.
func QuestionTypes() []QuestionType {
	out := make([]QuestionType, len(questionTypes))
	for i, e := range questionTypes {
		out[i] = e.t
	}
	return out
}

// typeNames is "single_choice, multiple_choice, ..." for messages.
func typeNames() string {
	names := make([]string, len(questionTypes))
	for i, e := range questionTypes {
		names[i] = string(e.t)
	}
	return strings.Join(names, ", ")
}

// Control says how a page asks for an answer to a question of this type
// ("" for a type not in the table).
func (t QuestionType) Control() Control {
	sp, _ := t.spec()
	return sp.control
}

// IsChoice reports whether learners answer with option ids.
func (t QuestionType) IsChoice() bool {
	c := t.Control()
	return c == ControlRadio || c == ControlCheckbox
}

// RightAnswerText says a question's right answer in words for a page
// ("true" or "false" for a true/false question, for the page to
// translate); "" for choice questions, whose page marks the right options.
func (q Question) RightAnswerText() string {
	if sp, ok := q.Type.spec(); ok && sp.text != nil {
		return sp.text(q)
	}
	return ""
}

// ModelResponse is a response to q that earns all its points (right) or
// none of them: what a test or a demonstration answers.
func ModelResponse(q Question, right bool) Response {
	if sp, ok := q.Type.spec(); ok && sp.model != nil {
		r := sp.model(q, right)
		r.QuestionID = q.ID
		return r
	}
	return Response{QuestionID: q.ID}
}

// rightAnswer renders a question's answer as the contract writes it, with
// the weights and further answers partial credit adds.
func rightAnswer(q Question) any {
	if sp, ok := q.Type.spec(); ok && sp.answer != nil {
		return sp.answer(q)
	}
	return nil
}

// authorAnswer is the answer a question's trainer reads.
func authorAnswer(q Question) any {
	sp, ok := q.Type.spec()
	if ok && sp.authorAnswer != nil {
		return sp.authorAnswer(q)
	}
	return rightAnswer(q)
}

// validateType checks the fields a question's type owns.
func validateType(q Question, add func(web.FieldError)) {
	sp, ok := q.Type.spec()
	if !ok {
		add(web.RuleOneOf.On("type", "Choices", typeNames()))
		return
	}
	if sp.validate != nil {
		sp.validate(q, add)
	}
}

// readAnswerValue decodes a request's answer.value for q's type; a type
// that has no value ignores it, and so does every type an absent or null one.
func readAnswerValue(q *Question, raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if sp, ok := q.Type.spec(); ok && sp.readValue != nil {
		return sp.readValue(raw, &q.Answer)
	}
	return nil
}

// answersFromGIFT copies a parsed GIFT question's answers into q.
func answersFromGIFT(g gift.Question, q *Question) {
	if sp, ok := q.Type.spec(); ok && sp.fromGIFT != nil {
		sp.fromGIFT(g, q)
	}
}

// decodeInto reads a JSON value into a new T and points *dst at it, for
// readValue.
func decodeInto[T any](raw json.RawMessage, dst **T) error {
	var v T
	err := json.Unmarshal(raw, &v)
	*dst = &v
	return err
}

// withList adds list to an answer's JSON under key when it has entries
// (the further answers partial credit adds).
func withList[T any](m map[string]any, key string, list []T) map[string]any {
	if len(list) > 0 {
		m[key] = list
	}
	return m
}

// hintOf is the rule a learner should know about a question's type.
func hintOf(t QuestionType) string {
	sp, _ := t.spec()
	return sp.hint
}
