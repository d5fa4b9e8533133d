package dbx

import (
	"fmt"

	"gorm.io/gorm"

	"skillgate/app/web"
)

// LoadErr is the error of loading one row: web.NotFound(what) when there is none, else err wrapped as "context: err" (nil stays nil).
func LoadErr(err error, what, context string) error {
	if IsNotFound(err) {
		return web.NotFound(what)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", context, err)
	}
	return nil
}

// WriteErr is the error of writing rows: taken when a unique key is
// already taken, else err wrapped as "context: err" (nil stays nil).
func WriteErr(err, taken error, context string) error {
	if IsDuplicate(err) {
		return taken
	}
	if err != nil {
		return fmt.Errorf("%s: %w", context, err)
	}
	return nil
}

// ByID loads the one row of type R whose id is id through q (which may
// carry a lock or a column list) and maps it with domain: web.NotFound(what)
// when there is none, else errors wrapped as LoadErr does.
func ByID[R, D any](q *gorm.DB, id, what, context string, domain func(R) D) (D, error) {
	var row R
	if err := LoadErr(q.Where("id = ?", id).Take(&row).Error, what, context); err != nil {
		var zero D
		return zero, err
	}
	return domain(row), nil
}
