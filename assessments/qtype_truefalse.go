// qtype_truefalse.go: true_false questions, answered "true" or "false".

package assessments

import (
	"encoding/json"
	"strconv"
	"strings"

	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// TrueFalse questions are answered "true" or "false".
const TrueFalse QuestionType = "true_false"

func init() { register(TrueFalse, 30, trueFalseSpec) }

var trueFalseSpec = typeSpec{
	control: ControlTrueFalse,
	validate: func(q Question, add func(web.FieldError)) {
		if q.Answer.Bool == nil {
			add(web.RuleTrueFalse.On("answer.value"))
		}
	},
	grade:  gradeTrueFalse,
	answer: func(q Question) any { return map[string]any{"value": q.Answer.Bool} },
	authorAnswer: func(q Question) any {
		if q.Answer.TrueFeedback == "" && q.Answer.FalseFeedback == "" {
			return map[string]any{"value": q.Answer.Bool}
		}
		return map[string]any{"value": q.Answer.Bool, "true_feedback": q.Answer.TrueFeedback, "false_feedback": q.Answer.FalseFeedback}
	},
	readValue: func(raw json.RawMessage, a *Answer) error { return decodeInto(raw, &a.Bool) },
	fromGIFT: func(g gift.Question, q *Question) {
		v := g.TrueFalse
		q.Answer.Bool = &v
		q.Answer.TrueFeedback, q.Answer.FalseFeedback = g.TrueFeedback, g.FalseFeedback
	},
	text: func(q Question) string {
		return strconv.FormatBool(q.Answer.Bool != nil && *q.Answer.Bool)
	},
	model: func(q Question, right bool) Response {
		v := strconv.FormatBool(q.Answer.Bool != nil && *q.Answer.Bool == right)
		return Response{Value: &v}
	},
}

// gradeTrueFalse earns 1 when the value, "true" or "false" in any letter
// case and trimmed of spaces, matches.
func gradeTrueFalse(q Question, r Response) (float64, string) {
	if r.Value == nil || q.Answer.Bool == nil {
		return 0, ""
	}
	switch strings.ToLower(strings.TrimSpace(*r.Value)) {
	case "true":
		return boolFraction(*q.Answer.Bool), q.Answer.TrueFeedback
	case "false":
		return boolFraction(!*q.Answer.Bool), q.Answer.FalseFeedback
	}
	return 0, ""
}
