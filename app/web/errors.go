// Package web holds what every domain's HTTP edge shares: error kinds and
// their problem+json rendering, request binding and validation, the
// authenticated principal, and list cursors. It imports no domain package
// and nothing from app/server or app/config.
package web

import (
	"errors"
	"net/http"
	"time"
)

// Kind classifies an error so that the edge can map it to a status code.
type Kind int

// The error kinds a domain may return.
const (
	KindInternal Kind = iota
	KindNotFound
	KindForbidden
	KindUnauthenticated
	KindConflict
	KindValidation
	KindBadRequest
	KindRateLimited
	KindUnavailable
	KindTooLarge
	KindUnsupportedMediaType
)

// Status returns the HTTP status the contract names for the kind.
func (k Kind) Status() int {
	switch k {
	case KindNotFound:
		return http.StatusNotFound
	case KindForbidden:
		return http.StatusForbidden
	case KindUnauthenticated:
		return http.StatusUnauthorized
	case KindConflict:
		return http.StatusConflict
	case KindValidation:
		return http.StatusUnprocessableEntity
	case KindBadRequest:
		return http.StatusBadRequest
	case KindRateLimited:
		return http.StatusTooManyRequests
	case KindUnavailable:
		return http.StatusServiceUnavailable
	case KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case KindUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// Slug names the kind in a problem type URI.
func (k Kind) Slug() string {
	switch k {
	case KindNotFound:
		return "not-found"
	case KindForbidden:
		return "forbidden"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindConflict:
		return "conflict"
	case KindValidation:
		return "validation"
	case KindBadRequest:
		return "bad-request"
	case KindRateLimited:
		return "rate-limited"
	case KindUnavailable:
		return "unavailable"
	case KindTooLarge:
		return "too-large"
	case KindUnsupportedMediaType:
		return "unsupported-media-type"
	}
	return "internal"
}

// Error is a domain error with a kind and a message that is safe to show.
type Error struct {
	Kind    Kind
	Message string
	// Extra members are added to the problem document (for example retry_at).
	Extra map[string]any
	// RetryAfter, when set, becomes the Retry-After header.
	RetryAfter time.Duration
	// Fields carries field-level messages of a validation error.
	Fields []FieldError
	// Key names Message in the catalogues (a Detail), so that a page says
	// it in the reader's language; Args are pairs of names and values that
	// fill it. Neither is part of the problem document, whose detail stays
	// Message. An empty Key means a page says the kind's general message.
	// Build a keyed error with Detail.As or Detail.Conflict.
	Key  string
	Args []any
}

// FieldError is one field's validation message. Message is the English
// the API sends; Key and Args name the same message in the catalogues, so
// that a page says it in the reader's language. Build one with a
// constructor (Required, TooLong, ...) or Rule.On, never by hand: the
// English then comes from the one table in fields.go.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Key is the catalogue key (a Rule); empty for a message with no
	// translation, which a page replaces with a general one.
	Key string `json:"-"`
	// Args are pairs of names and values that fill the message.
	Args []any `json:"-"`
}

func (e *Error) Error() string { return e.Message }

// NotFound says the object does not exist or is not visible to the caller.
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Message: what + " not found"}
}

// Forbidden says the caller is known but may not do this.
func Forbidden(msg string) *Error { return &Error{Kind: KindForbidden, Message: msg} }

// Unauthenticated says the caller has no valid credentials.
func Unauthenticated(msg string) *Error { return &Error{Kind: KindUnauthenticated, Message: msg} }

// Conflict says the object's state forbids the request.
func Conflict(msg string) *Error { return &Error{Kind: KindConflict, Message: msg} }

// BadRequest says the request could not be read.
func BadRequest(msg string) *Error { return &Error{Kind: KindBadRequest, Message: msg} }

// Invalid is a validation error with field messages.
func Invalid(msg string, fields ...FieldError) *Error {
	return &Error{Kind: KindValidation, Message: msg, Fields: fields}
}

// RateLimited says the caller must wait retryAfter.
func RateLimited(retryAfter time.Duration) *Error {
	if retryAfter < time.Second {
		retryAfter = time.Second
	}
	e := DetailRateLimited.As(KindRateLimited)
	e.RetryAfter = retryAfter
	return e
}

// Unavailable says a dependency is down.
func Unavailable(msg string) *Error {
	return &Error{Kind: KindUnavailable, Message: msg, RetryAfter: 5 * time.Second}
}

// AsError finds the *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// IsKind reports whether err carries the kind k.
func IsKind(err error, k Kind) bool {
	e, ok := AsError(err)
	return ok && e.Kind == k
}
