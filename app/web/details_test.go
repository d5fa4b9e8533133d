package web_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"skillgate/app/web"
)

// TestDetails: each detail says the English the API has always sent,
// carries its key and values for pages, and leaves both out of the
// problem document.
func TestDetails(t *testing.T) {
	for _, tc := range []struct {
		name    string
		got     *web.Error
		kind    web.Kind
		key     string
		args    []any
		english string
	}{
		{"rate limited", web.RateLimited(time.Minute), web.KindRateLimited, "problem.rate_limited", nil, "too many requests; try again later"},
		{"slug taken", web.DetailCourseSlugTaken.Conflict(), web.KindConflict, "problem.course_slug_taken", nil, "a course with this slug already exists"},
		{"version race", web.DetailVersionRace.Conflict(), web.KindConflict, "problem.version_published_concurrently", nil, "this version was published concurrently"},
		{"module not empty", web.DetailModuleNotEmpty.Conflict("Count", 2), web.KindConflict, "problem.module_not_empty", []any{"Count", 2},
			"the module still holds 2 lesson(s): move or delete them first"},
		{"pack slug", web.DetailPackSlugTaken.Conflict("Slug", `"safe-data"`), web.KindConflict, "problem.pack_slug_taken", []any{"Slug", `"safe-data"`},
			`the slug "safe-data" is taken by another course`},
		{"class changed", web.DetailClassChanged.Conflict(), web.KindConflict, "problem.class_changed", nil,
			"the class changed while the learners were being added; try again"},
		{"another kind", web.DetailOwnAccount.As(web.KindForbidden), web.KindForbidden, "problem.own_account", nil,
			"an admin cannot disable or demote their own account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.got
			if e.Kind != tc.kind || e.Key != tc.key || e.Message != tc.english || !reflect.DeepEqual(e.Args, tc.args) {
				t.Errorf("got kind %v key %q args %v %q, want kind %v key %q args %v %q", e.Kind, e.Key, e.Args, e.Message, tc.kind, tc.key, tc.args, tc.english)
			}
			raw, err := json.Marshal(web.ProblemFor(e))
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			if doc["detail"] != tc.english {
				t.Errorf("detail %v, want %q", doc["detail"], tc.english)
			}
			if strings.Contains(string(raw), tc.key) || strings.Contains(strings.ToLower(string(raw)), `"key"`) || strings.Contains(strings.ToLower(string(raw)), `"args"`) {
				t.Errorf("the problem document carries the key or values: %s", raw)
			}
		})
	}
}
