package assessments

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// numericEpsilon absorbs floating-point noise at the tolerance boundary.
const numericEpsilon = 1e-9

// Grade scores one response to one question and returns the fraction of
// the question's points earned, from 0 to 1. It is a pure function.
//
//   - single_choice: the picked option's weight (1 for the correct option
//     when no weights are set); exactly one pick, else 0.
//   - multiple_choice without weights: partial credit. With R the correct
//     options, r the correct ones picked and w the incorrect ones picked,
//     the fraction is max(0, (r - w) / |R|): each wrong pick cancels a
//     right one. Every unknown or repeated option id counts as one wrong
//     pick. With weights (GIFT "~%50%a ~%-50%b", as Moodle grades multiple
//     response): the sum of the weights of the distinct options ticked,
//     clamped to 0..1; an unknown id earns nothing.
//   - true_false: 1 when the value, "true" or "false" in any letter case
//     and trimmed of spaces, matches; anything else earns 0.
//   - numeric: the best weight among the accepted values whose
//     |value - answer| <= tolerance.
//   - short_text: the best weight among the accepted answers that match
//     as a fair marker would (see MatchText).
//
// A missing or unparsable response earns 0.
func Grade(q Question, r *Response) float64 {
	f, _ := GradeWithFeedback(q, r)
	return f
}

// GradeWithFeedback is Grade that also returns the feedback written for
// the answer given (GIFT "#..."), "" when there is none.
func GradeWithFeedback(q Question, r *Response) (float64, string) {
	if r == nil {
		return 0, ""
	}
	if sp, ok := q.Type.spec(); ok && sp.grade != nil {
		return sp.grade(q, *r)
	}
	return 0, ""
}

// gradeMultiple grades a multiple-response answer.
func gradeMultiple(q Question, picked []string) (float64, string) {
	weighted := slices.ContainsFunc(q.Options, func(o Option) bool { return o.Weight != nil })
	byID := make(map[string]Option, len(q.Options))
	total := 0
	for _, o := range q.Options {
		byID[o.ID] = o
		if o.Correct {
			total++
		}
	}
	seen := map[string]bool{}
	var feedback []string
	if weighted {
		sum := 0.0
		for _, id := range picked {
			o, ok := byID[id]
			if !ok || seen[id] {
				continue
			}
			seen[id] = true
			if o.Weight != nil {
				sum += *o.Weight
			} else if o.Correct {
				sum += 100 / float64(max(total, 1))
			}
			if o.Feedback != "" {
				feedback = append(feedback, o.Feedback)
			}
		}
		return clamp01(sum / 100), strings.Join(feedback, "\n")
	}
	if total == 0 {
		return 0, ""
	}
	right, wrong := 0, 0
	for _, id := range picked {
		o, known := byID[id]
		switch {
		case seen[id] || !known:
			wrong++
		case o.Correct:
			right++
		default:
			wrong++
		}
		if known && !seen[id] && o.Feedback != "" {
			feedback = append(feedback, o.Feedback)
		}
		seen[id] = true
	}
	return math.Max(0, float64(right-wrong)/float64(total)), strings.Join(feedback, "\n")
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return math.Min(1, math.Max(0, x))
}

func boolFraction(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// NormalizeText is how a fair marker reads a typed answer: Unicode NFC
// (so the two ways of typing a Hindi nukta letter are one), case folded,
// punctuation and invisible format characters (zero-width joiners)
// dropped, and runs of white space collapsed to one space.
func NormalizeText(s string) string {
	s = cases.Fold().String(norm.NFC.String(s))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsPunct(r), unicode.Is(unicode.Cf, r):
			// "New Delhi." and "e-mail": punctuation does not make an answer wrong.
			if r == '-' || r == '/' || r == '\u2010' || r == '\u2013' {
				b.WriteRune(' ') // a hyphen between words separates them
			}
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	// NFC again: a dropped format character may leave composable marks.
	return strings.Join(strings.Fields(norm.NFC.String(b.String())), " ")
}

// MatchText reports whether a typed answer matches an accepted one as a
// fair marker would: equal after NormalizeText, or equal ignoring spaces
// ("NewDelhi", "e mail"), or — when allowTypo — off by one typo (one
// letter wrong, missing, extra, or two neighbours swapped) in a single
// word of at least six letters. It is a pure function.
func MatchText(accepted, typed string, allowTypo bool) bool {
	a, t := NormalizeText(accepted), NormalizeText(typed)
	if a == "" || t == "" {
		return false
	}
	if a == t || strings.ReplaceAll(a, " ", "") == strings.ReplaceAll(t, " ", "") {
		return true
	}
	if !allowTypo {
		return false
	}
	aw, tw := strings.Fields(a), strings.Fields(t)
	if len(aw) != len(tw) {
		return false
	}
	typos := 0
	for i := range aw {
		if aw[i] == tw[i] {
			continue
		}
		ar := []rune(aw[i])
		if len(ar) < minTypoWordLetters || typos > 0 || DamerauLevenshtein(ar, []rune(tw[i])) > 1 {
			return false
		}
		typos++
	}
	return true
}

// minTypoWordLetters is the shortest word in which one typo is forgiven:
// in shorter words one letter often makes another word.
const minTypoWordLetters = 6

// DamerauLevenshtein is the optimal-string-alignment edit distance:
// insertions, deletions, substitutions and swaps of neighbours each cost 1.
func DamerauLevenshtein(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
		f, feedback := GradeWithFeedback(q, r)
		pts := f * q.Points
		out.Results[i] = Result{QuestionID: q.ID, Correct: f == 1, PointsAwarded: round2(pts), MaxPoints: q.Points, Feedback: feedback}
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
