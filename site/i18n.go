package site

import (
	"skillgate/app/i18n"
)

// Languages are the languages of the site, the first being the default.
var Languages = i18n.Languages

// Lang is one language's messages, as templates use them: .T, .N, .Date.
type Lang = i18n.Lang

// catalogue is the site's view of the shared message catalogues
// (app/i18n): every string of the pages, PDFs and problem details.
type catalogue struct {
	c     *i18n.Catalogue
	langs map[string]*Lang // by code, for the language switch
}

// newCatalogue uses the process's one parse of the embedded message files
// (i18n.Shared), which never change: every Site shares it.
func newCatalogue() *catalogue {
	c := i18n.Shared()
	cat := &catalogue{c: c, langs: map[string]*Lang{}}
	for _, t := range Languages {
		cat.langs[t.String()] = c.Lang(t.String())
	}
	return cat
}

// lang returns the language for a code the site speaks, else nil.
func (c *catalogue) lang(code string) *Lang { return c.c.Lang(code) }

// fromAcceptLanguage picks the best language the browser asks for, or nil
// when it names none the site speaks.
func (c *catalogue) fromAcceptLanguage(header string) *Lang { return c.c.FromAcceptLanguage(header) }
