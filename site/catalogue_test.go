package site

import (
	"io/fs"
	"regexp"
	"testing"

	"skillgate/assessments"
)

// TestCatalogueKeysOfTemplates: every key the templates name literally
// exists. That every language has every key, and that the Go code's keys
// exist, is app/i18n's TestCatalogues and TestKeysUsedExist.
func TestCatalogueKeysOfTemplates(t *testing.T) {
	c := newCatalogue()
	en := c.lang("en")
	used := regexp.MustCompile(`\.(?:T|N) "([a-z0-9_.]+)"|T\("([a-z0-9_.]+)"|N\("([a-z0-9_.]+)"`)
	n := 0
	_ = fs.WalkDir(templateFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := templateFS.ReadFile(p)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			n++
			if k := m[1] + m[2] + m[3]; !en.Has(k) {
				t.Errorf("%s uses %q, which the catalogue lacks", p, k)
			}
		}
		return nil
	})
	if n == 0 {
		t.Error("no key found in the templates")
	}
}

// TestLanguagesLoad: the catalogue parses and answers in each language.
func TestLanguagesLoad(t *testing.T) {
	c := newCatalogue()
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
	if c.langs["en"] == nil || c.langs["hi"] == nil {
		t.Errorf("languages for the switch: %v", c.langs)
	}
}

// TestEveryQuestionTypeHasAName: the staff pages name a question's type
// from the catalogue (qtype.<type>), so each registered type needs its
// name in every language.
func TestEveryQuestionTypeHasAName(t *testing.T) {
	c := newCatalogue()
	for _, tag := range Languages {
		l := c.lang(tag.String())
		for _, qt := range assessments.QuestionTypes() {
			if key := "qtype." + string(qt); !l.Has(key) {
				t.Errorf("%s: no %s: name the question type %s in app/i18n/locales/%s.yaml", tag, key, qt, tag)
			}
		}
	}
}
