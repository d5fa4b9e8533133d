// Package privacy serves a user's own data: the export of everything
// Skillgate holds about them, and the deletion of their account. Each
// domain exports and erases its own part; this package only gathers them
// and runs the erasure in one transaction.
package privacy

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Part is one domain's share of a user's data.
type Part interface {
	Export(ctx context.Context, userID string) (any, error)
	Erase(ctx context.Context, userID string) error
}

// Named is a part under the name it has in the export.
type Named struct {
	Name string
	Part Part
}

// Handler serves GET /me/export and DELETE /me.
type Handler struct {
	db    dbx.Handle
	parts []Named // erased in this order; the account comes last
	now   func() time.Time
}

// NewHandler gathers the parts.
func NewHandler(db dbx.Handle, now func() time.Time, parts ...Named) *Handler {
	return &Handler{db: db, parts: parts, now: now}
}

// Mount registers the routes.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	api.Get("/me/export", g.Require(), h.export)
	api.Delete("/me", g.Require(web.RoleLearner), h.erase)
}

// Export gathers every part for one user.
func (h *Handler) Export(ctx context.Context, userID string) (map[string]any, error) {
	out := map[string]any{"exported_at": h.now().UTC().Format(time.RFC3339), "format": "skillgate-export/1"}
	for _, p := range h.parts {
		v, err := p.Part.Export(ctx, userID)
		if err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	return out, nil
}

// Erase removes a user's personal data from every part in one
// transaction: all of it goes, or none.
//
// Once committed, the database files are scrubbed (dbx.Scrub), so that the
// erased data does not linger in the SQLite write-ahead log.
func (h *Handler) Erase(ctx context.Context, userID string) error {
	err := h.db.WithTx(ctx, func(ctx context.Context) error {
		for _, p := range h.parts {
			if err := p.Part.Erase(ctx, userID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The erasure has happened; a checkpoint that cannot finish now (a
	// long reader) is completed by a later one, so its failure is not the
	// caller's.
	_ = h.db.Scrub(ctx)
	return nil
}

func (h *Handler) export(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	out, err := h.Export(c.UserContext(), p.UserID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="skillgate-export.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}

func (h *Handler) erase(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	if err := h.Erase(c.UserContext(), p.UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
