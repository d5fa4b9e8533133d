// qtype_numeric.go: numeric questions, answered with a number within a
// tolerance, with further values for partial credit.

package assessments

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// Numeric questions are answered with a number.
const Numeric QuestionType = "numeric"

func init() { register(Numeric, 40, numericSpec) }

var numericSpec = typeSpec{
	control:  ControlNumber,
	validate: validateNumeric,
	grade:    gradeNumeric,
	answer: func(q Question) any {
		return withList(map[string]any{"value": q.Answer.Value, "tolerance": q.Answer.Tolerance}, "values", q.Answer.Values)
	},
	readValue: func(raw json.RawMessage, a *Answer) error { return decodeInto(raw, &a.Value) },
	fromGIFT: func(g gift.Question, q *Question) {
		v := g.Value
		q.Answer.Value, q.Answer.Tolerance = &v, g.Tolerance
		for _, n := range g.Numbers {
			q.Answer.Values = append(q.Answer.Values, NumericAnswer(n))
		}
		q.Answer.OtherFeedback = g.OtherFeedback
	},
	text: func(q Question) string {
		switch {
		case q.Answer.Value == nil:
			return ""
		case q.Answer.Tolerance > 0:
			return fmt.Sprintf("%g ± %g", *q.Answer.Value, q.Answer.Tolerance)
		}
		return fmt.Sprintf("%g", *q.Answer.Value)
	},
	model: func(q Question, right bool) Response {
		v := 0.0
		if q.Answer.Value != nil {
			v = *q.Answer.Value
		}
		if !right {
			v += q.Answer.Tolerance + 1000
		}
		s := strconv.FormatFloat(v, 'g', -1, 64)
		return Response{Value: &s}
	},
}

func validateNumeric(q Question, add func(web.FieldError)) {
	if q.Answer.Value == nil || math.IsNaN(*q.Answer.Value) || math.IsInf(*q.Answer.Value, 0) {
		add(web.RuleTypeNumber.On("answer.value"))
	}
	if q.Answer.Tolerance < 0 || math.IsNaN(q.Answer.Tolerance) {
		add(web.Negative("answer.tolerance"))
	}
	for i, v := range q.Answer.Values {
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || v.Tolerance < 0 || math.IsNaN(v.Tolerance) || math.IsInf(v.Tolerance, 0) {
			add(web.RuleValueTolerance.On(fmt.Sprintf("answer.values[%d]", i)))
		}
		if v.Weight < 0 || v.Weight > 100 || math.IsNaN(v.Weight) {
			add(web.Between(fmt.Sprintf("answer.values[%d].weight", i), 0, 100))
		}
	}
}

// gradeNumeric earns the best weight among the accepted values whose
// |value - answer| <= tolerance; a comma reads as a decimal point.
func gradeNumeric(q Question, r Response) (float64, string) {
	if r.Value == nil || q.Answer.Value == nil {
		return 0, ""
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(*r.Value, ",", ".")), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, q.Answer.OtherFeedback
	}
	best, feedback, matched := 0.0, "", false
	if math.Abs(v-*q.Answer.Value) <= q.Answer.Tolerance+numericEpsilon {
		best, matched = 1, true
	}
	for _, a := range q.Answer.Values {
		w := clamp01(a.Weight / 100)
		if math.Abs(v-a.Value) > a.Tolerance+numericEpsilon {
			continue
		}
		if !matched || w > best || (w == best && feedback == "") {
			best, feedback, matched = max(best, w), a.Feedback, true
		}
	}
	if !matched {
		feedback = q.Answer.OtherFeedback
	}
	return best, feedback
}
