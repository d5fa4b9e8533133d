package accounts

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

type cardRequest struct {
	Secret string `json:"secret" validate:"required,max=200"`
}

// cardSignIn is POST /auth/card: a card's secret (or a one-time link's)
// for a token pair, like a sign-in.
func (h *Handler) cardSignIn(c *fiber.Ctx) error {
	var req cardRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	sess, err := h.svc.CardSignIn(c.UserContext(), req.Secret)
	if err != nil {
		return err
	}
	return c.JSON(sessionResponse(sess))
}

// SignInLinkResponse is a one-time sign-in link, shown once.
type SignInLinkResponse struct {
	SignInURL string    `json:"sign_in_url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// resetUser is POST /users/{id}/reset: an admin ends every session of the
// account and gets a one-time sign-in link to hand its owner.
func (h *Handler) resetUser(c *fiber.Ctx) error {
	link, err := h.svc.ResetLink(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(SignInLinkResponse{SignInURL: link.URL, ExpiresAt: link.ExpiresAt.UTC()})
}

// bearerToken is the request's access token, already checked by the guard.
func bearerToken(c *fiber.Ctx) string {
	h := string(c.Request().Header.Peek(fiber.HeaderAuthorization))
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return ""
	}
	return h[len(prefix):]
}
