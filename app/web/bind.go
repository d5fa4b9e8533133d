package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
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
				Fields: []FieldError{{Field: field, Message: "must be " + jsonTypeName(te.Type)}}}
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
		fields = append(fields, FieldError{Field: fieldPath(fe), Message: ruleMessage(fe)})
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

func ruleMessage(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "must be an email address"
	case "min":
		if fe.Kind() == reflect.String {
			return "must be at least " + p + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at least " + p + " items"
		}
		return "must be at least " + p
	case "max":
		if fe.Kind() == reflect.String {
			return "must be at most " + p + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at most " + p + " items"
		}
		return "must be at most " + p
	case "gte":
		return "must be at least " + p
	case "lte":
		return "must be at most " + p
	case "gt":
		return "must be greater than " + p
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "url", "http_url":
		return "must be a URL"
	case "slug":
		return "must be lowercase letters, digits and single hyphens"
	case "bcp47_language_tag":
		return "must be a language tag such as en or hi"
	case "dive":
		return "is not valid"
	}
	return "is not valid (" + fe.Tag() + ")"
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
