package site

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"
)

//go:embed locales/*.yaml
var localeFS embed.FS

// Languages are the languages of the site, the first being the default.
var Languages = []language.Tag{language.English, language.Hindi}

// catalogue holds every language's messages. go-i18n brings CLDR plural
// rules, so "1 question" and "20 questions" are right in every language.
type catalogue struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	langs   map[string]*Lang
}

func newCatalogue() (*catalogue, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	files, err := fs.Glob(localeFS, "locales/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("site: message catalogue %s: %w", f, err)
		}
	}
	c := &catalogue{bundle: b, matcher: language.NewMatcher(Languages), langs: map[string]*Lang{}}
	for _, t := range Languages {
		code := t.String()
		c.langs[code] = &Lang{Code: code, loc: i18n.NewLocalizer(b, code)}
	}
	return c, nil
}

// lang returns the language for a code the site speaks, else nil.
func (c *catalogue) lang(code string) *Lang {
	code = strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(code, "-_"); i > 0 {
		code = code[:i]
	}
	return c.langs[code]
}

// fromAcceptLanguage picks the best language the browser asks for, or nil
// when it names none the site speaks.
func (c *catalogue) fromAcceptLanguage(header string) *Lang {
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

// Lang is one language's messages, as templates use them.
type Lang struct {
	Code string
	loc  *i18n.Localizer
}

// T returns the message id, filled with pairs of names and values:
// T "lesson.of" "N" 3 "Total" 7.
func (l *Lang) T(id string, pairs ...any) string {
	var data map[string]any
	if len(pairs) > 1 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id // a missing key shows itself; TestCatalogues keeps it from shipping
	}
	return s
}

// N returns the plural form of id for count n, with n as {{.Count}}.
func (l *Lang) N(id string, n int) string {
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n}})
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

// DateTime is Date with the time of day, in UTC.
func (l *Lang) DateTime(t time.Time) string {
	return l.Date(t) + t.UTC().Format(" 15:04 UTC")
}

// Dir is the writing direction of the language.
func (l *Lang) Dir() string { return "ltr" }
