package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"skillgate/app/i18n"
	"skillgate/app/web"
	"skillgate/assessments/gift"
)

func keysOf(t *testing.T, file string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

// TestCatalogues: every language has every key, with the same plural
// shape, and no language has a key English lacks; every language the
// package speaks has a file, and the files parse.
func TestCatalogues(t *testing.T) {
	en := keysOf(t, "locales/en.yaml")
	files, _ := filepath.Glob("locales/*.yaml")
	if len(files) < len(i18n.Languages) {
		t.Fatalf("only %v for %v", files, i18n.Languages)
	}
	for _, f := range files {
		other := keysOf(t, f)
		for k, v := range en {
			ov, ok := other[k]
			if !ok {
				t.Errorf("%s lacks %q", f, k)
				continue
			}
			_, plural := v.(map[string]any)
			_, oplural := ov.(map[string]any)
			if plural != oplural {
				t.Errorf("%s: %q is plural in one language only", f, k)
			}
			if s, ok := ov.(string); ok && strings.TrimSpace(s) == "" {
				t.Errorf("%s: %q is empty", f, k)
			}
		}
		for k := range other {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %q, which English lacks", f, k)
			}
		}
	}
	if _, err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
}

// usedKey finds message ids named literally: .T "id" and .N "id" in
// templates, T("id", ...) and N("id", ...) in Go, and the field rules and
// problem details of app/web (Rule = "field.id", Detail = "problem.id");
// not the prefixes of ids made at run time (T("flash." + f)).
var usedKey = regexp.MustCompile(`\.(?:T|N) "([a-z0-9_.]+)"[ )}]|\bT\("([a-z0-9_.]+)"\s*[,)]|\bN\("([a-z0-9_.]+)"\s*[,)]|\b(?:Rule|Detail) += "([a-z0-9_.]+)"`)

// TestKeysUsedExist: every id the code and templates of the module name
// literally is in the catalogue, so a typo cannot ship as a raw id.
func TestKeysUsedExist(t *testing.T) {
	en := i18n.For("en")
	root := filepath.Join("..", "..")
	seen := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".html") && (!strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range usedKey.FindAllStringSubmatch(string(b), -1) {
			k := m[1] + m[2] + m[3] + m[4]
			seen++
			if !en.Has(k) {
				t.Errorf("%s uses %q, which the catalogue lacks", p, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 { // the site alone names hundreds; fewer means the scan broke
		t.Errorf("only %d keys found in the code", seen)
	}
}

// TestFieldMessages: every field rule and every problem detail of
// app/web, and every GIFT problem of assessments/gift, is in every
// language, the English catalogue says word for word
// what the API says, and every language's message fills with the values
// the rule passes (no value is missing, none is left over as a raw
// template).
func TestFieldMessages(t *testing.T) {
	en := keysOf(t, "locales/en.yaml")
	names := regexp.MustCompile(`\{\{\.(\w+)\}\}`)
	rules := web.FieldRules()
	if len(rules) < 50 {
		t.Fatalf("only %d field rules", len(rules))
	}
	for _, table := range []struct {
		what  string
		texts map[string]string
		least int
	}{{"problem details", web.ProblemDetails(), 10}, {"GIFT problems", gift.Rules(), 30}} {
		if len(table.texts) < table.least {
			t.Fatalf("only %d %s", len(table.texts), table.what)
		}
		for key, english := range table.texts {
			if _, dup := rules[key]; dup {
				t.Fatalf("%s is in %s and in another table", key, table.what)
			}
			rules[key] = english
		}
	}
	// A key the catalogue holds for a rule, detail or GIFT problem has its
	// English in app/web or assessments/gift: a constant whose English was
	// forgotten would say its key.
	for key := range en {
		if _, ok := rules[key]; !ok && key != "field.labelled" && (strings.HasPrefix(key, "field.") || strings.HasPrefix(key, "problem.") || strings.HasPrefix(key, "gift.")) {
			t.Errorf("en.yaml has %s, which app/web and assessments/gift do not say", key)
		}
	}
	for key, english := range rules {
		if got, _ := en[key].(string); got != english {
			t.Errorf("en.yaml %s = %q, but the API says %q", key, got, english)
		}
		var args []any
		for _, m := range names.FindAllStringSubmatch(english, -1) {
			args = append(args, m[1], "«"+m[1]+"»")
		}
		for _, tag := range i18n.Languages {
			l := i18n.For(tag.String())
			msg := l.T(key, args...)
			if !l.Has(key) || msg == key || strings.Contains(msg, "<no value>") || strings.Contains(msg, "{{") {
				t.Errorf("%s: %s says %q", tag, key, msg)
			}
			// A value the English names is not dropped by a translation,
			// except a size in bytes, which a reader need not know.
			for i := 1; i < len(args); i += 2 {
				if v := args[i].(string); !strings.Contains(msg, v) && key != "field.too_long_bytes" {
					t.Errorf("%s: %s leaves out %s: %q", tag, key, v, msg)
				}
			}
		}
	}
	// The English of a rule or a detail filled by web is the English
	// catalogue's.
	f := web.Between("question_count", 1, 200)
	if got := i18n.For("en").T(f.Key, f.Args...); got != f.Message {
		t.Errorf("en catalogue says %q, the API %q", got, f.Message)
	}
	for _, e := range []*web.Error{web.DetailModuleNotEmpty.Conflict("Count", 3), web.RateLimited(time.Minute),
		web.DetailPackSlugTaken.Conflict("Slug", `"safe-data"`)} {
		if got := i18n.For("en").T(e.Key, e.Args...); got != e.Message {
			t.Errorf("en catalogue says %q, the API %q", got, e.Message)
		}
	}
	// So is a GIFT problem's, quotes, braces and percent signs included,
	// and Hindi says it with the same values.
	_, errs := gift.Parse("::Q1:: {=a =b ~c}\n\n::Q2:: Pick {~%150%a ~b}\n\n::Q3:: Count {#5..1}\n\n::Q4:: Brace } {T}\n")
	if len(errs) != 4 {
		t.Fatalf("GIFT errors: %+v", errs)
	}
	for _, e := range errs {
		if got := i18n.For("en").T(string(e.Key), e.Args...); got != e.Message {
			t.Errorf("en catalogue says %q, the API %q", got, e.Message)
		}
		if got := i18n.For("hi").T(string(e.Key), e.Args...); got == e.Message || strings.Contains(got, "gift.") {
			t.Errorf("hi catalogue says %q for %q", got, e.Message)
		}
	}
}

// TestLanguages: plurals, dates and the choice of language.
func TestLanguages(t *testing.T) {
	c := i18n.Shared()
	if got := c.Lang("hi").N("exam.unanswered", 2); got != "2 सवालों के जवाब नहीं दिए गए हैं।" {
		t.Errorf("hi plural: %q", got)
	}
	if got := i18n.For("en").N("exam.unanswered", 1); got != "1 question has no answer." {
		t.Errorf("en plural: %q", got)
	}
	if l := c.FromAcceptLanguage("hi-IN,hi;q=0.9"); l == nil || l.Code != "hi" {
		t.Errorf("Accept-Language hi: %v", l)
	}
	if l := c.FromAcceptLanguage("fr"); l != nil {
		t.Errorf("Accept-Language fr: %v", l.Code)
	}
	if l := i18n.For("hi-IN"); l.Code != "hi" {
		t.Errorf("hi-IN: %s", l.Code)
	}
	if l := i18n.For("sw"); l.Code != "en" {
		t.Errorf("an unknown language falls back to %s, want en", l.Code)
	}
	day := time.Date(2026, 11, 29, 10, 5, 0, 0, time.UTC)
	for _, tc := range []struct{ got, want string }{
		{i18n.For("en").Date(day), "29 Nov 2026"},
		{i18n.For("en").LongDate(day), "29 November 2026"},
		{i18n.For("hi").LongDate(day), "29 नवंबर 2026"},
		{i18n.For("hi").DateTime(day), "29 नवंबर 2026 10:05 UTC"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
