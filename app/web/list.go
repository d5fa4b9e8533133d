package web

import (
	"encoding/base64"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// Page is a request for one page of a list.
type Page struct {
	Limit  int
	After  string // the decoded cursor: the sort key of the last item seen
	cursor string
}

// List is the contract's list envelope.
type List[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// ParsePage reads ?limit= (default 20, max 100) and ?cursor=.
func ParsePage(c *fiber.Ctx) (Page, error) {
	p := Page{Limit: 20}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, &Error{Kind: KindBadRequest, Message: "limit must be a positive integer",
				Fields: []FieldError{RulePositiveInteger.On("limit")}}
		}
		p.Limit = min(n, 100)
	}
	if s := c.Query("cursor"); s != "" {
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(raw) == 0 || len(raw) > 200 {
			return p, &Error{Kind: KindBadRequest, Message: "cursor is not valid",
				Fields: []FieldError{NotValid("cursor")}}
		}
		p.After = string(raw)
	}
	return p, nil
}

// NewList builds the envelope from up to Limit+1 fetched items: the extra
// item, when present, proves there is a next page, whose cursor is key of
// the last item kept.
func NewList[T any](items []T, p Page, key func(T) string) List[T] {
	out := List[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) > p.Limit {
		out.Items = items[:p.Limit]
		c := base64.RawURLEncoding.EncodeToString([]byte(key(out.Items[p.Limit-1])))
		out.NextCursor = &c
	}
	return out
}

// MapList converts every item of a list.
func MapList[T, U any](l List[T], f func(T) U) List[U] {
	out := List[U]{Items: make([]U, len(l.Items)), NextCursor: l.NextCursor}
	for i, it := range l.Items {
		out.Items[i] = f(it)
	}
	return out
}
