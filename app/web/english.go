package web

import "skillgate/app/english"

// The English of the field rules (fields.go) and the problem details
// (details.go), each one table.
var (
	fieldEnglish  = english.New(fieldRules)
	detailEnglish = english.New(problemDetails)
)

// said is args with every value that is itself a FieldError (a message
// about a part) replaced by its message, so that it is said in full.
func said(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if fe, ok := a.(FieldError); ok {
			a = fe.Message
		}
		out[i] = a
	}
	return out
}
