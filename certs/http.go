package certs

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// Handler is the certificates HTTP edge.
type Handler struct {
	svc *Service
	// batchLimit guards batch verification per organization.
	batchLimit fiber.Handler
	// jwksEncoded is the served key set, compressed.
	jwksEncoded atomic.Pointer[web.Precompressed]
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
	root.Get("/verify", h.lookup)
	root.Get("/issuer", h.issuer)
	root.Get("/achievements/:slug/:version", h.achievement)
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

// PublisherResponse says who published a certificate's course and whether
// the platform endorsed it: any trainer may title a course like an
// official one, so verifiers must see who stands behind it.
type PublisherResponse struct {
	Name         string  `json:"name"`
	Organization *string `json:"organization"`
	BuiltIn      bool    `json:"built_in"`
	Endorsed     bool    `json:"endorsed"`
	// Statement is the line a person reads: "Endorsed by Skillgate" or
	// "Not endorsed — published by Name (Organization)".
	Statement string `json:"statement"`
}

func (h *Handler) publisherResponse(c Certificate) (*PublisherResponse, bool) {
	if c.Publisher == nil {
		return nil, false
	}
	p := *c.Publisher
	return &PublisherResponse{Name: p.Name, Organization: nullable(p.Organization), BuiltIn: p.BuiltIn, Endorsed: p.Endorsed,
		Statement: endorsementStatement(p, h.svc.IssuerName())}, p.Endorsed
}

// endorsementStatement is the English line verify answers carry.
func endorsementStatement(p Publisher, platform string) string {
	if p.Endorsed {
		return "Endorsed by " + platform + " — published by " + p.Label()
	}
	return "Not endorsed by " + platform + " — published by " + p.Label()
}

// CertificateResponse is the contract's certificate object.
type CertificateResponse struct {
	ID           string     `json:"id"`
	Code         string     `json:"code"`
	Holder       Holder     `json:"holder"`
	Course       CourseRef  `json:"course"`
	ScorePercent float64    `json:"score_percent"`
	IssuedAt     time.Time  `json:"issued_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	Status       string     `json:"status"`
	RevokedAt    *time.Time `json:"revoked_at"`
	// RevocationReason is the free text, for the holder, admins and the
	// course's trainers (the only callers who get this object).
	RevocationReason   *string `json:"revocation_reason"`
	RevocationCategory *string `json:"revocation_category"`
	Token              string  `json:"token"`
	VerifyURL          string  `json:"verify_url"`
	// Publisher and Endorsed (v1.1 extras) say who published the course
	// and whether the platform endorsed it.
	Publisher *PublisherResponse `json:"publisher,omitempty"`
	Endorsed  *bool              `json:"endorsed,omitempty"`
	// TokenES256 (v1.1 extra) is the same credential signed with ES256
	// (P-256), for verifiers whose JOSE library lacks Ed25519.
	TokenES256 string `json:"token_es256,omitempty"`
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
	r := CertificateResponse{ID: c.ID, Code: c.Code, Holder: Holder{ID: c.HolderID, Name: c.HolderName},
		Course:       CourseRef{ID: c.CourseID, Slug: c.CourseSlug, Title: c.CourseTitle, Version: c.CourseVersion},
		ScorePercent: c.ScorePercent, IssuedAt: c.IssuedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC(), Status: c.Status(h.svc.Now()),
		RevokedAt: utcPtr(c.RevokedAt), RevocationReason: nullable(c.RevocationReason), RevocationCategory: nullable(c.RevocationCategory),
		Token: c.Token, VerifyURL: c.VerifyURL, TokenES256: c.TokenES256}
	if pub, endorsed := h.publisherResponse(c); pub != nil {
		r.Publisher, r.Endorsed = pub, &endorsed
	}
	return r
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
	// Publisher and Endorsed (v1.1 extras): who published the course and
	// whether the platform endorsed it, as of this check.
	Publisher *PublisherResponse `json:"publisher"`
	Endorsed  bool               `json:"endorsed"`
}

// VerificationResponse is the contract's verification answer.
type VerificationResponse struct {
	Valid       bool                 `json:"valid"`
	Status      string               `json:"status"`
	Reason      *string              `json:"reason,omitempty"`
	Certificate *VerifiedCertificate `json:"certificate"`
	RevokedAt   *time.Time           `json:"revoked_at"`
	// RevocationReason is, on these public answers, the category
	// (withdrawn_by_holder, issued_in_error, misconduct, other), never the
	// free text a trainer typed.
	RevocationReason   *string `json:"revocation_reason"`
	RevocationCategory *string `json:"revocation_category"`
}

func (h *Handler) verificationResponse(v Verification) VerificationResponse {
	r := VerificationResponse{Valid: v.Valid, Status: v.Status, Reason: nullable(string(v.Reason))}
	if c := v.Certificate; c != nil {
		r.Certificate = &VerifiedCertificate{ID: c.ID, Code: c.Code, HolderName: c.HolderName, CourseTitle: c.CourseTitle,
			CourseSlug: c.CourseSlug, ScorePercent: c.ScorePercent, IssuedAt: c.IssuedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC()}
		r.Certificate.Publisher, r.Certificate.Endorsed = h.publisherResponse(*c)
		r.RevokedAt = utcPtr(c.RevokedAt)
		if c.RevokedAt != nil {
			cat := publicCategory(*c)
			r.RevocationReason, r.RevocationCategory = &cat, &cat
		}
	}
	return r
}

// publicCategory is the revocation category the public sees ("other" for
// certificates revoked before categories existed).
func publicCategory(c Certificate) string {
	if c.RevocationCategory == "" {
		return "other"
	}
	return c.RevocationCategory
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
	cert, err := h.svc.Get(c.UserContext(), p, pathID(c))
	if err != nil {
		return err
	}
	return c.JSON(h.certificateResponse(cert))
}

type revokeRequest struct {
	Reason   string `json:"reason" validate:"required,max=500"`
	Category string `json:"category" validate:"omitempty,oneof=withdrawn_by_holder issued_in_error misconduct other"`
}

func (h *Handler) revoke(c *fiber.Ctx) error {
	var req revokeRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	cert, err := h.svc.Revoke(c.UserContext(), p, pathID(c), req.Reason, req.Category)
	if err != nil {
		return err
	}
	return c.JSON(h.certificateResponse(cert))
}

func (h *Handler) verifyID(c *fiber.Ctx) error {
	v, err := h.svc.VerifyID(c.UserContext(), web.CallerPtr(c), pathID(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(h.verificationResponse(v))
}

type tokenRequest struct {
	Token string `json:"token" validate:"required,max=65536"`
}

func (h *Handler) verifyToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	v, err := h.svc.VerifyToken(c.UserContext(), web.CallerPtr(c), req.Token)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(h.verificationResponse(v))
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
	vs, err := h.svc.VerifyBatch(c.UserContext(), web.CallerPtr(c), Claims(req.IDs, req.Tokens))
	if err != nil {
		return err
	}
	out := BatchResponse{Results: make([]VerificationResponse, len(vs))}
	for i, v := range vs {
		out.Results[i] = h.verificationResponse(v)
	}
	return c.JSON(out)
}

// statusList serves the signed status list credential: the compact JWS as
// application/vc+jwt (VC-JOSE-COSE), or, to a client that asks for JSON,
// {credential, token} with the decoded payload beside the token. The
// credential changes only when it is signed again, so it carries a strong
// ETag (one per representation) and Last-Modified, and answers 304 to a
// client that already holds it.
func (h *Handler) statusList(c *fiber.Ctx) error {
	// Cloned: the id outlives the request as a key of the service's cache.
	tok, at, err := h.svc.StatusListToken(c.UserContext(), strings.Clone(c.Params("id")))
	if err != nil {
		return err
	}
	accept := c.Get(fiber.HeaderAccept)
	asJSON := strings.Contains(accept, "application/json") && !strings.Contains(accept, "application/vc+jwt")
	sum := sha256.Sum256([]byte(tok))
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18])
	if asJSON {
		etag += `-json"`
	} else {
		etag += `"`
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age="+strconv.Itoa(int(StatusListMaxAge.Seconds())))
	c.Set(fiber.HeaderVary, "Accept") // one URL, two representations: caches must key on Accept
	c.Set(fiber.HeaderLastModified, at.UTC().Format(http.TimeFormat))
	c.Set(fiber.HeaderETag, etag)
	if notModified(c.Get(fiber.HeaderIfNoneMatch), c.Get(fiber.HeaderIfModifiedSince), etag, at) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if asJSON {
		payload, err := decodePayload(tok)
		if err != nil {
			return err
		}
		return c.JSON(map[string]any{"credential": payload, "token": tok})
	}
	c.Set(fiber.HeaderContentType, "application/vc+jwt")
	return c.SendString(tok)
}

// notModified applies RFC 9110's conditional GET: If-None-Match (strong
// comparison) when present, else If-Modified-Since at one-second
// resolution.
func notModified(ifNoneMatch, ifModifiedSince, etag string, modified time.Time) bool {
	if ifNoneMatch != "" {
		for _, t := range strings.Split(ifNoneMatch, ",") {
			if t = strings.TrimSpace(t); t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ifModifiedSince == "" {
		return false
	}
	since, err := http.ParseTime(ifModifiedSince)
	return err == nil && !modified.Truncate(time.Second).After(since)
}

func (h *Handler) jwks(c *fiber.Ctx) error {
	body, err := h.svc.JWKSJSON(c.UserContext())
	if err != nil {
		return err
	}
	// The key set's JSON is the same slice until it is rebuilt: compress
	// each one once.
	enc := h.jwksEncoded.Load()
	if enc == nil || len(enc.Plain) != len(body) || (len(body) > 0 && &enc.Plain[0] != &body[0]) {
		p := web.Precompress(body)
		enc = &p
		h.jwksEncoded.Store(enc)
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderContentType, "application/jwk-set+json")
	return enc.Send(c)
}

// pathID is the certificate id or code of the path, unescaped: a code
// typed with spaces arrives as %20 (issue #15).
func pathID(c *fiber.Ctx) string {
	raw := c.Params("id")
	if s, err := url.PathUnescape(raw); err == nil {
		return strings.Clone(s)
	}
	return strings.Clone(raw)
}
