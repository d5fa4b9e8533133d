// qtype_shorttext.go: short_text questions, answered with a few words
// matched as a fair marker would (MatchText).

package assessments

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// ShortText questions are answered with a few words.
const ShortText QuestionType = "short_text"

func init() { register(ShortText, 50, shortTextSpec) }

var shortTextSpec = typeSpec{
	control:  ControlText,
	validate: validateShortText,
	grade:    gradeShortText,
	answer: func(q Question) any {
		return withList(map[string]any{"accepted": q.Answer.Accepted, "allow_typo": q.Answer.AllowTypo}, "weighted", q.Answer.Weighted)
	},
	fromGIFT: func(g gift.Question, q *Question) {
		q.Answer.Accepted = slices.Clone(g.Accepted)
		for _, t := range g.Texts {
			q.Answer.Weighted = append(q.Answer.Weighted, TextAnswer(t))
		}
	},
	text: func(q Question) string { return strings.Join(q.Answer.Accepted, " / ") },
	model: func(q Question, right bool) Response {
		v := "definitely not it"
		if right && len(q.Answer.Accepted) > 0 {
			v = strings.ToUpper(q.Answer.Accepted[0])
		}
		return Response{Value: &v}
	},
}

func validateShortText(q Question, add func(web.FieldError)) {
	if !slices.ContainsFunc(q.Answer.Accepted, func(a string) bool { return NormalizeText(a) != "" }) {
		add(web.RuleAcceptedNeeded.On("answer.accepted"))
	}
	for i, a := range q.Answer.Weighted {
		if NormalizeText(a.Text) == "" || a.Weight < 0 || a.Weight > 100 || math.IsNaN(a.Weight) {
			add(web.RuleWeightedAnswer.On(fmt.Sprintf("answer.weighted[%d]", i)))
		}
	}
}

// gradeShortText earns the best weight among the accepted answers that
// match; at equal weight the one with feedback, so a learner reads what
// was written for their answer.
func gradeShortText(q Question, r Response) (float64, string) {
	if r.Value == nil {
		return 0, ""
	}
	best, feedback, matched := 0.0, "", false
	for _, a := range q.Answer.Weighted {
		w := clamp01(a.Weight / 100)
		if (w > best || (w == best && feedback == "")) && MatchText(a.Text, *r.Value, q.Answer.AllowTypo) {
			best, feedback, matched = w, a.Feedback, true
		}
	}
	if best < 1 && slices.ContainsFunc(q.Answer.Accepted, func(a string) bool { return MatchText(a, *r.Value, q.Answer.AllowTypo) }) {
		best, feedback, matched = 1, "", true
	}
	if !matched {
		feedback = q.Answer.OtherFeedback
	}
	return best, feedback
}
