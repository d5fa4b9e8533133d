// Package idempotency makes any POST safe to retry: a request carrying an
// Idempotency-Key is answered once, and a retry by the same caller with the
// same key and body gets the first answer back without anything changing
// twice. Answers are kept in the database, so a retry may land on another
// replica.
//
// Stored answers are scoped to whoever sent the request: the authenticated
// user, or for anonymous requests the client address and the body (which
// holds the credentials on sign-in routes), so another caller's key is
// never replayed. Read-only checks are never stored, and answers that carry
// session tokens are replayed only briefly and only while their session is
// still the live one.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// maxKeyLength bounds the key a client may send.
const maxKeyLength = 255

// SessionReplayWindow is how long an answer carrying session tokens may be
// replayed: long enough for a client's retry on a bad connection, short
// enough that a stored answer is not a way back into an account.
const SessionReplayWindow = 60 * time.Second

// neverStored are the read-only POST routes (under /api/v1) whose answers
// must always be fresh: a verification replayed after a revocation would
// say valid.
var neverStored = map[string]bool{"/verify": true, "/verify/batch": true, "/eligibility": true}

// secretRoute reports routes whose answers carry sign-in secrets (cards,
// one-time reset links). Their answers are never stored: a stored copy
// would keep the secrets in the database for a day. A retried issue makes
// fresh cards, and the earlier ones stop working, which is safe.
func secretRoute(r string) bool {
	parts := strings.Split(strings.Trim(r, "/"), "/")
	return len(parts) == 3 && (parts[0] == "classes" && parts[2] == "cards" || parts[0] == "users" && parts[2] == "reset")
}

// sessionRoutes answer with session tokens.
var sessionRoutes = map[string]bool{"/auth/register": true, "/auth/login": true, "/auth/refresh": true, "/auth/card": true}

// Options configure the middleware.
type Options struct {
	Now func() time.Time
	// Guard identifies the caller before the route's own guard runs.
	Guard web.Guard
	// SessionLive reports whether the refresh token in a stored session
	// answer is still unspent and unrevoked. A replay is honoured only
	// then: once the client has moved on, or the session was ended, the
	// request runs again (and a spent refresh token meets reuse
	// detection). Nil: session answers are never replayed.
	SessionLive func(ctx context.Context, refreshToken string) bool
}

// route is the path under /api/v1 in one spelling: Fiber matches routes
// case-insensitively and with or without a trailing slash.
func route(c *fiber.Ctx) string {
	p := strings.ToLower(strings.TrimRight(c.Path(), "/"))
	return strings.TrimPrefix(p, "/api/v1")
}

// Middleware stores and replays POST answers keyed by Idempotency-Key.
// Server errors are not stored, so a request that failed for want of the
// database can be retried with the same key once it is back.
func Middleware(store *Store, opt Options) fiber.Handler {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	return func(c *fiber.Ctx) error {
		key := c.Get(Header)
		if c.Method() != fiber.MethodPost || key == "" {
			return c.Next()
		}
		if len(key) > maxKeyLength {
			return web.BadRequest("Idempotency-Key is longer than 255 characters")
		}
		r := route(c)
		if neverStored[r] || secretRoute(r) {
			return c.Next()
		}
		ctx := c.UserContext()
		bodySum := sha256.Sum256(c.Body())
		bodyHash := hex.EncodeToString(bodySum[:])
		var owner *string
		scope := sha256.New()
		if opt.Guard.Auth != nil {
			if p, ok := opt.Guard.Identify(c); ok {
				id := p.UserID
				owner = &id
			}
		}
		parts := []string{r, key}
		if owner != nil {
			parts = append(parts, "user", *owner)
		} else {
			// Anonymous: only the same client sending the same body (on
			// sign-in routes, the same credentials) shares the key.
			parts = append(parts, "anonymous", web.ClientIP(c), bodyHash)
		}
		for _, part := range parts {
			scope.Write([]byte(part))
			scope.Write([]byte{0})
		}
		id := hex.EncodeToString(scope.Sum(nil))
		session := sessionRoutes[r]

		err := store.claim(ctx, record{ID: id, BodyHash: bodyHash, UserID: owner, CreatedAt: opt.Now()})
		if dbx.IsDuplicate(err) {
			prev, err := store.load(ctx, id)
			if err != nil {
				if dbx.IsNotFound(err) {
					return web.Conflict("a request with this Idempotency-Key just failed; retry it")
				}
				return err
			}
			if prev.BodyHash != bodyHash {
				return &web.Error{Kind: web.KindValidation, Message: "this Idempotency-Key was used with a different request body",
					Fields: []web.FieldError{web.RuleKeyReused.On(Header)}}
			}
			if !prev.Done {
				return &web.Error{Kind: web.KindConflict, Message: "a request with this Idempotency-Key is still in progress",
					RetryAfter: time.Second}
			}
			if session && !replayableSession(ctx, prev, opt) {
				// Run the request again instead: the stored answer would
				// hand out a session that is stale or ended.
				if err := store.dropClaim(ctx, id, prev.CreatedAt); err != nil {
					return err
				}
				return c.Next()
			}
			c.Status(prev.Status)
			c.Set("Idempotent-Replayed", "true")
			if prev.ContentType != "" {
				c.Set(fiber.HeaderContentType, prev.ContentType)
			}
			return c.Send(prev.Response)
		}
		if err != nil {
			return err
		}

		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				store.drop(ctx, id)
				return herr
			}
		}
		status := c.Response().StatusCode()
		if status >= 500 || status == fiber.StatusTooManyRequests || status == fiber.StatusConflict && c.Response().Header.Peek(fiber.HeaderRetryAfter) != nil {
			store.drop(ctx, id)
			return nil
		}
		body := append([]byte(nil), c.Response().Body()...)
		cols := map[string]any{"done": true, "status": status, "content_type": string(c.Response().Header.ContentType()), "response": body}
		if owner == nil && session {
			// A sign-in answer names its user: record whose it is, so that
			// deleting the account deletes it too.
			if s, ok := sessionOf(body); ok && s.User.ID != "" {
				cols["user_id"] = s.User.ID
			}
		}
		store.finish(ctx, id, cols)
		return nil
	}
}

// sessionAnswer is the part of a session answer the middleware reads.
type sessionAnswer struct {
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	RefreshToken string `json:"refresh_token"`
}

func sessionOf(body []byte) (sessionAnswer, bool) {
	var s sessionAnswer
	if err := json.Unmarshal(body, &s); err != nil {
		return sessionAnswer{}, false
	}
	return s, true
}

// replayableSession reports whether a stored answer of a sign-in route may
// be sent again: a refusal always may (it carries nothing); an answer with
// tokens only within SessionReplayWindow and while its refresh token is
// still the live one.
func replayableSession(ctx context.Context, prev record, opt Options) bool {
	s, ok := sessionOf(prev.Response)
	if !ok || s.RefreshToken == "" {
		return prev.Status >= 400
	}
	if opt.SessionLive == nil || opt.Now().Sub(prev.CreatedAt) > SessionReplayWindow {
		return false
	}
	return opt.SessionLive(ctx, s.RefreshToken)
}
