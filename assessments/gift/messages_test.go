package gift_test

import (
	"strings"
	"testing"

	"skillgate/assessments/gift"
)

// TestErrorKeys: every problem Parse reports names its rule, the
// question's title where it has one, and values that fill the rule's
// English to exactly the message the API sends.
func TestErrorKeys(t *testing.T) {
	for _, tc := range []struct {
		src   string
		line  int
		title string
		key   gift.Rule
	}{
		{"::T1 bad\xff {T}\n", 1, "", gift.RuleNotUTF8},
		{"::T:: open title {T}\n\n::unclosed title {T}\n", 3, "", gift.RuleTitleOpen},
		{"::T:: no block\n", 1, "T", gift.RuleNoAnswerBlock},
		{"::T:: x } y { T }\n", 1, "T", gift.RuleCloseBeforeOpen},
		{"::T:: x { T\n", 1, "T", gift.RuleBlockOpen},
		{"::T:: x { T\n{ F }\n", 2, "T", gift.RuleOpenInside},
		{"::T:: x {T} y {F}\n", 1, "T", gift.RuleSecondBlock},
		{"::T:: x {T} y }\n", 1, "T", gift.RuleCloseAfter},
		{"::T:: {T}\n", 1, "T", gift.RuleEmptyText},
		{"::T:: essay {}\n", 1, "T", gift.RuleEssay},
		{"::T:: match {=a -> b =c -> d}\n", 1, "T", gift.RuleMatching},
		{"::T:: tf {T#a#b#c}\n", 1, "T", gift.RuleTrueFalseFeedback},
		{"::T:: w {~%1.2.3%a ~b}\n", 1, "T", gift.RuleWeightNaN},
		{"::T:: w {~%150%a ~b}\n", 1, "T", gift.RuleWeightRange},
		{"::T:: w {x ~a ~b}\n", 1, "T", gift.RuleChoiceMarker},
		{"::T:: w {=a ~}\n", 1, "T", gift.RuleChoiceEmpty},
		{"::T:: w {~a}\n", 1, "T", gift.RuleChoiceTwo},
		{"::T:: w {~a ~b}\n", 1, "T", gift.RuleChoiceNoCorrect},
		{"no title {=a =b ~c}\n", 1, "", gift.RuleSingleFull},
		{"::T:: w {~%30%a ~%30%b}\n", 1, "T", gift.RuleWeightsSum},
		{"::T:: n {#3 ~x}\n", 1, "T", gift.RuleNumericTilde},
		{"::T:: n {#}\n", 1, "T", gift.RuleNumericNone},
		{"::T:: n {#=%-10%3}\n", 1, "T", gift.RuleNumericNegative},
		{"::T:: n {#1..x}\n", 1, "T", gift.RuleNumericBad},
		{"::T:: n {#5..1}\n", 1, "T", gift.RuleNumericRange},
		{"::T:: n {#5:-1}\n", 1, "T", gift.RuleNumericTolerance},
		{"::T:: n {#=%50%3}\n", 1, "T", gift.RuleNumericNoFull},
		{"::T:: s {=a =}\n", 1, "T", gift.RuleShortEmpty},
		{"::T:: s {=a =%-5%b}\n", 1, "T", gift.RuleShortNegative},
		{"::A \\:: B:: s {=%50%a}\n", 1, "A :: B", gift.RuleShortNone},
	} {
		_, errs := gift.Parse(tc.src)
		if len(errs) != 1 {
			t.Errorf("%q: %d errors %+v", tc.src, len(errs), errs)
			continue
		}
		e := errs[0]
		if e.Line != tc.line || e.Title != tc.title || e.Key != tc.key {
			t.Errorf("%q: line %d title %q key %s, want %d %q %s", tc.src, e.Line, e.Title, e.Key, tc.line, tc.title, tc.key)
		}
		if got := e.Key.English(e.Args...); got != e.Message || strings.Contains(got, "gift.") {
			t.Errorf("%q: the rule says %q, the message is %q", tc.src, got, e.Message)
		}
	}
}

// TestRulesFill: every rule's English fills with the values it names and
// says its key when one is missing, so that a forgotten value shows.
func TestRulesFill(t *testing.T) {
	rules := gift.Rules()
	if len(rules) < 30 {
		t.Fatalf("only %d rules", len(rules))
	}
	for key, english := range rules {
		if !strings.HasPrefix(key, "gift.") {
			t.Errorf("%s: keys start with gift.", key)
		}
		if strings.Contains(english, "{{") {
			if got := gift.Rule(key).English(); got != key {
				t.Errorf("%s without its values says %q", key, got)
			}
		}
	}
	if got := gift.RuleSingleFull.At(4, "Q", "Count", 2); got.Error() != `line 4: a single-choice question (one with "=") needs exactly one answer worth 100%, it has 2; for several right answers use weights like ~%50% and no "="` {
		t.Errorf("At: %q", got.Error())
	}
}
