package web

import (
	"bytes"
	"fmt"
	"sync"
	"text/template"
)

// english is a table of English go-i18n templates by catalogue key — the
// field rules (fields.go) and the problem details (details.go) — compiled
// on first use.
type english[K ~string] struct {
	texts     map[K]string
	templates func() map[K]*template.Template
}

func newEnglish[K ~string](texts map[K]string) english[K] {
	return english[K]{texts: texts, templates: sync.OnceValue(func() map[K]*template.Template {
		out := make(map[K]*template.Template, len(texts))
		for k, s := range texts {
			out[k] = template.Must(template.New(string(k)).Option("missingkey=error").Parse(s))
		}
		return out
	})}
}

// byKey returns every English template by its key as a string.
func (e english[K]) byKey() map[string]string {
	out := make(map[string]string, len(e.texts))
	for k, s := range e.texts {
		out[string(k)] = s
	}
	return out
}

// fill fills key's English template with pairs of names and values (a
// value that is itself a FieldError, a message about a part, is said in
// full). A key missing from the table or a value missing from args is a
// programming error that the constructors' table tests catch; the message
// then names the key, so that it shows rather than reads as valid.
func (e english[K]) fill(key K, args []any) string {
	t := e.templates()[key]
	if t == nil {
		return string(key)
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		v := args[i+1]
		if fe, ok := v.(FieldError); ok {
			v = fe.Message
		}
		data[fmt.Sprint(args[i])] = v
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return string(key)
	}
	return b.String()
}
