package site

import (
	"sort"
	"strings"

	"skillgate/app/web"
)

// fieldLabels names, for a field a service refers to, the label a form
// already shows for it, so that a message gathered above a form can say
// which field it means in the page's language. A field the form asks for
// in another unit (time_limit_seconds as minutes) has none: its message's
// numbers would contradict the label.
var fieldLabels = map[string]string{
	"name":              "orgs.name",
	"email":             "signup.email",
	"password":          "signup.password",
	"current_password":  "me.current_password",
	"new_password":      "me.new_password",
	"role":              "users.role",
	"organization":      "users.organization",
	"organization_id":   "users.organization",
	"locale":            "me.language",
	"language":          "catalogue.language",
	"title":             "author.title",
	"slug":              "author.slug",
	"summary":           "author.summary",
	"estimated_minutes": "author.minutes",
	"position":          "author.position",
	"body_markdown":     "author.body",
	"modules":           "author.module",
	"prompt":            "author.question",
	"explanation":       "author.explanation",
	"kind":              "author.kind",
	"question_count":    "author.question_count",
	"pass_percent":      "author.pass_percent",
	"max_attempts":      "author.max_attempts",
	"course_ids":        "classes.courses",
	"url":               "webhooks.url",
	"reason":            "revoke.reason",
	"category":          "revoke.category",
	"description":       "tiers.description",
	"rank":              "tiers.rank",
	"hourly_rate_usd":   "tiers.rate",
	"requirements":      "tiers.requirements",
}

// joinMessages puts a form's messages in one line, in a fixed order.
func joinMessages(msgs map[string]string) string {
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = msgs[k]
	}
	return strings.Join(out, " ")
}

// fieldBase is the form field a service's field path belongs to:
// "answers[2].value" and "answers" are both "answers".
func fieldBase(path string) string {
	base, _, _ := strings.Cut(path, ".")
	base, _, _ = strings.Cut(base, "[")
	return base
}

// fieldMessage says a field error in l: its rule's message from l's
// catalogue, filled with the rule's values; a message about a part (a
// value that is itself a field error) is said in l too. A rule the
// catalogue does not know gets the general "is not valid".
func fieldMessage(l *Lang, f web.FieldError) string {
	if f.Key == "" || !l.Has(f.Key) {
		return l.T(string(web.RuleInvalid))
	}
	args := make([]any, len(f.Args))
	copy(args, f.Args)
	for i := 1; i < len(args); i += 2 {
		if inner, ok := args[i].(web.FieldError); ok {
			args[i] = fieldMessage(l, inner)
		}
	}
	return l.T(f.Key, args...)
}

// labelledMessage is fieldMessage preceded by the field's label where the
// pages have one ("Title: is required"), for a message shown away from
// its field.
func labelledMessage(l *Lang, f web.FieldError) string {
	msg := fieldMessage(l, f)
	if key, ok := fieldLabels[fieldBase(f.Field)]; ok {
		return l.T("field.labelled", "Field", l.T(key), "Message", msg)
	}
	return msg
}
