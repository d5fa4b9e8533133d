package courses_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
	"skillgate/courses"
)

// TestPackErrorKeys: each problem of a pack's files names its file, its
// line where the file has one, and a field rule whose values fill its
// English to exactly the message, so a page can say it in its reader's
// language.
func TestPackErrorKeys(t *testing.T) {
	const (
		yamlOK = "slug: a\ntitle: A\nlanguage: en\n"
		lesson = "---\nmodule: M\ntitle: T\n---\nx\n"
	)
	for name, tc := range map[string]struct {
		files   map[string]string
		file    string
		line    int
		key     web.Rule
		message string
	}{
		"unknown setting": {map[string]string{"course.yaml": yamlOK + "price: 3\n", "lessons/01-a.md": lesson},
			"course.yaml", 4, web.RulePackYAMLField, "price is not a setting of course.yaml"},
		"wrong type": {map[string]string{"course.yaml": yamlOK + "estimated_minutes: many\n", "lessons/01-a.md": lesson},
			"course.yaml", 4, web.RulePackYAMLType, "has a value of the wrong type: cannot unmarshal !!str `many` into int"},
		"syntax": {map[string]string{"course.yaml": "slug: a\ntitle: A\n  x: y\n", "lessons/01-a.md": lesson},
			"course.yaml", 3, web.RulePackYAMLSyntax, "is not valid YAML: mapping values are not allowed in this context"},
		"empty": {map[string]string{"course.yaml": "", "lessons/01-a.md": lesson},
			"course.yaml", 0, web.RulePackFileEmpty, "the file is empty"},
		"bad slug": {map[string]string{"course.yaml": "slug: A B\ntitle: A\nlanguage: en\n", "lessons/01-a.md": lesson},
			"course.yaml", 0, web.RuleQuestionField, "slug must be lowercase letters, digits and single hyphens"},
		"lesson name": {map[string]string{"course.yaml": yamlOK, "lessons/Intro.md": lesson},
			"lessons/Intro.md", 0, web.RulePackLessonName, "name must be NN-name.md"},
		"no front matter": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": "# x\n"},
			"lessons/01-a.md", 0, web.RulePackNoFrontMatter, "missing front matter"},
		"front matter open": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": "---\nmodule: M\n"},
			"lessons/01-a.md", 0, web.RulePackFrontOpen, "front matter is not closed with ---"},
		"front matter yaml": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": "---\nmodule: M\nminutes: five\n---\nx\n"},
			"lessons/01-a.md", 3, web.RulePackYAMLType, "has a value of the wrong type: cannot unmarshal !!str `five` into int"},
		"front matter fields": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": "---\nmodule: M\n---\nx\n"},
			"lessons/01-a.md", 0, web.RulePackFrontFields, "front matter needs module and title"},
		"no lessons": {map[string]string{"course.yaml": yamlOK, "lessons/readme.txt": "x"},
			"", 0, web.RulePackNoLessons, "no lessons"},
		"image name": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": lesson, "images/Dot.svg": "<svg/>"},
			"images/Dot.svg", 0, web.RulePackImageName, "name must be lowercase-words.svg"},
		"image unsafe": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": lesson,
			"images/dot.svg": `<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>`},
			"images/dot.svg", 0, web.RulePackImageUnsafe, "is not a safe SVG picture: element <script> is not allowed"},
		"image missing": {map[string]string{"course.yaml": yamlOK, "lessons/01-a.md": "---\nmodule: M\ntitle: T\n---\n![x](images/gone.svg)\n"},
			"lessons/01-a.md", 0, web.RulePackImageMissing, "images/gone.svg is not in the pack"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, body := range tc.files {
				fsys["p/"+n] = &fstest.MapFile{Data: []byte(body)}
			}
			_, errs := courses.ReadPackPreview(fsys, "p")
			if len(errs) != 1 {
				t.Fatalf("%d errors: %+v", len(errs), errs)
			}
			e := errs[0]
			if e.File != tc.file || e.Line != tc.line || e.Key != string(tc.key) || e.Message != tc.message {
				t.Fatalf("got %s line %d %s %q, want %s line %d %s %q", e.File, e.Line, e.Key, e.Message, tc.file, tc.line, tc.key, tc.message)
			}
			if got := tc.key.On("", e.Args...).Message; got != e.Message {
				t.Errorf("the rule says %q, the message is %q", got, e.Message)
			}
		})
	}
}

// TestPackImportErrorKeys: the problems only an import finds — an
// assessment the assessments domain refuses, a lesson_tags entry naming
// a lesson the pack lacks, a slug of another course — are keyed too.
func TestPackImportErrorKeys(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		tr := web.Principal{UserID: e.UserWithRole(web.RoleTrainer).ID, Role: web.RoleTrainer}
		other := web.Principal{UserID: e.UserWithRole(web.RoleTrainer).ID, Role: web.RoleTrainer}
		if pv, err := e.Courses.ImportPackZip(ctx, other, packZip(t, tinyPack("", "someone-elses")), false); err != nil || !pv.Imported {
			t.Fatalf("other trainer's pack: %+v %v", pv, err)
		}
		kind := tinyPack("", "bad-kind")
		kind["course.yaml"] = strings.Replace(kind["course.yaml"], "kind: final", "kind: bogus", 1)
		tags := tinyPack("", "bad-tags")
		tags["course.yaml"] += "    lesson_tags:\n      phones: 09-gone\n"
		for name, tc := range map[string]struct {
			files map[string]string
			file  string
			key   web.Rule
		}{
			"assessment": {kind, "course.yaml", web.RuleInAssessment},
			"lesson tag": {tags, "course.yaml", web.RulePackLessonTag},
			"slug taken": {tinyPack("", "someone-elses"), "course.yaml", web.RulePackSlugTaken},
		} {
			pv, err := e.Courses.ImportPackZip(ctx, tr, packZip(t, tc.files), true)
			if err != nil || len(pv.Errors) != 1 {
				t.Fatalf("%s: %+v %v", name, pv.Errors, err)
			}
			pe := pv.Errors[0]
			if pe.File != tc.file || pe.Key != string(tc.key) || tc.key.On("", pe.Args...).Message == string(tc.key) {
				t.Errorf("%s: %+v, want %s in %s", name, pe, tc.key, tc.file)
			}
		}
	})
}
