package web

import (
	"encoding/json"
	"net/http"
)

// ProblemTypeBase prefixes every problem type URI.
const ProblemTypeBase = "https://skillgate.dev/problems/"

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Errors []FieldError   `json:"errors,omitempty"`
	Extra  map[string]any `json:"-"`
}

// MarshalJSON flattens Extra members into the document.
func (p Problem) MarshalJSON() ([]byte, error) {
	m := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status}
	if p.Detail != "" {
		m["detail"] = p.Detail
	}
	if len(p.Errors) > 0 {
		m["errors"] = p.Errors
	}
	for k, v := range p.Extra {
		if _, taken := m[k]; !taken && (k != "errors" || isValidationStatus(p.Status)) {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// isValidationStatus reports the statuses whose problems may carry an
// `errors` member: the contract keeps it for validation answers (422, and
// 400 for a field of the wrong type).
func isValidationStatus(status int) bool {
	return status == http.StatusUnprocessableEntity || status == http.StatusBadRequest
}

// Title is the problem title of a status: the reason phrase of RFC 9110,
// which renamed 413 "Content Too Large" and 422 "Unprocessable Content".
func Title(status int) string {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return "Content Too Large"
	case http.StatusUnprocessableEntity:
		return "Unprocessable Content"
	}
	return http.StatusText(status)
}

// ProblemFor renders a domain error. Field messages are shown only on
// validation answers.
func ProblemFor(e *Error) Problem {
	status := e.Kind.Status()
	p := Problem{
		Type:   ProblemTypeBase + e.Kind.Slug(),
		Title:  Title(status),
		Status: status,
		Detail: e.Message,
		Extra:  e.Extra,
	}
	if isValidationStatus(status) {
		p.Errors = e.Fields
	}
	return p
}

// ProblemForStatus renders a bare status, for errors that carry no kind.
func ProblemForStatus(status int, detail string) Problem {
	slug := "error"
	for k := KindInternal; k <= KindUnsupportedMediaType; k++ {
		if k.Status() == status {
			slug = k.Slug()
			break
		}
	}
	switch status {
	case http.StatusMethodNotAllowed:
		slug = "method-not-allowed"
	case http.StatusNotAcceptable:
		slug = "not-acceptable"
	case http.StatusRequestHeaderFieldsTooLarge:
		slug = "headers-too-large"
	}
	return Problem{Type: ProblemTypeBase + slug, Title: Title(status), Status: status, Detail: detail}
}
