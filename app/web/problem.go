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
		if _, taken := m[k]; !taken {
			m[k] = v
		}
	}
	return json.Marshal(m)
}

// ProblemFor renders a domain error.
func ProblemFor(e *Error) Problem {
	status := e.Kind.Status()
	return Problem{
		Type:   ProblemTypeBase + e.Kind.Slug(),
		Title:  http.StatusText(status),
		Status: status,
		Detail: e.Message,
		Errors: e.Fields,
		Extra:  e.Extra,
	}
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
	return Problem{Type: ProblemTypeBase + slug, Title: http.StatusText(status), Status: status, Detail: detail}
}
