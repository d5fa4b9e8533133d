package courses_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/assessments/gift"
	"skillgate/courses"
	"skillgate/courses/packs"
)

func TestBuiltInPacksParseAndRender(t *testing.T) {
	list, err := courses.ReadPacks(packs.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"digital-literacy-foundations": true, "data-confidentiality-essentials": true,
		"annotation-quality-practices": true, "digital-literacy-foundations-hi": true,
		"data-confidentiality-essentials-hi": true, "annotation-quality-practices-hi": true,
		"digital-literacy-foundations-sw": true}
	for _, p := range list {
		delete(want, p.Meta.Slug)
		t.Run(p.Meta.Slug, func(t *testing.T) {
			if p.Meta.Slug == "data-confidentiality-essentials" && p.Meta.CertificateValidityDays != 365 {
				t.Errorf("validity %d, want 365", p.Meta.CertificateValidityDays)
			}
			for _, lang := range []string{"hi", "sw"} {
				if strings.HasSuffix(p.Meta.Slug, "-"+lang) && (p.Meta.Language != lang || p.Meta.Translates != strings.TrimSuffix(p.Meta.Slug, "-"+lang)) {
					t.Errorf("%s pack: language %q translates %q", lang, p.Meta.Language, p.Meta.Translates)
				}
			}
			min := 6
			if strings.HasPrefix(p.Meta.Slug, "annotation-quality-practices") {
				min = 4
			}
			if len(p.Lessons) < min {
				t.Errorf("%d lessons, want at least %d", len(p.Lessons), min)
			}
			for _, l := range p.Lessons {
				html, err := courses.RenderMarkdown(l.Body)
				if err != nil || len(html) < 1000 {
					t.Errorf("lesson %s renders to %d bytes: %v", l.Key, len(html), err)
				}
				if !strings.Contains(html, "<h2") || l.Minutes < 5 || l.Minutes > 10 {
					t.Errorf("lesson %s: minutes %d or no sections", l.Key, l.Minutes)
				}
			}
			qs, errs := gift.Parse(p.QuestionsGIFT)
			if len(errs) > 0 {
				t.Fatalf("questions.gift: %v", errs)
			}
			if len(qs) < 30 {
				t.Errorf("%d questions, want at least 30", len(qs))
			}
			for _, q := range qs {
				if q.Explanation == "" {
					t.Errorf("question %q has no explanation", q.Title)
				}
			}
			// The cooldowns are the assessments owner's to tune; that every
			// translation has the original's is checked in structure_test.go.
			if len(p.Meta.Assessments) != 1 || p.Meta.Assessments[0].Kind != "final" || p.Meta.Assessments[0].QuestionCount != 20 ||
				p.Meta.Assessments[0].PassPercent != 80 || p.Meta.Assessments[0].MaxAttempts != 3 ||
				p.Meta.Assessments[0].TimeLimitSeconds != 1800 || p.Meta.Assessments[0].CooldownSeconds <= 0 {
				t.Errorf("final: %+v", p.Meta.Assessments)
			}
		})
	}
	if len(want) > 0 {
		t.Fatalf("missing packs: %v", want)
	}
}

func count(t *testing.T, db *gorm.DB, table string) int64 {
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportTwiceCreatesNothingTwice(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		var out strings.Builder
		if err := e.Seed(ctx, &out); err != nil {
			t.Fatal(err)
		}
		builtIn, err := courses.ReadPacks(packs.FS, ".")
		if err != nil {
			t.Fatal(err)
		}
		n := len(builtIn)
		if !strings.Contains(out.String(), fmt.Sprintf("[%d/%d]", n, n)) || strings.Count(out.String(), "created") != n {
			t.Fatalf("first import: %s", out.String())
		}
		tables := []string{"courses", "course_modules", "course_lessons", "course_versions"}
		before := map[string]int64{}
		for _, tb := range tables {
			before[tb] = count(t, db, tb)
		}
		// Both a second seed and an explicit import compare content and
		// change nothing.
		out.Reset()
		if err := e.Seed(ctx, &out); err != nil {
			t.Fatal(err)
		}
		if err := e.Import(ctx, packs.FS, ".", courses.ImportOptions{Publish: true}, &out); err != nil {
			t.Fatal(err)
		}
		if strings.Count(out.String(), "unchanged") != 2*n {
			t.Fatalf("second import: %s", out.String())
		}
		for _, tb := range tables {
			if n := count(t, db, tb); n != before[tb] {
				t.Errorf("%s: %d rows after the second import, %d before", tb, n, before[tb])
			}
		}
	})
}

func TestReimportUpdatesAsDraftKeepingLessonIDs(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		lesson := func(title, body string) *fstest.MapFile {
			return &fstest.MapFile{Data: []byte("---\nmodule: Basics\ntitle: " + title + "\nminutes: 5\n---\n" + body + "\n")}
		}
		fsys := fstest.MapFS{
			"pack/course.yaml":       {Data: []byte("slug: tiny\ntitle: Tiny\nsummary: A tiny course.\nlanguage: en\ntags: [x]\nestimated_minutes: 10\n")},
			"pack/lessons/01-one.md": lesson("One", "First."),
			"pack/lessons/02-two.md": lesson("Two", "Second."),
		}
		if err := e.Import(ctx, fsys, "pack", courses.ImportOptions{}, &strings.Builder{}); err != nil {
			t.Fatal(err)
		}
		v1, err := e.Courses.Get(ctx, nil, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		fsys["pack/lessons/02-two.md"] = lesson("Two", "Second, revised.")
		fsys["pack/lessons/03-three.md"] = lesson("Three", "Third.")
		var out strings.Builder
		if err := e.Import(ctx, fsys, "pack", courses.ImportOptions{}, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "draft") {
			t.Fatalf("re-import: %s", out.String())
		}
		if n := count(t, db, "courses"); n != 1 {
			t.Fatalf("%d courses", n)
		}
		pub, _ := e.Courses.Get(ctx, nil, "tiny")
		if pub.Version.Number != 1 || len(pub.Version.Lessons()) != 2 {
			t.Fatalf("learners see %d lessons of version %d", len(pub.Version.Lessons()), pub.Version.Number)
		}
		// The draft is read from the database, as the next publish will.
		draft, err := courses.NewStore(db, nil).Course(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		lessons := draft.Modules[0].Lessons
		if len(lessons) != 3 || lessons[0].ID != v1.Version.Lessons()[0].ID || lessons[1].ID != v1.Version.Lessons()[1].ID {
			t.Fatalf("lesson ids not kept: %+v", lessons)
		}
		if err := e.Import(ctx, fsys, "pack", courses.ImportOptions{Publish: true}, &out); err != nil {
			t.Fatal(err)
		}
		pub, _ = e.Courses.Get(ctx, nil, "tiny")
		if pub.Version.Number != 2 || len(pub.Version.Lessons()) != 3 {
			t.Fatalf("after --publish: version %d with %d lessons", pub.Version.Number, len(pub.Version.Lessons()))
		}
	})
}

func TestBadPacksAreRefused(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"no course.yaml":  {"p/lessons/01-a.md": {Data: []byte("---\nmodule: M\ntitle: T\n---\nx")}},
		"unknown field":   {"p/course.yaml": {Data: []byte("slug: a\ntitle: A\nlanguage: en\nprice: 3\n")}, "p/lessons/01-a.md": {Data: []byte("---\nmodule: M\ntitle: T\n---\nx")}},
		"bad slug":        {"p/course.yaml": {Data: []byte("slug: A B\ntitle: A\nlanguage: en\n")}, "p/lessons/01-a.md": {Data: []byte("---\nmodule: M\ntitle: T\n---\nx")}},
		"no lessons":      {"p/course.yaml": {Data: []byte("slug: a\ntitle: A\nlanguage: en\n")}, "p/lessons/readme.txt": {Data: []byte("x")}},
		"no front matter": {"p/course.yaml": {Data: []byte("slug: a\ntitle: A\nlanguage: en\n")}, "p/lessons/01-a.md": {Data: []byte("# no front matter")}},
		"bad file name":   {"p/course.yaml": {Data: []byte("slug: a\ntitle: A\nlanguage: en\n")}, "p/lessons/Intro.md": {Data: []byte("---\nmodule: M\ntitle: T\n---\nx")}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := courses.ReadPack(fsys, "p"); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
