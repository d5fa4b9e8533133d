// Package i18n holds every string a person reads — pages, PDFs, the
// problem details shown on pages — in one catalogue per language
// (locales/<code>.yaml, embedded), and answers in a language: For("hi").T
// ("checkpage.title"). Adding a language is adding one file; a test keeps
// every language holding every key.
//
// It is a leaf: it imports no domain and no other package of app, so the
// site and the domains (certs, classes) share it.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

//go:embed locales/*.yaml
var localeFS embed.FS

// Languages are the languages spoken, the first being the default.
var Languages = []language.Tag{language.English, language.Hindi}

// Default is the code of the language used when none is known.
const Default = "en"

// Catalogue holds every language's messages. go-i18n brings CLDR plural
// rules, so "1 question" and "20 questions" are right in every language.
type Catalogue struct {
	matcher language.Matcher
	langs   map[string]*Lang
	keys    map[string]map[string]bool // language code -> message ids
}

// Load parses the embedded catalogues.
func Load() (*Catalogue, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	files, err := fs.Glob(localeFS, "locales/*.yaml")
	if err != nil {
		return nil, err
	}
	c := &Catalogue{matcher: language.NewMatcher(Languages), langs: map[string]*Lang{}, keys: map[string]map[string]bool{}}
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		mf, err := b.ParseMessageFileBytes(data, path.Base(f))
		if err != nil {
			return nil, fmt.Errorf("i18n: message catalogue %s: %w", f, err)
		}
		ids := map[string]bool{}
		for _, m := range mf.Messages {
			ids[m.ID] = true
		}
		c.keys[strings.TrimSuffix(path.Base(f), path.Ext(f))] = ids
	}
	for _, t := range Languages {
		code := t.String()
		if c.keys[code] == nil {
			return nil, fmt.Errorf("i18n: no catalogue for %s", code)
		}
		c.langs[code] = &Lang{Code: code, loc: goi18n.NewLocalizer(b, code), keys: c.keys[code]}
	}
	return c, nil
}

// shared is the catalogue of this process: the files are embedded and
// never change, so it is parsed once, on first use.
var shared = sync.OnceValue(func() *Catalogue {
	c, err := Load()
	if err != nil {
		panic(err) // the embedded files are broken; TestCatalogues catches it
	}
	return c
})

// Shared returns the process's catalogue.
func Shared() *Catalogue { return shared() }

// For returns the language for a code or locale ("hi", "hi-IN"), or
// English when the catalogue does not speak it.
func For(code string) *Lang {
	if l := shared().Lang(code); l != nil {
		return l
	}
	return shared().langs[Default]
}

// Lang returns the language for a code or locale the catalogue speaks,
// else nil.
func (c *Catalogue) Lang(code string) *Lang {
	code = strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(code, "-_"); i > 0 {
		code = code[:i]
	}
	return c.langs[code]
}

// FromAcceptLanguage picks the best language a browser asks for, or nil
// when it names none the catalogue speaks.
func (c *Catalogue) FromAcceptLanguage(header string) *Lang {
	if header == "" {
		return nil
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return nil
	}
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return nil
	}
	return c.langs[Languages[i].String()]
}

// Keys lists the message ids of a language's catalogue, sorted.
func (c *Catalogue) Keys(code string) []string {
	out := make([]string, 0, len(c.keys[code]))
	for k := range c.keys[code] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lang is one language's messages.
type Lang struct {
	Code string
	loc  *goi18n.Localizer
	keys map[string]bool
}

// Has reports whether the language has a message id.
func (l *Lang) Has(id string) bool { return l.keys[id] }

// T returns the message id, filled with pairs of names and values:
// T("lesson.of", "N", 3, "Total", 7); in a template, T "lesson.of" "N" 3
// "Total" 7. A missing id returns itself, so that it shows.
func (l *Lang) T(id string, pairs ...any) string {
	var data map[string]any
	if len(pairs) > 1 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id // a missing key shows itself; TestCatalogues keeps it from shipping
	}
	return s
}

// N returns the plural form of id for count n, with n as {{.Count}}.
func (l *Lang) N(id string, n int) string {
	s, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n}})
	if err != nil {
		return id
	}
	return s
}

// Date writes a day as people of the language read it ("29 Nov 2026",
// "29 नवंबर 2026"), in UTC.
func (l *Lang) Date(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%d %s %d", t.Day(), l.T(fmt.Sprintf("month.%d", int(t.Month()))), t.Year())
}

// LongDate is Date with the month's full name ("29 November 2026"), for
// printed documents.
func (l *Lang) LongDate(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%d %s %d", t.Day(), l.T(fmt.Sprintf("month.long.%d", int(t.Month()))), t.Year())
}

// DateTime is Date with the time of day, in UTC.
func (l *Lang) DateTime(t time.Time) string {
	return l.Date(t) + t.UTC().Format(" 15:04 UTC")
}

// Dir is the writing direction of the language.
func (l *Lang) Dir() string { return "ltr" }
