package certs

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// Handler is the certificates HTTP edge.
type Handler struct {
	svc *Service
	// batchLimit guards batch verification per organization.
	batchLimit fiber.Handler
}

// NewHandler returns the edge; batchLimit runs after authentication.
func NewHandler(svc *Service, batchLimit fiber.Handler) *Handler {
	if batchLimit == nil {
		batchLimit = func(c *fiber.Ctx) error { return c.Next() }
	}
	return &Handler{svc: svc, batchLimit: batchLimit}
}

// Mount registers the /api/v1 routes.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	api.Get("/me/certificates", g.Require(web.RoleLearner), h.mine)
	api.Get("/certificates/:id", g.Require(), h.get)
	api.Get("/certificates/:id/pdf", g.Require(), h.pdf)
	api.Post("/certificates/:id/revoke", g.Require(web.RoleAdmin, web.RoleTrainer), h.revoke)
	api.Post("/verify/batch", g.Require(web.RoleEmployer, web.RoleAdmin), h.batchLimit, h.batch)
	api.Get("/verify/:id", g.Optional(), h.verifyID)
	api.Post("/verify", g.Optional(), h.verifyToken)
	api.Get("/status-lists/:id", h.statusList)
}

// MountRoot registers the routes outside /api/v1.
func (h *Handler) MountRoot(root fiber.Router) {
	root.Get("/.well-known/jwks.json", h.jwks)
	root.Get("/verify/:id", h.page)
}

// Holder names the holder in a certificate answer.
type Holder struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CourseRef names the course and version in a certificate answer.
type CourseRef struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Version int    `json:"version"`
}

// CertificateResponse is the contract's certificate object.
type CertificateResponse struct {
	ID               string     `json:"id"`
	Code             string     `json:"code"`
	Holder           Holder     `json:"holder"`
	Course           CourseRef  `json:"course"`
	ScorePercent     float64    `json:"score_percent"`
	IssuedAt         time.Time  `json:"issued_at"`
	ExpiresAt        time.Time  `json:"expires_at"`
	Status           string     `json:"status"`
	RevokedAt        *time.Time `json:"revoked_at"`
	RevocationReason *string    `json:"revocation_reason"`
	Token            string     `json:"token"`
	VerifyURL        string     `json:"verify_url"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (h *Handler) certificateResponse(c Certificate) CertificateResponse {
	return CertificateResponse{ID: c.ID, Code: c.Code, Holder: Holder{ID: c.HolderID, Name: c.HolderName},
		Course:       CourseRef{ID: c.CourseID, Slug: c.CourseSlug, Title: c.CourseTitle, Version: c.CourseVersion},
		ScorePercent: c.ScorePercent, IssuedAt: c.IssuedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC(), Status: c.Status(h.svc.Now()),
		RevokedAt: utcPtr(c.RevokedAt), RevocationReason: nullable(c.RevocationReason), Token: c.Token, VerifyURL: c.VerifyURL}
}

// VerifiedCertificate is what verification shows of a certificate: no
// holder id, no token.
type VerifiedCertificate struct {
	ID           string    `json:"id"`
	Code         string    `json:"code"`
	HolderName   string    `json:"holder_name"`
	CourseTitle  string    `json:"course_title"`
	CourseSlug   string    `json:"course_slug"`
	ScorePercent float64   `json:"score_percent"`
	IssuedAt     time.Time `json:"issued_at"`
	ExpiresAt    time.Time `json:"expires_at"`
}

// VerificationResponse is the contract's verification answer.
type VerificationResponse struct {
	Valid            bool                 `json:"valid"`
	Status           string               `json:"status"`
	Reason           *string              `json:"reason,omitempty"`
	Certificate      *VerifiedCertificate `json:"certificate"`
	RevokedAt        *time.Time           `json:"revoked_at"`
	RevocationReason *string              `json:"revocation_reason"`
}

func verificationResponse(v Verification) VerificationResponse {
	r := VerificationResponse{Valid: v.Valid, Status: v.Status, Reason: nullable(string(v.Reason))}
	if c := v.Certificate; c != nil {
		r.Certificate = &VerifiedCertificate{ID: c.ID, Code: c.Code, HolderName: c.HolderName, CourseTitle: c.CourseTitle,
			CourseSlug: c.CourseSlug, ScorePercent: c.ScorePercent, IssuedAt: c.IssuedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC()}
		r.RevokedAt, r.RevocationReason = utcPtr(c.RevokedAt), nullable(c.RevocationReason)
	}
	return r
}

func (h *Handler) mine(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.Mine(c.UserContext(), p, page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, h.certificateResponse))
}

func (h *Handler) get(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	cert, err := h.svc.Get(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(h.certificateResponse(cert))
}

type revokeRequest struct {
	Reason string `json:"reason" validate:"required,max=500"`
}

func (h *Handler) revoke(c *fiber.Ctx) error {
	var req revokeRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	cert, err := h.svc.Revoke(c.UserContext(), p, c.Params("id"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(h.certificateResponse(cert))
}

func (h *Handler) verifyID(c *fiber.Ctx) error {
	v, err := h.svc.VerifyID(c.UserContext(), caller(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(verificationResponse(v))
}

type tokenRequest struct {
	Token string `json:"token" validate:"required,max=65536"`
}

func (h *Handler) verifyToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	v, err := h.svc.VerifyToken(c.UserContext(), caller(c), req.Token)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(verificationResponse(v))
}

type batchRequest struct {
	IDs    []string `json:"ids" validate:"max=1000,dive,max=100"`
	Tokens []string `json:"tokens" validate:"max=1000,dive,max=65536"`
}

// BatchResponse answers a batch in request order.
type BatchResponse struct {
	Results []VerificationResponse `json:"results"`
}

func (h *Handler) batch(c *fiber.Ctx) error {
	var req batchRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	vs, err := h.svc.VerifyBatch(c.UserContext(), caller(c), req.IDs, req.Tokens)
	if err != nil {
		return err
	}
	out := BatchResponse{Results: make([]VerificationResponse, len(vs))}
	for i, v := range vs {
		out.Results[i] = verificationResponse(v)
	}
	return c.JSON(out)
}

// statusList serves the signed status list credential: the compact JWS as
// application/vc+jwt (VC-JOSE-COSE), or, to a client that asks for JSON,
// {credential, token} with the decoded payload beside the token.
func (h *Handler) statusList(c *fiber.Ctx) error {
	tok, at, err := h.svc.StatusListToken(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(int(StatusListMaxAge.Seconds())))
	c.Set(fiber.HeaderVary, "Accept") // one URL, two representations: caches must key on Accept
	c.Set(fiber.HeaderLastModified, at.UTC().Format(time.RFC1123))
	accept := c.Get(fiber.HeaderAccept)
	if strings.Contains(accept, "application/json") && !strings.Contains(accept, "application/vc+jwt") {
		payload, err := decodePayload(tok)
		if err != nil {
			return err
		}
		return c.JSON(map[string]any{"credential": payload, "token": tok})
	}
	c.Set(fiber.HeaderContentType, "application/vc+jwt")
	return c.SendString(tok)
}

func (h *Handler) jwks(c *fiber.Ctx) error {
	set, err := h.svc.JWKS(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderContentType, "application/jwk-set+json")
	body, err := web.MarshalJSON(set)
	if err != nil {
		return err
	}
	return c.Send(body)
}

// caller is the authenticated caller, if any (verification is public, but
// an employer's check goes into the holder's trail).
func caller(c *fiber.Ctx) *web.Principal {
	if p, ok := web.Caller(c); ok {
		return &p
	}
	return nil
}
