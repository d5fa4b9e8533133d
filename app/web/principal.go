package web

import (
	"context"
	"slices"

	"github.com/gofiber/fiber/v2"
)

// Role is what an account may do.
type Role string

// The roles of the contract.
const (
	RoleLearner  Role = "learner"
	RoleTrainer  Role = "trainer"
	RoleEmployer Role = "employer"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleLearner || r == RoleTrainer || r == RoleEmployer || r == RoleAdmin
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID         string
	Name           string
	Role           Role
	OrganizationID string
}

// IsAdmin reports whether the caller is an administrator.
func (p Principal) IsAdmin() bool { return p.Role == RoleAdmin }

// CanAuthor reports whether the caller may author content (trainers, admins).
func (p Principal) CanAuthor() bool { return p.Role == RoleTrainer || p.Role == RoleAdmin }

// Authenticator turns a bearer token into a principal.
type Authenticator interface {
	Authenticate(ctx context.Context, bearer string) (Principal, error)
}

const principalKey = "skillgate.principal"

// Caller returns the request's principal, if any was authenticated.
func Caller(c *fiber.Ctx) (Principal, bool) {
	p, ok := c.Locals(principalKey).(Principal)
	return p, ok
}

// MaxAuthorizationHeader caps the Authorization header read for a token.
const MaxAuthorizationHeader = 4096

// Guard is the authentication middleware factory handed to every domain.
type Guard struct {
	Auth Authenticator
}

// Require admits authenticated callers having one of roles (any role when
// none is named; admins are admitted wherever trainers are).
func (g Guard) Require(roles ...Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := g.authenticate(c)
		if err != nil {
			return err
		}
		if p == nil {
			return Unauthenticated("a bearer token is required")
		}
		if len(roles) > 0 && !slices.Contains(roles, p.Role) &&
			!(p.Role == RoleAdmin && slices.Contains(roles, RoleTrainer)) {
			return Forbidden("your role may not do this")
		}
		return c.Next()
	}
}

// Optional authenticates the caller when a token is sent and lets anonymous
// callers through; a bad token is still 401.
func (g Guard) Optional() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := g.authenticate(c); err != nil {
			return err
		}
		return c.Next()
	}
}

// Identify authenticates the caller when a valid token is sent, for
// middleware that runs before the route's own guard. A missing or bad token
// is no principal here; the route's guard answers it.
func (g Guard) Identify(c *fiber.Ctx) (Principal, bool) {
	p, err := g.authenticate(c)
	if err != nil || p == nil {
		return Principal{}, false
	}
	return *p, true
}

func (g Guard) authenticate(c *fiber.Ctx) (*Principal, error) {
	if p, ok := Caller(c); ok {
		return &p, nil
	}
	raw := c.Request().Header.Peek(fiber.HeaderAuthorization)
	if len(raw) == 0 {
		return nil, nil
	}
	if len(raw) > MaxAuthorizationHeader {
		return nil, Unauthenticated("the Authorization header is too large")
	}
	h := string(raw)
	const prefix = "bearer "
	if len(h) <= len(prefix) || !equalFold(h[:len(prefix)], prefix) {
		return nil, Unauthenticated("the Authorization header must be a Bearer token")
	}
	p, err := g.Auth.Authenticate(c.UserContext(), h[len(prefix):])
	if err != nil {
		return nil, err
	}
	c.Locals(principalKey, p)
	return &p, nil
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
