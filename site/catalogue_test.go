package site

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func keysOf(t *testing.T, file string) map[string]any {
	t.Helper()
	raw, err := localeFS.ReadFile(file)
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
// shape, and every key the templates and handlers use exists.
func TestCatalogues(t *testing.T) {
	en := keysOf(t, "locales/en.yaml")
	files, _ := fs.Glob(localeFS, "locales/*.yaml")
	if len(files) < 2 {
		t.Fatalf("only %v", files)
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
		}
		for k := range other {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %q, which English lacks", f, k)
			}
		}
	}
	// Keys named literally in templates and Go code must exist.
	used := regexp.MustCompile(`\.(?:T|N) "([a-z0-9_.]+)"|T\("([a-z0-9_.]+)"|N\("([a-z0-9_.]+)"`)
	var sources []string
	_ = fs.WalkDir(templateFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := templateFS.ReadFile(p)
			sources = append(sources, string(b))
		}
		return nil
	})
	for _, m := range used.FindAllStringSubmatch(join(sources), -1) {
		k := m[1] + m[2] + m[3]
		if _, ok := en[k]; !ok {
			t.Errorf("templates use %q, which the catalogue lacks", k)
		}
	}
}

func join(ss []string) string { return strings.Join(ss, "\n") }

// TestLanguagesLoad: the catalogue parses and answers in each language.
func TestLanguagesLoad(t *testing.T) {
	c, err := newCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.lang("hi").N("exam.unanswered", 2); got != "2 सवालों के जवाब नहीं दिए गए हैं।" {
		t.Errorf("hi plural: %q", got)
	}
	if got := c.lang("en").N("exam.unanswered", 1); got != "1 question has no answer." {
		t.Errorf("en plural: %q", got)
	}
	if l := c.fromAcceptLanguage("hi-IN,hi;q=0.9"); l == nil || l.Code != "hi" {
		t.Errorf("Accept-Language hi: %v", l)
	}
	if l := c.fromAcceptLanguage("fr"); l != nil {
		t.Errorf("Accept-Language fr: %v", l.Code)
	}
}
