package assessments

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
)

// numericEpsilon absorbs floating-point noise at the tolerance boundary.
const numericEpsilon = 1e-9

// Grade scores one response to one question and returns the fraction of
// the question's points earned, from 0 to 1. It is a pure function.
//
//   - single_choice: 1 when exactly one option is picked and it is correct.
//   - multiple_choice: partial credit. With R the correct options,
//     r the correct ones picked and w the incorrect ones picked, the
//     fraction is max(0, (r - w) / |R|): each wrong pick cancels a right
//     one (so ticking every box earns nothing when at least half the
//     options are wrong), and the result is floored at zero. Every
//     unknown or repeated option id counts as one wrong pick.
//   - true_false: 1 when the value, "true" or "false" in any letter case
//     and trimmed of spaces, matches; anything else earns 0.
//   - numeric: 1 when |value - answer| <= tolerance.
//   - short_text: 1 when the value equals an accepted answer after
//     normalising: Unicode case folded, trimmed, runs of white space
//     collapsed.
//
// A missing or unparsable response earns 0.
func Grade(q Question, r *Response) float64 {
	if r == nil {
		return 0
	}
	switch q.Type {
	case SingleChoice:
		if len(r.OptionIDs) != 1 {
			return 0
		}
		for _, o := range q.Options {
			if o.ID == r.OptionIDs[0] {
				return boolFraction(o.Correct)
			}
		}
		return 0
	case MultipleChoice:
		correct := map[string]bool{}
		known := map[string]bool{}
		total := 0
		for _, o := range q.Options {
			known[o.ID] = true
			if o.Correct {
				correct[o.ID] = true
				total++
			}
		}
		if total == 0 {
			return 0
		}
		seen := map[string]bool{}
		right, wrong := 0, 0
		for _, id := range r.OptionIDs {
			switch {
			case seen[id] || !known[id]:
				wrong++
			case correct[id]:
				right++
			default:
				wrong++
			}
			seen[id] = true
		}
		return math.Max(0, float64(right-wrong)/float64(total))
	case TrueFalse:
		if r.Value == nil || q.Answer.Bool == nil {
			return 0
		}
		switch strings.ToLower(strings.TrimSpace(*r.Value)) {
		case "true":
			return boolFraction(*q.Answer.Bool)
		case "false":
			return boolFraction(!*q.Answer.Bool)
		}
		return 0
	case Numeric:
		if r.Value == nil || q.Answer.Value == nil {
			return 0
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(*r.Value, ",", ".")), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0
		}
		return boolFraction(math.Abs(v-*q.Answer.Value) <= q.Answer.Tolerance+numericEpsilon)
	case ShortText:
		if r.Value == nil {
			return 0
		}
		got := NormalizeText(*r.Value)
		if got == "" {
			return 0
		}
		for _, a := range q.Answer.Accepted {
			if NormalizeText(a) == got {
				return 1
			}
		}
	}
	return 0
}

func boolFraction(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// NormalizeText case-folds and collapses white space, so that "New  Delhi"
// and "new delhi" match.
func NormalizeText(s string) string {
	return strings.Join(strings.FieldsFunc(cases.Fold().String(s), unicode.IsSpace), " ")
}

// Outcome is a graded attempt's totals.
type Outcome struct {
	Score    float64
	MaxScore float64
	Percent  float64
	Passed   bool
	Results  []Result
}

// GradeAttempt grades every question of a form against the responses and
// applies the pass mark. Totals are summed unrounded; points awarded,
// score and percent are then rounded to two decimals for display.
func GradeAttempt(form []Question, responses map[string]Response, passPercent float64) Outcome {
	var out Outcome
	out.Results = make([]Result, len(form))
	for i, q := range form {
		var r *Response
		if resp, ok := responses[q.ID]; ok {
			r = &resp
		}
		f := Grade(q, r)
		pts := f * q.Points
		out.Results[i] = Result{QuestionID: q.ID, Correct: f == 1, PointsAwarded: round2(pts), MaxPoints: q.Points}
		out.Score += pts
		out.MaxScore += q.Points
	}
	exact := 0.0
	if out.MaxScore > 0 {
		exact = out.Score / out.MaxScore * 100
	}
	out.Score, out.MaxScore, out.Percent = round2(out.Score), round2(out.MaxScore), round2(exact)
	// The pass mark applies to the percent the learner is shown.
	out.Passed = out.MaxScore > 0 && out.Percent+numericEpsilon >= passPercent
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
