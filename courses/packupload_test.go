package courses_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
	"skillgate/courses"
)

// packZip zips files (name → content) for an upload.
func packZip(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tinyPack(prefix, slug string) map[string]string {
	return map[string]string{
		prefix + "course.yaml": "slug: " + slug + "\ntitle: Uploaded\nsummary: From a zip.\nlanguage: en\nestimated_minutes: 10\n" +
			"assessments:\n  - title: Final\n    kind: final\n    question_count: 2\n    time_limit_seconds: 600\n    pass_percent: 50\n    max_attempts: 3\n    cooldown_seconds: 0\n",
		prefix + "lessons/01-one.md": "---\nmodule: Basics\ntitle: One\nminutes: 5\n---\nFirst ![a dot](images/dot.svg).\n",
		prefix + "lessons/02-two.md": "---\nmodule: Basics\ntitle: Two\nminutes: 5\n---\nSecond.\n",
		prefix + "questions.gift":    "::Q1:: Lock your phone? {TRUE}\n\n::Q2:: Share your PIN? {FALSE}\n",
		prefix + "images/dot.svg":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>`,
	}
}

// TestOwnedPackUpload: a trainer's zip previews without saving, imports as
// a draft the trainer owns, changes nothing the second time, and may not
// take another trainer's slug, a built-in course, or unsafe archives.
func TestOwnedPackUpload(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		u := e.UserWithRole(web.RoleTrainer)
		tr := web.Principal{UserID: u.ID, Role: web.RoleTrainer}
		raw := packZip(t, tinyPack("my-pack/", "uploaded-pack"))
		builtIn := fstest.MapFS{}
		for name, body := range tinyPack("pack/", "built-in-pack") {
			builtIn[name] = &fstest.MapFile{Data: []byte(body)}
		}
		if err := e.Import(ctx, builtIn, "pack", courses.ImportOptions{Publish: true}, io.Discard); err != nil {
			t.Fatal(err)
		}

		pv, err := e.Courses.ImportPackZip(ctx, tr, raw, true)
		if err != nil || len(pv.Errors) > 0 || pv.Imported {
			t.Fatalf("preview: %+v %v", pv, err)
		}
		if pv.Slug != "uploaded-pack" || pv.Title != "Uploaded" || len(pv.Lessons) != 2 || pv.Questions != 2 || len(pv.Assessments) != 1 || pv.Images != 1 {
			t.Fatalf("preview: %+v", pv)
		}
		var n int64
		db.Table("courses").Where("slug = ?", "uploaded-pack").Count(&n)
		if n != 0 {
			t.Fatal("the preview saved the course")
		}

		pv, err = e.Courses.ImportPackZip(ctx, tr, raw, false)
		if err != nil || !pv.Imported || !pv.Result.Created || pv.Result.Published {
			t.Fatalf("import: %+v %v", pv, err)
		}
		c, err := courses.NewStore(db, nil).CourseHead(ctx, "uploaded-pack")
		if err != nil || c.OwnerID != u.ID || c.Version != 0 {
			t.Fatalf("course %+v %v: want a draft owned by the trainer", c, err)
		}
		snapshot := func() string {
			return rows(t, db, "courses", "id, slug, title, published_version, dirty, updated_at") +
				rows(t, db, "course_lessons", "id, module_id, title, position, body_html") +
				rows(t, db, "questions", "id, prompt, updated_at") +
				rows(t, db, "assessments", "id, title, question_count, updated_at")
		}
		before := snapshot()
		if !strings.Contains(before, "Lock your phone") || !strings.Contains(before, "Final") {
			t.Fatalf("first import: %s", before)
		}
		pv, err = e.Courses.ImportPackZip(ctx, tr, raw, false)
		if err != nil || !pv.Imported || !pv.Update || pv.Result.Changed || pv.Result.Created {
			t.Fatalf("second import: %+v %v", pv, err)
		}
		if after := snapshot(); after != before {
			t.Fatalf("the second import changed rows:\n%s\n---\n%s", before, after)
		}

		// Another trainer cannot take the slug, nor a built-in course's.
		other := e.UserWithRole(web.RoleTrainer)
		op := web.Principal{UserID: other.ID, Role: web.RoleTrainer}
		for _, slug := range []string{"uploaded-pack", "built-in-pack"} {
			pv, err = e.Courses.ImportPackZip(ctx, op, packZip(t, tinyPack("", slug)), false)
			if err != nil || pv.Imported || len(pv.Errors) != 1 || !strings.Contains(pv.Errors[0].Message, "taken") {
				t.Fatalf("%s by another trainer: %+v %v", slug, pv, err)
			}
		}
		if after := snapshot(); after != before {
			t.Fatal("a refused import changed rows")
		}

		// Errors: every GIFT error by line, a bad course.yaml, a bad image.
		bad := tinyPack("", "broken-pack")
		bad["questions.gift"] = "::Q1:: fine {TRUE}\n\n::Q2:: broken {=a ~b\n\n::Q3:: also {=x ~y\n"
		bad["course.yaml"] = "slug: Broken Pack\ntitle: X\nlanguage: en\n"
		pv, _ = e.Courses.ImportPackZip(ctx, tr, packZip(t, bad), true)
		if len(pv.Errors) < 3 || pv.Errors[0].File != "course.yaml" || pv.Errors[1].Line != 3 || pv.Errors[2].Line != 5 {
			t.Fatalf("errors: %+v", pv.Errors)
		}
		bad = tinyPack("", "bad-assessment")
		bad["course.yaml"] = strings.Replace(bad["course.yaml"], "kind: final", "kind: bogus", 1)
		pv, err = e.Courses.ImportPackZip(ctx, tr, packZip(t, bad), true)
		if err != nil || len(pv.Errors) != 1 || !strings.Contains(pv.Errors[0].Message, `assessment "Final"`) {
			t.Fatalf("bad assessment: %+v %v", pv.Errors, err)
		}
		bad = tinyPack("", "bad-image")
		bad["images/dot.svg"] = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`
		pv, _ = e.Courses.ImportPackZip(ctx, tr, packZip(t, bad), false)
		if pv.Imported || len(pv.Errors) == 0 || !strings.HasPrefix(pv.Errors[0].File, "images") {
			t.Fatalf("bad image: %+v", pv.Errors)
		}

		// Unsafe archives are refused before anything is read.
		for name, files := range map[string]map[string]string{
			"zip-slip": {"../course.yaml": "x", "lessons/01-a.md": "x"},
			"absolute": {"/etc/course.yaml": "x"},
			"oversize": {"course.yaml": strings.Repeat("a", courses.MaxPackUnzipped+1)},
			"two-tops": {"a/course.yaml": "x", "b/course.yaml": "x"},
		} {
			pv, err := e.Courses.ImportPackZip(ctx, tr, packZip(t, files), false)
			if err != nil || pv.Imported || len(pv.Errors) != 1 {
				t.Fatalf("%s: %+v %v", name, pv, err)
			}
		}
		many := map[string]string{}
		for i := 0; i <= courses.MaxPackFiles; i++ {
			many[strings.Repeat("x", i%7+1)+"/"+string(rune('a'+i%26))+strings.Repeat("y", i)+".md"] = ""
		}
		if pv, err := e.Courses.ImportPackZip(ctx, tr, packZip(t, many), false); err != nil || len(pv.Errors) != 1 || !strings.Contains(pv.Errors[0].Message, "more than") {
			t.Fatalf("many files: %+v %v", pv, err)
		}
	})
}
