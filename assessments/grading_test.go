package assessments_test

import (
	"fmt"
	"math"
	"testing"

	"skillgate/assessments"
)

// eps is the tolerance for comparing exact fractions and totals.
const eps = 1e-9

func strp(s string) *string     { return &s }
func f64p(f float64) *float64   { return &f }
func boolp(b bool) *bool        { return &b }
func ids(xs ...string) []string { return xs }

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// gradeCase is one row of a Grade table.
type gradeCase struct {
	name string
	q    assessments.Question
	r    *assessments.Response
	want float64
}

func runGradeCases(t *testing.T, cases []gradeCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			got := assessments.Grade(tc.q, tc.r)
			if math.IsNaN(got) || got < 0 || got > 1 {
				t.Fatalf("Grade = %v, want a fraction in [0, 1]", got)
			}
			if !near(got, tc.want, eps) {
				t.Errorf("Grade = %v, want %v", got, tc.want)
			}
		})
	}
}

func opts(correct string, all ...string) []assessments.Option {
	isCorrect := map[string]bool{}
	for _, c := range correct {
		isCorrect[string(c)] = true
	}
	out := make([]assessments.Option, 0, len(all))
	for _, id := range all {
		out = append(out, assessments.Option{ID: id, Text: "option " + id, Correct: isCorrect[id]})
	}
	return out
}

func choiceQ(typ assessments.QuestionType, correct string, all ...string) assessments.Question {
	return assessments.Question{ID: "q", Type: typ, Points: 1, Options: opts(correct, all...)}
}

func picks(xs ...string) *assessments.Response {
	return &assessments.Response{QuestionID: "q", OptionIDs: xs}
}

func value(s string) *assessments.Response {
	return &assessments.Response{QuestionID: "q", Value: &s}
}

func tfQ(answer bool) assessments.Question {
	return assessments.Question{ID: "q", Type: assessments.TrueFalse, Points: 1, Answer: assessments.Answer{Bool: boolp(answer)}}
}

func numQ(answer, tolerance float64) assessments.Question {
	return assessments.Question{ID: "q", Type: assessments.Numeric, Points: 1, Answer: assessments.Answer{Value: f64p(answer), Tolerance: tolerance}}
}

func textQ(accepted ...string) assessments.Question {
	return assessments.Question{ID: "q", Type: assessments.ShortText, Points: 1, Answer: assessments.Answer{Accepted: accepted}}
}

func TestGradeSingleChoice(t *testing.T) {
	q := choiceQ(assessments.SingleChoice, "a", "a", "b", "c")
	noneCorrect := choiceQ(assessments.SingleChoice, "", "a", "b", "c")
	runGradeCases(t, []gradeCase{
		{"right pick", q, picks("a"), 1},
		{"wrong pick", q, picks("b"), 0},
		{"other wrong pick", q, picks("c"), 0},
		{"two picks right first", q, picks("a", "b"), 0},
		{"two picks right last", q, picks("b", "a"), 0},
		{"every option picked", q, picks("a", "b", "c"), 0},
		{"zero picks empty slice", q, picks(), 0},
		{"zero picks nil slice", q, &assessments.Response{QuestionID: "q"}, 0},
		{"unknown id", q, picks("z"), 0},
		{"empty id", q, picks(""), 0},
		{"unknown id next to right pick", q, picks("a", "z"), 0},
		{"value instead of option ids", q, value("a"), 0},
		{"missing response", q, nil, 0},
		{"question without correct option", noneCorrect, picks("a"), 0},
		{"question without options", choiceQ(assessments.SingleChoice, ""), picks("a"), 0},
	})
}

func TestGradeMultipleChoice(t *testing.T) {
	// 2 right (a, b) of 4.
	two := choiceQ(assessments.MultipleChoice, "ab", "a", "b", "c", "d")
	// 3 right (a, b, c) of 5.
	three := choiceQ(assessments.MultipleChoice, "abc", "a", "b", "c", "d", "e")
	// 1 right (a) of 3.
	one := choiceQ(assessments.MultipleChoice, "a", "a", "b", "c")
	// No right option at all: must not divide by zero.
	none := choiceQ(assessments.MultipleChoice, "", "a", "b")
	runGradeCases(t, []gradeCase{
		// 2 of 4.
		{"2of4 all right", two, picks("a", "b"), 1},
		{"2of4 all right other order", two, picks("b", "a"), 1},
		{"2of4 half right a", two, picks("a"), 0.5},
		{"2of4 half right b", two, picks("b"), 0.5},
		{"2of4 one right one wrong", two, picks("a", "c"), 0},
		{"2of4 two right one wrong", two, picks("a", "b", "c"), 0.5},
		{"2of4 all boxes ticked", two, picks("a", "b", "c", "d"), 0},
		{"2of4 only wrong floored at zero", two, picks("c"), 0},
		{"2of4 all wrong floored at zero", two, picks("c", "d"), 0},
		{"2of4 one right two wrong floored", two, picks("a", "c", "d"), 0},
		{"2of4 zero picks empty slice", two, picks(), 0},
		{"2of4 zero picks nil slice", two, &assessments.Response{QuestionID: "q"}, 0},
		{"2of4 duplicate right id", two, picks("a", "a"), 0},
		{"2of4 all right plus one duplicate", two, picks("a", "b", "a"), 0.5},
		{"2of4 all right both duplicated", two, picks("a", "b", "b", "a"), 0},
		{"2of4 unknown id alone", two, picks("x"), 0},
		{"2of4 right plus unknown id", two, picks("a", "x"), 0},
		{"2of4 all right plus unknown id", two, picks("a", "b", "x"), 0.5},
		{"2of4 empty id counts as wrong", two, picks("a", "b", ""), 0.5},
		{"2of4 value instead of option ids", two, value("a"), 0},
		{"2of4 missing response", two, nil, 0},
		// 3 of 5.
		{"3of5 one right is one third", three, picks("a"), 1.0 / 3},
		{"3of5 two right is two thirds", three, picks("a", "b"), 2.0 / 3},
		{"3of5 two right other pair", three, picks("c", "b"), 2.0 / 3},
		{"3of5 all right", three, picks("a", "b", "c"), 1},
		{"3of5 all right one wrong", three, picks("a", "b", "c", "d"), 2.0 / 3},
		{"3of5 two right one wrong", three, picks("a", "b", "d"), 1.0 / 3},
		{"3of5 two right one unknown", three, picks("a", "b", "x"), 1.0 / 3},
		{"3of5 two right one duplicate", three, picks("a", "b", "b"), 1.0 / 3},
		{"3of5 one right one wrong", three, picks("a", "d"), 0},
		{"3of5 every box ticked per formula", three, picks("a", "b", "c", "d", "e"), 1.0 / 3},
		{"3of5 one right two wrong floored", three, picks("a", "d", "e"), 0},
		// 1 of 3.
		{"1of3 right", one, picks("a"), 1},
		{"1of3 right plus wrong", one, picks("a", "b"), 0},
		{"1of3 every box ticked", one, picks("a", "b", "c"), 0},
		// No right option.
		{"no right option with pick", none, picks("a"), 0},
		{"no right option without pick", none, picks(), 0},
	})
}

func TestGradeTrueFalse(t *testing.T) {
	yes, no := tfQ(true), tfQ(false)
	noAnswer := assessments.Question{ID: "q", Type: assessments.TrueFalse, Points: 1}
	runGradeCases(t, []gradeCase{
		{"answer true: true", yes, value("true"), 1},
		{"answer true: TRUE", yes, value("TRUE"), 1},
		{"answer true: True", yes, value("True"), 1},
		{"answer true: tRuE", yes, value("tRuE"), 1},
		{"answer true: padded True", yes, value(" True "), 1},
		{"answer true: tab and newline padded", yes, value("\ttrue\n"), 1},
		{"answer true: false", yes, value("false"), 0},
		{"answer true: FALSE", yes, value("FALSE"), 0},
		{"answer true: yes", yes, value("yes"), 0},
		{"answer true: no", yes, value("no"), 0},
		{"answer true: 1 is not true/false", yes, value("1"), 0},
		{"answer true: t is not true/false", yes, value("t"), 0},
		{"answer true: truee", yes, value("truee"), 0},
		{"answer true: inner space", yes, value("tr ue"), 0},
		{"answer true: empty", yes, value(""), 0},
		{"answer true: blank", yes, value("   "), 0},
		{"answer true: option ids only", yes, picks("true"), 0},
		{"answer true: nil value", yes, &assessments.Response{QuestionID: "q"}, 0},
		{"answer true: missing response", yes, nil, 0},
		{"answer false: false", no, value("false"), 1},
		{"answer false: FALSE", no, value("FALSE"), 1},
		{"answer false: padded False", no, value(" False "), 1},
		{"answer false: true", no, value("true"), 0},
		{"answer false: TRUE", no, value("TRUE"), 0},
		{"answer false: no", no, value("no"), 0},
		{"answer false: 0 is not true/false", no, value("0"), 0},
		{"answer false: f is not true/false", no, value("f"), 0},
		{"answer false: empty", no, value(""), 0},
		{"answer false: missing response", no, nil, 0},
		{"no stored answer: true", noAnswer, value("true"), 0},
		{"no stored answer: false", noAnswer, value("false"), 0},
	})
}

func TestGradeNumeric(t *testing.T) {
	exact := numQ(42.5, 0)
	tol := numQ(10, 0.5)
	pointThree := numQ(0.3, 0)
	sumAnswer := numQ(0.1+0.2, 0)
	tenth := numQ(1.1, 0.1)
	negative := numQ(-3.5, 0.25)
	zero := numQ(0, 0)
	big := numQ(1e6, 0.5)
	noAnswer := assessments.Question{ID: "q", Type: assessments.Numeric, Points: 1}
	runGradeCases(t, []gradeCase{
		{"exact", exact, value("42.5"), 1},
		{"exact trailing zero", exact, value("42.50"), 1},
		{"exact exponent form", exact, value("4.25e1"), 1},
		{"exact explicit plus", exact, value("+42.5"), 1},
		{"exact padded", exact, value(" 42.5 "), 1},
		{"comma decimal", exact, value("42,5"), 1},
		{"off by a tenth with tolerance 0", exact, value("42.6"), 0},
		{"integer part only", exact, value("42"), 0},
		{"wrong sign", exact, value("-42.5"), 0},
		{"empty", exact, value(""), 0},
		{"blank", exact, value("   "), 0},
		{"letters", exact, value("abc"), 0},
		{"number then letters", exact, value("42.5abc"), 0},
		{"unit suffix", exact, value("42.5 kg"), 0},
		{"two commas", exact, value("4,2,5"), 0},
		{"NaN", exact, value("NaN"), 0},
		{"nan lower case", exact, value("nan"), 0},
		{"Inf", exact, value("Inf"), 0},
		{"+Inf", exact, value("+Inf"), 0},
		{"-Inf", exact, value("-Inf"), 0},
		{"Infinity", exact, value("Infinity"), 0},
		{"overflow", exact, value("1e400"), 0},
		{"option ids only", exact, picks("42.5"), 0},
		{"nil value", exact, &assessments.Response{QuestionID: "q"}, 0},
		{"missing response", exact, nil, 0},
		{"no stored answer", noAnswer, value("0"), 0},
		{"inside tolerance above", tol, value("10.4"), 1},
		{"inside tolerance below", tol, value("9.6"), 1},
		{"exact with tolerance", tol, value("10"), 1},
		{"at upper tolerance boundary", tol, value("10.5"), 1},
		{"at lower tolerance boundary", tol, value("9.5"), 1},
		{"just outside upper boundary", tol, value("10.51"), 0},
		{"just outside lower boundary", tol, value("9.49"), 0},
		{"far outside", tol, value("11"), 0},
		{"0.1+0.2 typed against 0.3 tolerance 0", pointThree, value("0.30000000000000004"), 1},
		{"0.3 typed against 0.1+0.2 tolerance 0", sumAnswer, value("0.3"), 1},
		{"0.3 against 0.3 tolerance 0", pointThree, value("0.3"), 1},
		{"0.31 against 0.3 tolerance 0", pointThree, value("0.31"), 0},
		{"boundary 1.0 against 1.1 tolerance 0.1", tenth, value("1.0"), 1},
		{"boundary 1.2 against 1.1 tolerance 0.1", tenth, value("1.2"), 1},
		{"comma boundary 1,2 against 1.1 tolerance 0.1", tenth, value("1,2"), 1},
		{"0.99 against 1.1 tolerance 0.1", tenth, value("0.99"), 0},
		{"1.21 against 1.1 tolerance 0.1", tenth, value("1.21"), 0},
		{"negative exact", negative, value("-3.5"), 1},
		{"negative upper boundary", negative, value("-3.25"), 1},
		{"negative lower boundary", negative, value("-3.75"), 1},
		{"negative outside", negative, value("-3.8"), 0},
		{"negative answered positive", negative, value("3.5"), 0},
		{"zero", zero, value("0"), 1},
		{"negative zero", zero, value("-0"), 1},
		{"zero with decimals", zero, value("0.000"), 1},
		{"large at boundary", big, value("1000000.5"), 1},
		{"large outside", big, value("1000000.6"), 0},
		{"thousands separators", big, value("1,000,000"), 0},
	})
}

func TestGradeShortText(t *testing.T) {
	delhi := textQ("New Delhi", "Dilli")
	hindi := textQ("नई दिल्ली")
	messyAccepted := textQ("  New \t Delhi ")
	greek := textQ("λόγος")
	runGradeCases(t, []gradeCase{
		{"exact", delhi, value("New Delhi"), 1},
		{"lower case", delhi, value("new delhi"), 1},
		{"upper case", delhi, value("NEW DELHI"), 1},
		{"mixed case", delhi, value("nEw DeLhI"), 1},
		{"second accepted answer", delhi, value("dilli"), 1},
		{"extra inner spaces", delhi, value("New    Delhi"), 1},
		{"inner tab", delhi, value("New\tDelhi"), 1},
		{"inner newline", delhi, value("New\nDelhi"), 1},
		{"inner CRLF and tabs", delhi, value("New\r\n\t Delhi"), 1},
		{"leading and trailing space", delhi, value("  New Delhi  "), 1},
		{"leading and trailing newlines", delhi, value("\nNew Delhi\n"), 1},
		{"no-break spaces", delhi, value("\u00a0New\u00a0Delhi\u00a0"), 1},
		{"accepted answer is normalised too", messyAccepted, value("new delhi"), 1},
		// A fair marker (issue #15): spaces and punctuation do not make an
		// answer wrong.
		{"missing space", delhi, value("NewDelhi"), 1},
		{"trailing punctuation", delhi, value("New Delhi."), 1},
		{"partial answer", delhi, value("Delhi"), 0},
		{"superset answer", delhi, value("New Delhi India"), 0},
		{"not accepted", delhi, value("Mumbai"), 0},
		{"empty string", delhi, value(""), 0},
		{"blank string", delhi, value(" \t\n "), 0},
		{"option ids only", delhi, picks("New Delhi"), 0},
		{"nil value", delhi, &assessments.Response{QuestionID: "q"}, 0},
		{"missing response", delhi, nil, 0},
		{"hindi exact", hindi, value("नई दिल्ली"), 1},
		{"hindi extra inner spaces", hindi, value("नई   दिल्ली"), 1},
		{"hindi tab and padding", hindi, value(" नई\tदिल्ली\n"), 1},
		{"hindi different vowel sign", hindi, value("नइ दिल्ली"), 0},
		{"hindi partial", hindi, value("दिल्ली"), 0},
		{"hindi transliterated", hindi, value("nai dilli"), 0},
		{"no accepted answers", textQ(), value("New Delhi"), 0},
		{"empty string against empty accepted", textQ(""), value(""), 0},
		{"greek upper case folds final sigma", greek, value("ΛΌΓΟΣ"), 1},
	})
}

func TestGradeUnknownType(t *testing.T) {
	q := assessments.Question{
		ID: "q", Type: assessments.QuestionType("essay"), Points: 1,
		Options: opts("a", "a"),
		Answer:  assessments.Answer{Value: f64p(1), Bool: boolp(true), Accepted: []string{"x"}},
	}
	runGradeCases(t, []gradeCase{
		{"unknown type with option pick", q, picks("a"), 0},
		{"unknown type with value", q, value("x"), 0},
		{"unknown type missing response", q, nil, 0},
		{"empty type", assessments.Question{ID: "q", Points: 1, Options: opts("a", "a")}, picks("a"), 0},
	})
}

// TestGradeMissingEveryType checks that a nil response earns 0 whatever the
// question type.
func TestGradeMissingEveryType(t *testing.T) {
	for _, q := range []assessments.Question{
		choiceQ(assessments.SingleChoice, "a", "a", "b"),
		choiceQ(assessments.MultipleChoice, "a", "a", "b"),
		tfQ(true),
		numQ(0, 0),
		textQ(""),
	} {
		t.Run(string(q.Type), func(t *testing.T) {
			if got := assessments.Grade(q, nil); got != 0 {
				t.Errorf("Grade(nil) = %v, want 0", got)
			}
			if got := assessments.Grade(q, &assessments.Response{}); got != 0 {
				t.Errorf("Grade(empty response) = %v, want 0", got)
			}
		})
	}
}

// TestGradeIsPure checks that Grade leaves its inputs alone and answers the
// same twice.
func TestGradeIsPure(t *testing.T) {
	q := choiceQ(assessments.MultipleChoice, "ab", "a", "b", "c", "d")
	r := picks("b", "a", "a", "x")
	first := assessments.Grade(q, r)
	second := assessments.Grade(q, r)
	if first != second {
		t.Errorf("Grade not repeatable: %v then %v", first, second)
	}
	if fmt.Sprint(r.OptionIDs) != "[b a a x]" {
		t.Errorf("response mutated: %v", r.OptionIDs)
	}
	if len(q.Options) != 4 || !q.Options[0].Correct || !q.Options[1].Correct || q.Options[2].Correct || q.Options[3].Correct {
		t.Errorf("question mutated: %+v", q.Options)
	}
}

func TestNormalizeText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"New  Delhi", "new delhi"},
		{"new delhi", "new delhi"},
		{"NEW DELHI", "new delhi"},
		{"  New Delhi  ", "new delhi"},
		{"New\tDelhi", "new delhi"},
		{"New\r\n\tDelhi", "new delhi"},
		{"\u00a0New\u00a0Delhi", "new delhi"},
		{"a  b   c", "a b c"},
		{"", ""},
		{"   ", ""},
		{"\t\n", ""},
		{"ÉCOLE", "école"},
		{"नई  दिल्ली", "नई दिल्ली"},
		{" नई\tदिल्ली ", "नई दिल्ली"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%q", tc.in), func(t *testing.T) {
			if got := assessments.NormalizeText(tc.in); got != tc.want {
				t.Errorf("NormalizeText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// --- GradeAttempt ---

type wantResult struct {
	id      string
	correct bool
	points  float64
	max     float64
}

func checkOutcome(t *testing.T, got assessments.Outcome, score, max, percent float64, passed bool, results []wantResult) {
	t.Helper()
	if !near(got.Score, score, eps) {
		t.Errorf("Score = %v, want %v", got.Score, score)
	}
	if !near(got.MaxScore, max, eps) {
		t.Errorf("MaxScore = %v, want %v", got.MaxScore, max)
	}
	if !near(got.Percent, percent, eps) {
		t.Errorf("Percent = %v, want %v", got.Percent, percent)
	}
	if got.Passed != passed {
		t.Errorf("Passed = %v, want %v (percent %v)", got.Passed, passed, got.Percent)
	}
	if results == nil {
		return
	}
	if len(got.Results) != len(results) {
		t.Fatalf("len(Results) = %d, want %d: %+v", len(got.Results), len(results), got.Results)
	}
	for i, w := range results {
		g := got.Results[i]
		if g.QuestionID != w.id {
			t.Errorf("Results[%d].QuestionID = %q, want %q", i, g.QuestionID, w.id)
		}
		if g.Correct != w.correct {
			t.Errorf("Results[%d] (%s).Correct = %v, want %v", i, w.id, g.Correct, w.correct)
		}
		if !near(g.PointsAwarded, w.points, eps) {
			t.Errorf("Results[%d] (%s).PointsAwarded = %v, want %v", i, w.id, g.PointsAwarded, w.points)
		}
		if !near(g.MaxPoints, w.max, eps) {
			t.Errorf("Results[%d] (%s).MaxPoints = %v, want %v", i, w.id, g.MaxPoints, w.max)
		}
	}
}

func withID(q assessments.Question, id string, points float64) assessments.Question {
	q.ID, q.Points = id, points
	return q
}

// onePointForm is n one-point true/false questions q1..qn, answer true.
func onePointForm(n int) []assessments.Question {
	form := make([]assessments.Question, n)
	for i := range form {
		form[i] = withID(tfQ(true), fmt.Sprintf("q%d", i+1), 1)
	}
	return form
}

// rightAnswers answers the first k questions of a onePointForm right and
// the rest wrong.
func rightAnswers(n, k int) map[string]assessments.Response {
	m := map[string]assessments.Response{}
	for i := 0; i < n; i++ {
		v := "false"
		if i < k {
			v = "true"
		}
		id := fmt.Sprintf("q%d", i+1)
		m[id] = assessments.Response{QuestionID: id, Value: strp(v)}
	}
	return m
}

func TestGradeAttemptMixedForm(t *testing.T) {
	// Deliberately not in id order: results must follow the form.
	form := []assessments.Question{
		withID(numQ(42.5, 0), "q3", 2),
		withID(choiceQ(assessments.MultipleChoice, "ab", "a", "b", "c", "d"), "q1", 2.5),
		withID(tfQ(true), "q2", 1),
		withID(textQ("New Delhi"), "q5", 0.5),
		withID(choiceQ(assessments.SingleChoice, "a", "a", "b"), "q4", 1),
	}
	responses := map[string]assessments.Response{
		"q3": {QuestionID: "q3", Value: strp("42,5")},
		"q1": {QuestionID: "q1", OptionIDs: ids("a")},
		// q2 unanswered.
		"q5": {QuestionID: "q5", Value: strp("  new   DELHI ")},
		"q4": {QuestionID: "q4", OptionIDs: ids("b")},
		// Not on the form: ignored.
		"q9": {QuestionID: "q9", Value: strp("true")},
	}
	results := []wantResult{
		{"q3", true, 2, 2},
		{"q1", false, 1.25, 2.5},
		{"q2", false, 0, 1},
		{"q5", true, 0.5, 0.5},
		{"q4", false, 0, 1},
	}
	// 3.75 of 7 = 53.5714...% -> 53.57.
	cases := []struct {
		name   string
		pass   float64
		passed bool
	}{
		{"pass mark well below", 50, true},
		{"pass exactly at pass mark", 53.57, true},
		{"just below pass mark", 53.58, false},
		{"pass mark zero", 0, true},
		{"pass mark 100", 100, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := assessments.GradeAttempt(form, responses, tc.pass)
			checkOutcome(t, got, 3.75, 7, 53.57, tc.passed, results)
		})
	}
}

func TestGradeAttemptTotals(t *testing.T) {
	// weighted gives points above one with partial credit: half of the
	// multiple choice (2 of 4), the numeric at its tolerance (3), the text
	// wrong: 5 of 8, 62.5%.
	weighted := []assessments.Question{
		withID(choiceQ(assessments.MultipleChoice, "ab", "a", "b", "c", "d"), "mc", 4),
		withID(numQ(10, 0.5), "num", 3),
		withID(textQ("x"), "txt", 1),
	}
	weightedAnswers := map[string]assessments.Response{
		"mc":  {OptionIDs: ids("b")},
		"num": {Value: strp("10.5")},
		"txt": {Value: strp("y")},
	}
	cases := []struct {
		name      string
		form      []assessments.Question
		responses map[string]assessments.Response
		pass      float64
		score     float64
		max       float64
		percent   float64
		passed    bool
	}{
		{"all right", onePointForm(4), rightAnswers(4, 4), 100, 4, 4, 100, true},
		{"none right", onePointForm(4), rightAnswers(4, 0), 1, 0, 4, 0, false},
		{"three of four exactly at 75", onePointForm(4), rightAnswers(4, 3), 75, 3, 4, 75, true},
		{"three of four just below 75.01", onePointForm(4), rightAnswers(4, 3), 75.01, 3, 4, 75, false},
		{"three of four below 75.0001", onePointForm(4), rightAnswers(4, 3), 75.0001, 3, 4, 75, false},
		{"three of four above 74.99", onePointForm(4), rightAnswers(4, 3), 74.99, 3, 4, 75, true},
		{"two of three rounds to 66.67 at pass", onePointForm(3), rightAnswers(3, 2), 66.67, 2, 3, 66.67, true},
		{"two of three just below 66.68", onePointForm(3), rightAnswers(3, 2), 66.68, 2, 3, 66.67, false},
		{"one of three rounds to 33.33", onePointForm(3), rightAnswers(3, 1), 33.33, 1, 3, 33.33, true},
		{"one of seven rounds to 14.29", onePointForm(7), rightAnswers(7, 1), 14.29, 1, 7, 14.29, true},
		{"one of seven just below 14.3", onePointForm(7), rightAnswers(7, 1), 14.3, 1, 7, 14.29, false},
		{"five of six rounds to 83.33", onePointForm(6), rightAnswers(6, 5), 83.34, 5, 6, 83.33, false},
		{"nothing answered nil map", onePointForm(2), nil, 50, 0, 2, 0, false},
		{"nothing answered empty map", onePointForm(2), map[string]assessments.Response{}, 50, 0, 2, 0, false},
		{
			"float noise in points 0.1 + 0.2 of 1.0 is 30 at pass 30",
			[]assessments.Question{
				withID(tfQ(true), "a", 0.1),
				withID(tfQ(true), "b", 0.2),
				withID(tfQ(true), "c", 0.7),
			},
			map[string]assessments.Response{
				"a": {Value: strp("true")},
				"b": {Value: strp("TRUE")},
				"c": {Value: strp("false")},
			},
			30, 0.3, 1, 30, true,
		},
		{
			"points above one with partial credit",
			weighted, weightedAnswers,
			62.5, 5, 8, 62.5, true,
		},
		{
			"points above one just below",
			weighted, weightedAnswers,
			62.51, 5, 8, 62.5, false,
		},
		{"zero-question form pass 0", nil, nil, 0, 0, 0, 0, false},
		{"zero-question form pass 50", []assessments.Question{}, map[string]assessments.Response{"q": {Value: strp("true")}}, 50, 0, 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := assessments.GradeAttempt(tc.form, tc.responses, tc.pass)
			checkOutcome(t, got, tc.score, tc.max, tc.percent, tc.passed, nil)
			if len(got.Results) != len(tc.form) {
				t.Errorf("len(Results) = %d, want %d", len(got.Results), len(tc.form))
			}
			for i, r := range got.Results {
				if r.QuestionID != tc.form[i].ID {
					t.Errorf("Results[%d].QuestionID = %q, want %q", i, r.QuestionID, tc.form[i].ID)
				}
				if !near(r.MaxPoints, tc.form[i].Points, eps) {
					t.Errorf("Results[%d].MaxPoints = %v, want %v", i, r.MaxPoints, tc.form[i].Points)
				}
			}
		})
	}
}

func TestGradeAttemptCorrectOnlyOnFullCredit(t *testing.T) {
	mc := choiceQ(assessments.MultipleChoice, "abc", "a", "b", "c", "d", "e")
	form := []assessments.Question{
		withID(mc, "full", 3),
		withID(mc, "two-thirds", 3),
		withID(mc, "one-third", 3),
		withID(mc, "zero", 3),
		withID(numQ(1.1, 0.1), "tolerance", 2),
		withID(tfQ(false), "missing", 1),
	}
	responses := map[string]assessments.Response{
		"full":       {OptionIDs: ids("a", "b", "c")},
		"two-thirds": {OptionIDs: ids("a", "b")},
		"one-third":  {OptionIDs: ids("a")},
		"zero":       {OptionIDs: ids("a", "d")},
		"tolerance":  {Value: strp("1.0")},
	}
	got := assessments.GradeAttempt(form, responses, 50)
	// 3 + 2 + 1 + 0 + 2 + 0 = 8 of 15 = 53.33%.
	checkOutcome(t, got, 8, 15, 53.33, true, []wantResult{
		{"full", true, 3, 3},
		{"two-thirds", false, 2, 3},
		{"one-third", false, 1, 3},
		{"zero", false, 0, 3},
		{"tolerance", true, 2, 2},
		{"missing", false, 0, 1},
	})
}

// TestGradeAttemptFractionalPoints checks awards that are not whole
// hundredths: a third of one point is about 0.33, two thirds about 0.67.
func TestGradeAttemptFractionalPoints(t *testing.T) {
	mc := choiceQ(assessments.MultipleChoice, "abc", "a", "b", "c", "d", "e")
	form := []assessments.Question{withID(mc, "third", 1), withID(mc, "two-thirds", 1)}
	responses := map[string]assessments.Response{
		"third":      {OptionIDs: ids("a")},
		"two-thirds": {OptionIDs: ids("a", "b")},
	}
	got := assessments.GradeAttempt(form, responses, 50)
	if len(got.Results) != 2 {
		t.Fatalf("len(Results) = %d, want 2", len(got.Results))
	}
	// Rounded or not, within half a hundredth of the exact value.
	for i, want := range []float64{1.0 / 3, 2.0 / 3} {
		if r := got.Results[i]; !near(r.PointsAwarded, want, 0.005+eps) || r.Correct {
			t.Errorf("Results[%d] = %+v, want about %.4f points, not correct", i, r, want)
		}
	}
	if !near(got.Score, 1, 0.01+eps) || !near(got.MaxScore, 2, eps) {
		t.Errorf("Score/MaxScore = %v/%v, want about 1/2", got.Score, got.MaxScore)
	}
	if !near(got.Percent, 50, 0.5+eps) || got.Percent != math.Round(got.Percent*100)/100 {
		t.Errorf("Percent = %v, want about 50 with at most two decimals", got.Percent)
	}
}
