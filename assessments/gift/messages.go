package gift

import "skillgate/app/english"

// Rule names a GIFT problem by its key in the message catalogues
// (app/i18n/locales): a page says it in the reader's language, the API
// and the command line in the English of rules. The table is the
// package's own, not app/web's, so that the parser stays a leaf that
// imports nothing of skillgate but the leaf app/english.
type Rule string

// The problems Parse reports, and the few the importers add about a
// question that parsed (NoQuestions, NotRenderable).
const (
	RuleNotUTF8           Rule = "gift.not_utf8"
	RuleInternal          Rule = "gift.internal"
	RuleTitleOpen         Rule = "gift.title_open"
	RuleNoAnswerBlock     Rule = "gift.no_answer_block"
	RuleCloseBeforeOpen   Rule = "gift.close_before_open"
	RuleBlockOpen         Rule = "gift.block_not_closed"
	RuleOpenInside        Rule = "gift.open_inside_block"
	RuleSecondBlock       Rule = "gift.second_block"
	RuleCloseAfter        Rule = "gift.close_after_block"
	RuleEmptyText         Rule = "gift.empty_text"
	RuleEssay             Rule = "gift.essay"
	RuleMatching          Rule = "gift.matching"
	RuleTrueFalseFeedback Rule = "gift.true_false_feedback"
	RuleWeightNaN         Rule = "gift.weight_not_number"
	RuleWeightRange       Rule = "gift.weight_range"
	RuleChoiceMarker      Rule = "gift.choice_marker"
	RuleChoiceEmpty       Rule = "gift.choice_empty"
	RuleChoiceTwo         Rule = "gift.choice_two"
	RuleChoiceNoCorrect   Rule = "gift.choice_no_correct"
	RuleSingleFull        Rule = "gift.single_one_full"
	RuleWeightsSum        Rule = "gift.weights_sum"
	RuleNumericTilde      Rule = "gift.numeric_tilde"
	RuleNumericNone       Rule = "gift.numeric_none"
	RuleNumericNegative   Rule = "gift.numeric_negative"
	RuleNumericBad        Rule = "gift.numeric_bad"
	RuleNumericRange      Rule = "gift.numeric_range"
	RuleNumericTolerance  Rule = "gift.numeric_tolerance"
	RuleNumericNoFull     Rule = "gift.numeric_no_full"
	RuleShortEmpty        Rule = "gift.short_empty"
	RuleShortNegative     Rule = "gift.short_negative"
	RuleShortNone         Rule = "gift.short_none"
	RuleNoQuestions       Rule = "gift.no_questions"
	RuleNotRenderable     Rule = "gift.not_renderable"
)

// rules is the English of every problem: what the API's import errors
// say and, word for word, what the English catalogue says (a test in
// app/i18n compares them). The text is a go-i18n template: {{.Line}} is
// the value passed as "Line".
var rules = map[Rule]string{
	RuleNotUTF8:           "the text is not valid UTF-8 (save the file as UTF-8)",
	RuleInternal:          "internal parser error: {{.Err}}",
	RuleTitleOpen:         `the title starts with "::" but is not closed with "::"`,
	RuleNoAnswerBlock:     `the question has no answer block "{...}"; description items cannot be graded and are not supported`,
	RuleCloseBeforeOpen:   `unexpected "}" before any "{" (write \} for a literal brace)`,
	RuleBlockOpen:         `the answer block "{" is not closed with "}"`,
	RuleOpenInside:        `unexpected "{" inside the answer block opened on line {{.Open}} (write \{ for a literal brace)`,
	RuleSecondBlock:       `a second answer block "{" in one question; a question has exactly one (write \{ for a literal brace, and leave a blank line between questions)`,
	RuleCloseAfter:        `unexpected "}" after the answer block (write \} for a literal brace)`,
	RuleEmptyText:         "the question text is empty",
	RuleEssay:             "essay questions cannot be graded automatically (the answer block is empty)",
	RuleMatching:          `matching questions ("->") are not supported`,
	RuleTrueFalseFeedback: `a true/false question takes at most two feedbacks ("{T#if wrong#if right}")`,
	RuleWeightNaN:         "the answer weight {{.Weight}} is not a number",
	RuleWeightRange:       "the answer weight {{.Weight}}% is outside -100..100",
	RuleChoiceMarker:      `every answer of a choice question must start with "=" or "~"`,
	RuleChoiceEmpty:       "an answer of a choice question is empty",
	RuleChoiceTwo:         "a choice question needs at least two answers",
	RuleChoiceNoCorrect:   `the choice question has no correct answer: mark it with "=" (or give several right answers positive weights like ~%50%)`,
	RuleSingleFull:        `a single-choice question (one with "=") needs exactly one answer worth 100%, it has {{.Count}}; for several right answers use weights like ~%50% and no "="`,
	RuleWeightsSum:        "the weights of the right answers add up to {{.Sum}}%, not 100%",
	RuleNumericTilde:      `in a numeric question "~" may only start the feedback for any other answer ("~#feedback")`,
	RuleNumericNone:       "the numeric question has no answer",
	RuleNumericNegative:   "a numeric answer cannot be worth less than 0% ({{.Weight}}%)",
	RuleNumericBad:        `the numeric answer {{.Answer}} is not a number, "value:tolerance" or "min..max"`,
	RuleNumericRange:      "the numeric range {{.Range}} starts above its end",
	RuleNumericTolerance:  "the tolerance in the numeric answer {{.Answer}} is negative",
	RuleNumericNoFull:     "the numeric question has no fully right (100%) answer",
	RuleShortEmpty:        "an answer of a short-answer question is empty",
	RuleShortNegative:     "a short answer cannot be worth less than 0% ({{.Weight}}%)",
	RuleShortNone:         "the short-answer question has no accepted answer",
	RuleNoQuestions:       "no questions found",
	RuleNotRenderable:     "the text cannot be rendered: {{.Err}}",
}

// Rules returns every problem's English template, by key, for the test
// that keeps the catalogues holding them.
func Rules() map[string]string { return englishRules.ByKey() }

var englishRules = english.New(rules)

// At is the problem at line of the question titled title ("" when it has
// none or it is not known yet). args are pairs of names and values, as
// the catalogues take them ("Count", 2).
func (r Rule) At(line int, title string, args ...any) Error {
	return Error{Line: line, Title: title, Message: r.English(args...), Key: r, Args: args}
}

// English fills the rule's English template with args (see
// english.Table.Fill).
func (r Rule) English(args ...any) string { return englishRules.Fill(r, args...) }
