package courses_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/courses"
)

// rows reads a table's content in a fixed order, to compare before and
// after an import that must change nothing.
func rows(t *testing.T, db *gorm.DB, table, cols string) string {
	t.Helper()
	var out []map[string]any
	if err := db.Table(table).Select(cols).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range out {
		for _, c := range strings.Split(cols, ", ") {
			b.WriteString(toString(r[c]))
			b.WriteString("|")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func toString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

// TestPackReimportChangesNothing imports a pack with a question bank (named
// and unnamed questions) and assessments twice: the second import changes
// no row of any table, keeps the version, and says unchanged.
func TestPackReimportChangesNothing(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		fsys := fstest.MapFS{
			"pack/course.yaml": {Data: []byte("slug: twice\ntitle: Twice\nsummary: Imported twice.\nlanguage: en\ntags: [x]\nestimated_minutes: 10\n" +
				"assessments:\n  - title: Final\n    kind: final\n    question_count: 3\n    time_limit_seconds: 600\n    pass_percent: 60\n    max_attempts: 3\n    cooldown_seconds: 0\n")},
			"pack/lessons/01-one.md": {Data: []byte("---\nmodule: Basics\ntitle: One\nminutes: 5\n---\nFirst.\n")},
			"pack/lessons/02-two.md": {Data: []byte("---\nmodule: More\ntitle: Two\nminutes: 5\n---\nSecond.\n")},
			"pack/questions.gift":    {Data: []byte("::Named:: Two plus two? {#4}\n\nThe sky is green. {FALSE}\n\nPick the fruit. {=Mango ~Brick}\n")},
		}
		var out strings.Builder
		if err := e.Import(ctx, fsys, "pack", courses.ImportOptions{Publish: true}, &out); err != nil {
			t.Fatal(err)
		}
		snapshot := func() string {
			return rows(t, db, "courses", "id, slug, title, published_version, dirty, updated_at") +
				rows(t, db, "course_modules", "id, title, position") +
				rows(t, db, "course_lessons", "id, module_id, title, position, body_html") +
				rows(t, db, "course_versions", "id, version, is_current") +
				rows(t, db, "questions", "id, prompt, options, answer, updated_at") +
				rows(t, db, "assessments", "id, title, question_count, updated_at")
		}
		before := snapshot()
		if !strings.Contains(before, "Pick the fruit") || !strings.Contains(before, "Final") {
			t.Fatalf("first import: %s\n%s", out.String(), before)
		}
		out.Reset()
		if err := e.Import(ctx, fsys, "pack", courses.ImportOptions{Publish: true}, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "unchanged") {
			t.Fatalf("second import: %s", out.String())
		}
		if after := snapshot(); after != before {
			t.Fatalf("the second import changed rows:\n%s\n---\n%s", before, after)
		}
	})
}
