package web

import "github.com/gofiber/fiber/v2"

// CallerPtr returns the request's principal, or nil when the request is
// anonymous: what services that serve everyone but show more to some take.
func CallerPtr(c *fiber.Ctx) *Principal {
	if p, ok := Caller(c); ok {
		return &p
	}
	return nil
}
