package assessments_test

import (
	"testing"
	"time"

	"skillgate/assessments"
)

func w(x float64) *float64 { return &x }

// TestGradeFairMarker: short answers are read as a fair marker reads them
// (issue #15): case, spaces, punctuation, Unicode NFC (nukta letters typed
// either way), and, when the question allows it, one typo in a long word.
func TestGradeFairMarker(t *testing.T) {
	typo := textQ("password manager", "phishing")
	typo.Answer.AllowTypo = true
	strict := textQ("password manager", "phishing")
	// ज़रूरी written with the precomposed ज़ (U+095B) and accepted as
	// ज + nukta (U+091C U+093C): the same word to a reader.
	nukta := textQ("\u091c\u093c\u0930\u0942\u0930\u0940")
	runGradeCases(t, []gradeCase{
		{"case, spaces and punctuation", strict, value("  Password-Manager! "), 1},
		{"hyphen for a space", strict, value("password-manager"), 1},
		{"zero-width joiner ignored", nukta, value("\u091c\u093c\u200d\u0930\u0942\u0930\u0940"), 1},
		{"precomposed nukta letter", nukta, value("\u095b\u0930\u0942\u0930\u0940"), 1},
		{"without the nukta is another spelling", nukta, value("\u091c\u0930\u0942\u0930\u0940"), 0},
		{"one typo refused when not allowed", strict, value("pasword manager"), 0},
		{"one missing letter in a long word", typo, value("pasword manager"), 1},
		{"two neighbours swapped", typo, value("phisihng"), 1},
		{"one wrong letter", typo, value("phishimg"), 1},
		{"one extra letter", typo, value("phisshing"), 1},
		{"two typos in one word", typo, value("phisihmg"), 0},
		{"one typo in each of two words", typo, value("pasword manger"), 0},
		{"typo in a short word is not forgiven", textQ2(true, "email"), value("emial"), 0},
		{"six letters is long enough", textQ2(true, "router"), value("ruoter"), 1},
		{"a different word is not a typo", typo, value("fishing"), 0},
		{"a missing word is not a typo", typo, value("password"), 0},
	})
}

func textQ2(typo bool, accepted ...string) assessments.Question {
	q := textQ(accepted...)
	q.Answer.AllowTypo = typo
	return q
}

func TestDamerauLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"abc", "ab", 1}, {"ab", "abc", 1},
		{"abc", "abd", 1}, {"", "abc", 3}, {"ca", "abc", 3}, {"दिल्ली", "दिल्ल", 1}, {"kitten", "sitting", 3},
	} {
		if got := assessments.DamerauLevenshtein([]rune(tc.a), []rune(tc.b)); got != tc.want {
			t.Errorf("DamerauLevenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestGradeWeights: partial credit for every type, as GIFT writes it.
func TestGradeWeights(t *testing.T) {
	// Moodle multiple response: one right answer worth 100%, wrong ticks -50%.
	mr := assessments.Question{ID: "q", Type: assessments.MultipleChoice, Points: 1, Options: []assessments.Option{
		{ID: "a", Correct: true, Weight: w(100)}, {ID: "b", Weight: w(-50)}, {ID: "c", Weight: w(-50)}}}
	two := assessments.Question{ID: "q", Type: assessments.MultipleChoice, Points: 1, Options: []assessments.Option{
		{ID: "a", Correct: true, Weight: w(50)}, {ID: "b", Correct: true, Weight: w(50)}, {ID: "c", Weight: w(-100)}}}
	single := assessments.Question{ID: "q", Type: assessments.SingleChoice, Points: 1, Options: []assessments.Option{
		{ID: "a", Correct: true, Weight: w(100)}, {ID: "b", Weight: w(50)}, {ID: "c", Weight: w(-25)}}}
	num := numQ(1822, 0)
	num.Answer.Values = []assessments.NumericAnswer{{Value: 1822, Weight: 100}, {Value: 1822, Tolerance: 2, Weight: 50}}
	rng := numQ(3, 2)
	rng.Answer.Values = []assessments.NumericAnswer{{Value: 5, Tolerance: 5, Weight: 25}}
	short := textQ("blue")
	short.Answer.Weighted = []assessments.TextAnswer{{Text: "blue", Weight: 100}, {Text: "light blue", Weight: 50}, {Text: "green", Weight: 0}}
	runGradeCases(t, []gradeCase{
		{"mr: the right one", mr, picks("a"), 1},
		{"mr: right and one wrong", mr, picks("a", "b"), 0.5},
		{"mr: every box", mr, picks("a", "b", "c"), 0},
		{"mr: only wrong ones floor at zero", mr, picks("b", "c"), 0},
		{"mr: a repeated tick counts once", mr, picks("a", "a"), 1},
		{"mr: an unknown id earns nothing", mr, picks("a", "zz"), 1},
		{"two halves", two, picks("a", "b"), 1},
		{"one half", two, picks("a"), 0.5},
		{"half and a wrong", two, picks("a", "c"), 0},
		{"single: full", single, picks("a"), 1},
		{"single: partial", single, picks("b"), 0.5},
		{"single: negative floors at zero", single, picks("c"), 0},
		{"numeric: exact", num, value("1822"), 1},
		{"numeric: close earns half", num, value("1824"), 0.5},
		{"numeric: too far", num, value("1825"), 0},
		{"range: inside", rng, value("4"), 1},
		{"range: wider partial", rng, value("9"), 0.25},
		{"range: outside both", rng, value("11"), 0},
		{"short: full", short, value("Blue"), 1},
		{"short: partial", short, value("light blue"), 0.5},
		{"short: zero-weight answer", short, value("green"), 0},
	})
}

func TestGradeFeedback(t *testing.T) {
	short := textQ("blue")
	short.Answer.Weighted = []assessments.TextAnswer{{Text: "blue", Weight: 100, Feedback: "Yes."}, {Text: "green", Weight: 0, Feedback: "That is grass."}}
	short.Answer.OtherFeedback = "Look up."
	tf := tfQ(false)
	tf.Answer.TrueFeedback, tf.Answer.FalseFeedback = "No bank asks.", "Right."
	for _, tc := range []struct {
		name string
		q    assessments.Question
		r    *assessments.Response
		want string
	}{
		{"accepted answer's feedback", short, value("BLUE"), "Yes."},
		{"known wrong answer's feedback", short, value("green"), "That is grass."},
		{"any other answer", short, value("red"), "Look up."},
		{"true/false wrong", tf, value("true"), "No bank asks."},
		{"true/false right", tf, value("false"), "Right."},
	} {
		if _, got := assessments.GradeWithFeedback(tc.q, tc.r); got != tc.want {
			t.Errorf("%s: feedback %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestCooldownAfter(t *testing.T) {
	plain := assessments.Settings{CooldownSeconds: 600}
	grow := assessments.Settings{CooldownSeconds: 86400, CooldownSchedule: []int{3600, 4 * 3600, 24 * 3600}}
	for _, tc := range []struct {
		set  assessments.Settings
		n    int
		want time.Duration
	}{
		{plain, 0, 0}, {plain, 1, 10 * time.Minute}, {plain, 5, 10 * time.Minute},
		{grow, 1, time.Hour}, {grow, 2, 4 * time.Hour}, {grow, 3, 24 * time.Hour}, {grow, 7, 24 * time.Hour},
	} {
		if got := assessments.CooldownAfter(tc.set, tc.n); got != tc.want {
			t.Errorf("CooldownAfter(%v, %d) = %s, want %s", tc.set.CooldownSchedule, tc.n, got, tc.want)
		}
	}
}

func TestStandingOf(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	graded := func(ago time.Duration, passed bool) assessments.Attempt {
		return assessments.Attempt{ID: "a", Status: assessments.StatusGraded, SubmittedAt: at(ago), Passed: passed}
	}
	set := assessments.Settings{MaxAttempts: 3, CooldownSchedule: []int{3600, 4 * 3600}}
	for _, tc := range []struct {
		name       string
		attempts   []assessments.Attempt
		used, left int
		retry      *time.Time
		passed     bool
	}{
		{"none yet", nil, 0, 3, nil, false},
		{"failed a minute ago: one hour", []assessments.Attempt{graded(time.Minute, false)}, 1, 2, at(time.Minute - time.Hour), false},
		{"failed two hours ago: free", []assessments.Attempt{graded(2*time.Hour, false)}, 1, 2, nil, false},
		{"second failure: four hours", []assessments.Attempt{graded(9*time.Hour, false), graded(time.Hour, false)}, 2, 1, at(time.Hour - 4*time.Hour), false},
		{"all used: nothing to wait for", []assessments.Attempt{graded(3*time.Hour, false), graded(2*time.Hour, false), graded(time.Minute, false)}, 3, 0, nil, false},
		{"open attempt: no cooldown", []assessments.Attempt{graded(3*time.Hour, false), {ID: "o", Status: assessments.StatusOpen}}, 2, 1, nil, false},
		{"passed", []assessments.Attempt{graded(3*time.Hour, true)}, 1, 2, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := assessments.StandingOf(set, tc.attempts, now)
			if st.AttemptsUsed != tc.used || st.AttemptsLeft != tc.left || st.Passed != tc.passed {
				t.Errorf("standing %+v, want used %d left %d passed %v", st, tc.used, tc.left, tc.passed)
			}
			if (st.RetryAt == nil) != (tc.retry == nil) || (st.RetryAt != nil && !st.RetryAt.Equal(*tc.retry)) {
				t.Errorf("retry_at %v, want %v", st.RetryAt, tc.retry)
			}
		})
	}
}

func TestMayReveal(t *testing.T) {
	passed := assessments.Standing{Passed: true, AttemptsLeft: 2}
	failedLeft := assessments.Standing{AttemptsLeft: 1}
	failedNone := assessments.Standing{AttemptsLeft: 0}
	passedOpen := assessments.Standing{Passed: true, AttemptsLeft: 0, OpenAttemptID: "o"}
	for _, tc := range []struct {
		review string
		st     assessments.Standing
		want   bool
	}{
		{"", passed, true}, {"", failedLeft, false}, {"", failedNone, true},
		{assessments.ReviewDefault, failedNone, true},
		{assessments.ReviewAfterPass, passed, true}, {assessments.ReviewAfterPass, failedNone, false},
		{assessments.ReviewAfterLastAttempt, passed, false}, {assessments.ReviewAfterLastAttempt, failedNone, true},
		{assessments.ReviewNever, passed, false}, {assessments.ReviewNever, failedNone, false},
		{"bogus", passed, false},
		{"", passedOpen, false}, // never beside a running attempt
	} {
		if got := assessments.MayReveal(tc.review, tc.st); got != tc.want {
			t.Errorf("MayReveal(%q, %+v) = %v, want %v", tc.review, tc.st, got, tc.want)
		}
	}
}

func TestLessonLinks(t *testing.T) {
	lessons := []assessments.LessonRef{{ID: "l1", Title: "One"}, {ID: "l2", Title: "Two"}, {ID: "l3", Title: "Three"}}
	form := []assessments.Question{
		{ID: "q1", Tags: []string{"phishing", "lesson:03"}},
		{ID: "q2", Tags: []string{"lesson:l2"}},
		{ID: "q3", Tags: []string{"lesson:9"}},
		{ID: "q4", Tags: []string{"passwords"}},
	}
	got := assessments.LessonLinks(form, lessons, nil)
	if len(got) != 2 || got["q1"].ID != "l3" || got["q2"].ID != "l2" {
		t.Errorf("LessonLinks = %+v", got)
	}
	// A pack maps its category tags to lessons; an explicit lesson tag wins.
	got = assessments.LessonLinks(form, lessons, map[string]string{"passwords": "l1", "phishing": "l2", "email": "gone"})
	if len(got) != 3 || got["q1"].ID != "l3" || got["q4"].ID != "l1" {
		t.Errorf("LessonLinks with lesson tags = %+v", got)
	}
}

// FuzzMatchText: the fair marker never panics, always accepts the accepted
// answer itself, and one typo allowed never makes it refuse what it
// accepted without.
func FuzzMatchText(f *testing.F) {
	for _, s := range []string{"New Delhi", "ज़रूरी", "e-mail", "pass word", "λόγος", "\u200d", "Ⅻ", "ǅ"} {
		f.Add(s, s+".")
	}
	f.Fuzz(func(t *testing.T, accepted, typed string) {
		strict := assessments.MatchText(accepted, typed, false)
		loose := assessments.MatchText(accepted, typed, true)
		if strict && !loose {
			t.Errorf("allowing a typo refused %q for %q", typed, accepted)
		}
		if assessments.NormalizeText(accepted) != "" && !assessments.MatchText(accepted, accepted, false) {
			t.Errorf("%q does not match itself", accepted)
		}
		if n := assessments.NormalizeText(typed); assessments.NormalizeText(n) != n {
			t.Errorf("NormalizeText is not idempotent on %q: %q then %q", typed, n, assessments.NormalizeText(n))
		}
	})
}
