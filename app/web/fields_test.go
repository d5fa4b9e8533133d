package web_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"testing"

	"skillgate/app/web"
)

// TestFieldConstructors: each constructor names its catalogue key, passes
// the values a translation needs, and says the English the API has always
// sent.
func TestFieldConstructors(t *testing.T) {
	inner := web.Between("question_count", 1, 200)
	for _, tc := range []struct {
		name    string
		got     web.FieldError
		key     string
		args    []any
		english string
	}{
		{"required", web.Required("name"), "field.required", nil, "is required"},
		{"required up to", web.RequiredUpTo("title", 200), "field.required_up_to", []any{"Max", 200}, "is required (at most 200 characters)"},
		{"blank", web.Blank("name"), "field.blank", nil, "must not be blank"},
		{"too long", web.TooLong("title", 200), "field.too_long", []any{"Max", 200}, "must be at most 200 characters"},
		{"too long bytes", web.TooLongBytes("body_markdown", 200000), "field.too_long_bytes", []any{"Max", 200000}, "must be at most 200000 bytes"},
		{"too short", web.TooShort("password", 10), "field.too_short", []any{"Min", 10}, "must be at least 10 characters"},
		{"too many", web.TooMany("tags", 20), "field.too_many", []any{"Max", 20}, "must have at most 20 items"},
		{"too few", web.TooFew("options", 2), "field.too_few", []any{"Min", 2}, "must have at least 2 items"},
		{"at least", web.AtLeast("position", 1), "field.at_least", []any{"Min", 1}, "must be at least 1"},
		{"at most", web.AtMost("rank", "1000"), "field.at_most", []any{"Max", "1000"}, "must be at most 1000"},
		{"greater than", web.GreaterThan("points", 0), "field.greater_than", []any{"Min", 0}, "must be greater than 0"},
		{"above, at most", web.AboveAtMost("pass_percent", 0, 100), "field.above_at_most", []any{"Min", 0, "Max", 100}, "must be greater than 0 and at most 100"},
		{"between", inner, "field.between", []any{"Min", 1, "Max", 200}, "must be between 1 and 200"},
		{"each between", web.EachBetween("cooldown_schedule_seconds", 0, 31536000), "field.each_between", []any{"Min", 0, "Max", 31536000}, "each entry must be between 0 and 31536000"},
		{"negative", web.Negative("max_age_days"), "field.negative", nil, "must not be negative"},
		{"one of", web.OneOf("kind", "final", "quiz"), "field.one_of", []any{"Choices", "final, quiz"}, "must be one of: final, quiz"},
		{"either", web.Either("ids", "ids", "tokens"), "field.either", []any{"A", "ids", "B", "tokens"}, "send either ids or tokens"},
		{"email", web.NotEmail("email"), "field.email", nil, "must be an email address"},
		{"url", web.NotURL("url"), "field.url", nil, "must be a URL"},
		{"slug", web.NotSlug("slug"), "field.slug", nil, "must be lowercase letters, digits and single hyphens"},
		{"locale", web.NotLocale("locale"), "field.locale", nil, "must be a language tag such as en or hi"},
		{"not valid", web.NotValid("cursor"), "field.invalid", nil, "is not valid"},
		{"control characters", web.ControlChars("name"), "field.control_chars", nil, "must not contain control characters"},
		{"a one-off rule", web.RuleUsername.On("username", "Min", 3, "Max", 32), "field.username", []any{"Min", 3, "Max", 32},
			"must be 3 to 32 characters of a-z, 0-9, dot, underscore or dash"},
		{"a message about a part", web.RuleInAssessment.On("assessments", "Title", `"Final"`, "Field", inner.Field, "Message", inner),
			"field.in_assessment", []any{"Title", `"Final"`, "Field", "question_count", "Message", inner},
			`"Final" question_count must be between 1 and 200`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got.Key != tc.key || tc.got.Message != tc.english || !reflect.DeepEqual(tc.got.Args, tc.args) {
				t.Errorf("got key %q args %v %q, want key %q args %v %q", tc.got.Key, tc.got.Args, tc.got.Message, tc.key, tc.args, tc.english)
			}
		})
	}
}

// TestEveryRuleHasEnglish: every rule's template fills without a missing
// value (the arguments named in it are the ones its callers pass), so no
// English message can come out as a bare key.
func TestEveryRuleHasEnglish(t *testing.T) {
	names := regexp.MustCompile(`\{\{\.(\w+)\}\}`)
	for key, text := range web.FieldRules() {
		var args []any
		for _, m := range names.FindAllStringSubmatch(text, -1) {
			args = append(args, m[1], 7)
		}
		got := web.Rule(key).On("f", args...)
		if got.Message == key || names.MatchString(got.Message) {
			t.Errorf("%s: %q does not fill", key, got.Message)
		}
	}
	// A rule the table lacks shows its key rather than reading as valid.
	if got := web.Rule("field.nonexistent").On("f").Message; got != "field.nonexistent" {
		t.Errorf("unknown rule says %q", got)
	}
	// A value the template names but the caller forgot shows the key too.
	if got := web.RuleTooLong.On("f").Message; got != "field.too_long" {
		t.Errorf("missing value says %q", got)
	}
}

// TestFieldErrorWire: the key and arguments stay out of the JSON, so the
// problem document is {"field","message"} as the contract says.
func TestFieldErrorWire(t *testing.T) {
	b, err := json.Marshal(web.Invalid("bad", web.TooLong("title", 200), web.Required("name")).Fields)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"field":"title","message":"must be at most 200 characters"},{"field":"name","message":"is required"}]`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

// TestBindMessages: a struct tag says the same as the constructor a
// service uses for the same rule, key included.
func TestBindMessages(t *testing.T) {
	type req struct {
		Name  string   `json:"name" validate:"required"`
		Title string   `json:"title" validate:"max=5"`
		Tags  []string `json:"tags" validate:"max=1"`
		Rank  int      `json:"rank" validate:"max=10"`
		Role  string   `json:"role" validate:"omitempty,oneof=learner admin"`
		Mail  string   `json:"mail" validate:"omitempty,email"`
	}
	err := web.Validate(req{Title: "toolong", Tags: []string{"a", "b"}, Rank: 11, Role: "x", Mail: "nope"})
	var e *web.Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate: %v", err)
	}
	want := map[string]web.FieldError{
		"name":  web.Required("name"),
		"title": web.TooLong("title", 5),
		"tags":  web.TooMany("tags", 1),
		"rank":  web.AtMost("rank", "10"),
		"role":  web.OneOf("role", "learner", "admin"),
		"mail":  web.NotEmail("mail"),
	}
	if len(e.Fields) != len(want) {
		t.Fatalf("got %v", e.Fields)
	}
	for _, f := range e.Fields {
		if w := want[f.Field]; !reflect.DeepEqual(f, w) {
			t.Errorf("%s: got %+v, want %+v", f.Field, f, w)
		}
	}
}
