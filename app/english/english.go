// Package english holds tables of English message templates by catalogue
// key: the API says a message in English from its table, and a page says
// the same key in its reader's language from app/i18n's catalogues (a test
// there keeps the English catalogue equal to these tables word for word).
// It imports nothing of skillgate, so that any package — app/web's field
// rules and problem details, the GIFT parser's problems — can hold one.
package english

import (
	"bytes"
	"fmt"
	"sync"
	"text/template"
)

// Table is the English of each key, as go-i18n templates ({{.Max}} is the
// value passed as "Max"), compiled on first use.
type Table[K ~string] struct {
	texts     map[K]string
	templates func() map[K]*template.Template
}

// New returns the table of texts.
func New[K ~string](texts map[K]string) Table[K] {
	return Table[K]{texts: texts, templates: sync.OnceValue(func() map[K]*template.Template {
		out := make(map[K]*template.Template, len(texts))
		for k, s := range texts {
			out[k] = template.Must(template.New(string(k)).Option("missingkey=error").Parse(s))
		}
		return out
	})}
}

// ByKey returns every template by its key as a string, for the test that
// keeps the catalogues holding them.
func (t Table[K]) ByKey() map[string]string {
	out := make(map[string]string, len(t.texts))
	for k, s := range t.texts {
		out[string(k)] = s
	}
	return out
}

// Fill fills key's template with pairs of names and values. A key missing
// from the table or a value missing from args is a programming error that
// the tables' tests catch; the message then names the key, so that it
// shows rather than reads as valid.
func (t Table[K]) Fill(key K, args ...any) string {
	tmpl := t.templates()[key]
	if tmpl == nil {
		return string(key)
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return string(key)
	}
	return b.String()
}
