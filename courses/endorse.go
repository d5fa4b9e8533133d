package courses

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"skillgate/app/web"
)

// Any trainer may publish a course titled like an official one, so every
// place a certificate is verified says who published its course and
// whether the platform's admins endorsed that course for the catalogue.
// Built-in courses (no owner) are the platform's own and endorsed by
// construction; a trainer's course is endorsed once an admin says so.

// Publisher is who stands behind a course: its owning trainer ("" for a
// built-in course) and whether it is endorsed.
type Publisher struct {
	CourseID string
	OwnerID  string // "" for built-in courses, published by the platform
	Endorsed bool
}

// Publishers describes the publishers of courses by id; unknown ids are
// left out. Those of published courses come from memory.
func (s *Service) Publishers(ctx context.Context, ids []string) (map[string]Publisher, error) {
	return s.store.Publishers(ctx, ids)
}

// markEndorsed fills in Endorsed on views.
func (s *Service) markEndorsed(ctx context.Context, views []View) error {
	ids := make([]string, len(views))
	for i, v := range views {
		ids[i] = v.Course.ID
	}
	pubs, err := s.Publishers(ctx, ids)
	if err != nil {
		return err
	}
	for i := range views {
		views[i].Endorsed = pubs[views[i].Course.ID].Endorsed
	}
	return nil
}

// Endorse marks a course endorsed for the catalogue, or withdraws the
// endorsement (admins only). Built-in courses are always endorsed.
func (s *Service) Endorse(ctx context.Context, p web.Principal, idOrSlug string, endorsed bool) (View, error) {
	if !p.IsAdmin() {
		return View{}, web.Forbidden("only an admin may endorse a course")
	}
	c, err := s.store.CourseHead(ctx, idOrSlug)
	if err != nil {
		return View{}, err
	}
	if c.OwnerID == "" && !endorsed {
		return View{}, web.DetailBuiltInEndorsed.Conflict()
	}
	if err := s.store.InTx(ctx, func(ctx context.Context) error {
		return s.store.SetEndorsement(ctx, c.ID, p.UserID, endorsed, s.now())
	}); err != nil {
		return View{}, err
	}
	return s.Get(ctx, &p, c.ID)
}

type endorseRequest struct {
	Endorsed *bool `json:"endorsed"`
}

// endorse answers POST /courses/{id}/endorse (body optional:
// {"endorsed": false} withdraws) with the course.
func (h *Handler) endorse(c *fiber.Ctx) error {
	req := endorseRequest{}
	if len(c.Body()) > 0 {
		if err := web.Bind(c, &req); err != nil {
			return err
		}
	}
	on := req.Endorsed == nil || *req.Endorsed
	p, _ := web.Caller(c)
	v, err := h.svc.Endorse(c.UserContext(), p, c.Params("id"), on)
	if err != nil {
		return err
	}
	return c.JSON(viewResponse(v))
}
