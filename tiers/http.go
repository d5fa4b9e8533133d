package tiers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// Handler is the tiers HTTP edge.
type Handler struct{ svc *Service }

// NewHandler returns the edge.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Mount registers the routes on the /api/v1 router.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	api.Get("/tiers", h.list)
	api.Post("/tiers", g.Require(web.RoleAdmin), h.create)
	api.Put("/tiers/:id", g.Require(web.RoleAdmin), h.update)
	api.Get("/me/tier", g.Require(web.RoleLearner), h.myTier)
	api.Get("/me/verifications", g.Require(web.RoleLearner), h.myVerifications)
	api.Post("/eligibility", g.Require(web.RoleEmployer, web.RoleAdmin), h.eligibility)
	api.Get("/organizations/:id/verifications", g.Require(web.RoleEmployer, web.RoleAdmin), h.orgVerifications)
	api.Post("/organizations/:id/webhooks", g.Require(web.RoleEmployer, web.RoleAdmin), h.createWebhook)
	api.Get("/organizations/:id/webhooks", g.Require(web.RoleEmployer, web.RoleAdmin), h.listWebhooks)
	api.Delete("/organizations/:id/webhooks/:webhook_id", g.Require(web.RoleEmployer, web.RoleAdmin), h.deleteWebhook)
}

// RequirementResponse is one requirement of a tier.
type RequirementResponse struct {
	CourseSlug string  `json:"course_slug"`
	MinPercent float64 `json:"min_percent"`
	MaxAgeDays *int    `json:"max_age_days"`
}

// TierResponse is the contract's tier object.
type TierResponse struct {
	ID            string                `json:"id"`
	Slug          string                `json:"slug"`
	Name          string                `json:"name"`
	Rank          int                   `json:"rank"`
	Description   string                `json:"description"`
	HourlyRateUSD float64               `json:"hourly_rate_usd"`
	Requirements  []RequirementResponse `json:"requirements"`
}

func tierResponse(t Tier) TierResponse {
	r := TierResponse{ID: t.ID, Slug: t.Slug, Name: t.Name, Rank: t.Rank, Description: t.Description, HourlyRateUSD: t.HourlyRateUSD,
		Requirements: make([]RequirementResponse, len(t.Requirements))}
	for i, q := range t.Requirements {
		r.Requirements[i] = RequirementResponse{CourseSlug: q.CourseSlug, MinPercent: q.MinPercent}
		if q.MaxAgeDays > 0 {
			days := q.MaxAgeDays
			r.Requirements[i].MaxAgeDays = &days
		}
	}
	return r
}

type requirementRequest struct {
	CourseSlug string  `json:"course_slug"`
	MinPercent float64 `json:"min_percent"`
	MaxAgeDays *int    `json:"max_age_days"`
}

type tierRequest struct {
	Slug          string               `json:"slug"`
	Name          string               `json:"name"`
	Rank          int                  `json:"rank"`
	Description   string               `json:"description"`
	HourlyRateUSD float64              `json:"hourly_rate_usd"`
	Requirements  []requirementRequest `json:"requirements"`
}

func (r tierRequest) tier() Tier {
	t := Tier{Slug: r.Slug, Name: r.Name, Rank: r.Rank, Description: r.Description, HourlyRateUSD: r.HourlyRateUSD,
		Requirements: make([]Requirement, len(r.Requirements))}
	for i, q := range r.Requirements {
		t.Requirements[i] = Requirement{CourseSlug: q.CourseSlug, MinPercent: q.MinPercent}
		if q.MaxAgeDays != nil {
			t.Requirements[i].MaxAgeDays = *q.MaxAgeDays
		}
	}
	return t
}

func (h *Handler) list(c *fiber.Ctx) error {
	all, err := h.svc.Tiers(c.UserContext())
	if err != nil {
		return err
	}
	out := web.List[TierResponse]{Items: make([]TierResponse, len(all))}
	for i, t := range all {
		out.Items[i] = tierResponse(t)
	}
	return c.JSON(out)
}

func (h *Handler) create(c *fiber.Ctx) error {
	var req tierRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	t, err := h.svc.CreateTier(c.UserContext(), req.tier())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(tierResponse(t))
}

func (h *Handler) update(c *fiber.Ctx) error {
	var req tierRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	t, err := h.svc.UpdateTier(c.UserContext(), c.Params("id"), req.tier())
	if err != nil {
		return err
	}
	return c.JSON(tierResponse(t))
}

// StandingResponse is a worker's position against one tier.
type StandingResponse struct {
	Slug     string    `json:"slug"`
	Eligible bool      `json:"eligible"`
	Missing  []Missing `json:"missing"`
}

// ExpiringResponse is a certificate that expires within 30 days.
type ExpiringResponse struct {
	CertificateID string    `json:"certificate_id"`
	CourseSlug    string    `json:"course_slug"`
	ExpiresAt     time.Time `json:"expires_at"`
}

// PlacementResponse is the contract's /me/tier answer.
type PlacementResponse struct {
	Tier     *TierResponse      `json:"tier"`
	Tiers    []StandingResponse `json:"tiers"`
	Expiring []ExpiringResponse `json:"expiring"`
}

func placementResponse(r Result) PlacementResponse {
	out := PlacementResponse{Tiers: make([]StandingResponse, len(r.Tiers)), Expiring: make([]ExpiringResponse, len(r.Expiring))}
	if r.Tier != nil {
		t := tierResponse(*r.Tier)
		out.Tier = &t
	}
	for i, st := range r.Tiers {
		out.Tiers[i] = StandingResponse(st)
	}
	for i, e := range r.Expiring {
		out.Expiring[i] = ExpiringResponse{CertificateID: e.CertificateID, CourseSlug: e.CourseSlug, ExpiresAt: e.ExpiresAt.UTC()}
	}
	return out
}

func (h *Handler) myTier(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	r, err := h.svc.MyTier(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.JSON(placementResponse(r))
}

type eligibilityRequest struct {
	Tokens         []string `json:"tokens" validate:"max=50,dive,max=65536"`
	CertificateIDs []string `json:"certificate_ids" validate:"max=50,dive,max=100"`
}

// HolderResponse names the holder an eligibility check is about.
type HolderResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// EligibilityResponse is the contract's eligibility answer.
type EligibilityResponse struct {
	Holder HolderResponse `json:"holder"`
	PlacementResponse
}

func (h *Handler) eligibility(c *fiber.Ctx) error {
	var req eligibilityRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	id, name, r, err := h.svc.Eligibility(c.UserContext(), p, Claims(req.CertificateIDs, req.Tokens))
	if err != nil {
		return err
	}
	return c.JSON(EligibilityResponse{Holder: HolderResponse{ID: id, Name: name}, PlacementResponse: placementResponse(r)})
}

// OrganizationRef names an organization in the trail.
type OrganizationRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CheckResponse is one check in a trail.
type CheckResponse struct {
	Organization   OrganizationRef `json:"organization"`
	Kind           string          `json:"kind"`
	CertificateIDs []string        `json:"certificate_ids"`
	CheckedAt      time.Time       `json:"checked_at"`
}

func checkResponse(c NamedCheck) CheckResponse {
	return CheckResponse{Organization: OrganizationRef{ID: c.OrganizationID, Name: c.OrganizationName}, Kind: c.Kind,
		CertificateIDs: c.CertificateIDs, CheckedAt: c.CheckedAt.UTC()}
}

func (h *Handler) myVerifications(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.MyVerifications(c.UserContext(), p, page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, checkResponse))
}

func (h *Handler) orgVerifications(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.OrganizationVerifications(c.UserContext(), p, c.Params("id"), page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, checkResponse))
}

// WebhookResponse is a webhook; secret appears only at creation.
type WebhookResponse struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

type webhookRequest struct {
	URL string `json:"url" validate:"required,max=2000"`
}

func (h *Handler) createWebhook(c *fiber.Ctx) error {
	var req webhookRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	w, err := h.svc.CreateWebhook(c.UserContext(), p, c.Params("id"), req.URL)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(WebhookResponse{ID: w.ID, URL: w.URL, Secret: w.Secret, CreatedAt: w.CreatedAt.UTC()})
}

func (h *Handler) listWebhooks(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	hooks, err := h.svc.Webhooks(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	out := web.List[WebhookResponse]{Items: make([]WebhookResponse, len(hooks))}
	for i, w := range hooks {
		out.Items[i] = WebhookResponse{ID: w.ID, URL: w.URL, CreatedAt: w.CreatedAt.UTC()}
	}
	return c.JSON(out)
}

func (h *Handler) deleteWebhook(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	if err := h.svc.DeleteWebhook(c.UserContext(), p, c.Params("id"), c.Params("webhook_id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
