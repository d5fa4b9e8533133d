// qtype_choice.go: single_choice and multiple_choice questions, answered
// by picking options.

package assessments

import (
	"fmt"
	"math"
	"strings"

	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// SingleChoice questions are answered by picking one option;
// MultipleChoice ones by ticking any options.
const (
	SingleChoice   QuestionType = "single_choice"
	MultipleChoice QuestionType = "multiple_choice"
)

func init() {
	register(SingleChoice, 10, singleChoiceSpec)
	register(MultipleChoice, 20, multipleChoiceSpec)
}

var singleChoiceSpec = typeSpec{
	control:      ControlRadio,
	validate:     validateChoice,
	grade:        gradeSingle,
	answer:       rightOptions,
	authorAnswer: func(Question) any { return nil }, // the options carry "correct"
	fromGIFT:     optionsFromGIFT,
	model:        modelChoice,
}

var multipleChoiceSpec = typeSpec{
	control:      ControlCheckbox,
	hint:         HintWrongTicksSubtract,
	validate:     validateChoice,
	grade:        func(q Question, r Response) (float64, string) { return gradeMultiple(q, r.OptionIDs) },
	answer:       rightOptions,
	authorAnswer: func(Question) any { return nil },
	fromGIFT:     optionsFromGIFT,
	model:        modelChoice,
}

// validateChoice checks the options of a choice question.
func validateChoice(q Question, add func(web.FieldError)) {
	if len(q.Options) < 2 || len(q.Options) > 20 {
		add(web.RuleOptionCount.On("options", "Min", 2, "Max", 20))
	}
	correct := 0
	for i, o := range q.Options {
		if strings.TrimSpace(o.Text) == "" {
			add(web.Required(fmt.Sprintf("options[%d].text", i)))
		}
		if o.Weight != nil {
			if w := *o.Weight; math.IsNaN(w) || w < -100 || w > 100 {
				add(web.Between(fmt.Sprintf("options[%d].weight", i), -100, 100))
			} else if q.Type == MultipleChoice && (w > 0) != o.Correct {
				add(web.RuleWeightSign.On(fmt.Sprintf("options[%d].weight", i)))
			} else if q.Type == SingleChoice && (w >= 100-weightSlack) != o.Correct {
				add(web.RuleWeightSingle.On(fmt.Sprintf("options[%d].weight", i)))
			}
		}
		if o.Correct {
			correct++
		}
	}
	switch {
	case correct == 0:
		add(web.RuleNoCorrect.On("options"))
	case q.Type == SingleChoice && correct > 1:
		add(web.RuleOneCorrect.On("options"))
	}
}

// gradeSingle earns the picked option's weight (1 for the correct option
// when no weights are set); exactly one pick, else 0.
func gradeSingle(q Question, r Response) (float64, string) {
	if len(r.OptionIDs) != 1 {
		return 0, ""
	}
	for _, o := range q.Options {
		if o.ID == r.OptionIDs[0] {
			if o.Weight != nil {
				return clamp01(*o.Weight / 100), o.Feedback
			}
			return boolFraction(o.Correct), o.Feedback
		}
	}
	return 0, ""
}

// rightOptions is {"option_ids": [the correct options]}.
func rightOptions(q Question) any {
	ids := []string{}
	for _, o := range q.Options {
		if o.Correct {
			ids = append(ids, o.ID)
		}
	}
	return map[string]any{"option_ids": ids}
}

func optionsFromGIFT(g gift.Question, q *Question) {
	for _, o := range g.Options {
		opt := Option{Text: o.Text, Correct: o.Correct, Feedback: o.Feedback}
		if g.Weighted {
			w := o.Weight
			opt.Weight = &w
		}
		q.Options = append(q.Options, opt)
	}
}

// modelChoice ticks the correct options (right) or the others.
func modelChoice(q Question, right bool) Response {
	picks := []string{}
	for _, o := range q.Options {
		if o.Correct == right {
			picks = append(picks, o.ID)
		}
	}
	return Response{OptionIDs: picks}
}
