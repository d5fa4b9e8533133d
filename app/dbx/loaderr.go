package dbx

import (
	"fmt"

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
