package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// Validator returns the shared, immutable struct validator. It names fields
// by their json tag so that error messages match the wire format.
func Validator() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			return name
		})
		validate = v
	})
	return validate
}

// Bind reads a JSON body into dst and validates it. An empty body is read as
// {} so that optional bodies work; a non-JSON content type is 415, malformed
// JSON or a wrong type is 400, and a rule broken is 422 with field errors.
func Bind(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	} else if ct := string(c.Request().Header.ContentType()); !isJSON(ct) {
		return &Error{Kind: KindUnsupportedMediaType, Message: "the body must be application/json"}
	}
	if err := DecodeJSON(body, dst); err != nil {
		return err
	}
	return Validate(dst)
}

// isJSON accepts application/json and any application/*+json type.
func isJSON(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// DecodeJSON decodes body into dst, turning syntax and type errors into
// a 400 that says where the problem is without echoing internals.
func DecodeJSON(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return BadRequest(fmt.Sprintf("malformed JSON at byte %d", se.Offset))
		case errors.As(err, &te):
			field := te.Field
			if field == "" {
				return BadRequest("the body must be a JSON object")
			}
			return &Error{Kind: KindBadRequest, Message: fmt.Sprintf("%s must be %s", field, jsonTypeName(te.Type)),
				Fields: []FieldError{typeRule(jsonTypeName(te.Type)).On(field)}}
		default:
			return BadRequest("malformed JSON")
		}
	}
	if dec.More() {
		return BadRequest("malformed JSON: more than one value")
	}
	return nil
}

func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of another type"
}

// Validate runs the struct's `validate` tags and returns a 422 with a
// message per field.
func Validate(v any) error {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil // not a struct: nothing to validate
	}
	fields := make([]FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, ruleField(fieldPath(fe), fe))
	}
	return Invalid("the request is not valid", fields...)
}

func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

// ruleField says which validate tag a field broke, in the words a
// service uses for the same rule.
func ruleField(field string, fe validator.FieldError) FieldError {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return Required(field)
	case "email":
		return NotEmail(field)
	case "min":
		if n, err := strconv.Atoi(p); err == nil && fe.Kind() == reflect.String {
			return TooShort(field, n)
		} else if err == nil && fe.Kind() == reflect.Slice {
			return TooFew(field, n)
		}
		return AtLeast(field, p)
	case "max":
		if n, err := strconv.Atoi(p); err == nil && fe.Kind() == reflect.String {
			return TooLong(field, n)
		} else if err == nil && fe.Kind() == reflect.Slice {
			return TooMany(field, n)
		}
		return AtMost(field, p)
	case "gte":
		return AtLeast(field, p)
	case "lte":
		return AtMost(field, p)
	case "gt":
		return GreaterThan(field, p)
	case "oneof":
		return OneOf(field, strings.Fields(p)...)
	case "url", "http_url":
		return NotURL(field)
	case "slug":
		return NotSlug(field)
	case "bcp47_language_tag":
		return NotLocale(field)
	case "dive":
		return NotValid(field)
	}
	return RuleInvalidTag.On(field, "Tag", fe.Tag())
}

// MarshalJSON encodes v as the API answers: like json.Marshal, but without
// escaping <, > and & (lesson HTML stays readable).
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
