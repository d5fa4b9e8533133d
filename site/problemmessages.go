package site

import (
	"skillgate/app/web"
	"skillgate/classes"
)

// generalMessages is what a page says for an error of a kind whose detail
// the catalogue does not know.
var generalMessages = map[web.Kind]string{
	web.KindConflict:    "err.conflict",
	web.KindRateLimited: "err.rate_limited",
	web.KindValidation:  "err.invalid",
}

// problemMessage says a domain error that is not about one field (a
// conflict, a rate limit) in l: its detail's message from l's catalogue,
// filled with its values; a detail the catalogue does not know gets the
// kind's general message, never the API's English.
func problemMessage(l *Lang, e *web.Error) string {
	if e.Key != "" && l.Has(e.Key) {
		return l.T(e.Key, e.Args...)
	}
	if key, ok := generalMessages[e.Kind]; ok {
		return l.T(key)
	}
	return l.T("error.other")
}

// rowColumns names a learners file's columns by the headings the class
// page's table of learners uses.
var rowColumns = map[string]string{
	"name":     "staff.name",
	"username": "me.username",
	"email":    "signup.email",
	"locale":   "me.language",
}

// rowErrorView is one refused row of a learners file, said in the page's
// language: the column's heading (empty for the whole row) and the
// message.
type rowErrorView struct {
	Line            int
	Column, Message string
}

// rowMessages says each refused row in l, as fieldMessage says a field.
func rowMessages(l *Lang, rows []classes.RowError) []rowErrorView {
	out := make([]rowErrorView, len(rows))
	for i, r := range rows {
		v := rowErrorView{Line: r.Line,
			Message: fieldMessage(l, r.FieldError)}
		if key, ok := rowColumns[r.Field]; ok {
			v.Column = l.T(key)
		}
		out[i] = v
	}
	return out
}
