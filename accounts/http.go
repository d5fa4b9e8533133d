package accounts

import (
	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// Handler is the accounts HTTP edge.
type Handler struct {
	svc *Service
	// authLimit guards sign-in, registration and refresh per client address.
	authLimit fiber.Handler
}

// NewHandler returns the edge; authLimit is applied to the /auth routes
// that take no token.
func NewHandler(svc *Service, authLimit fiber.Handler) *Handler {
	if authLimit == nil {
		authLimit = func(c *fiber.Ctx) error { return c.Next() }
	}
	return &Handler{svc: svc, authLimit: authLimit}
}

// Mount registers the routes on the /api/v1 router.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	api.Post("/auth/register", h.authLimit, h.register)
	api.Post("/auth/login", h.authLimit, h.login)
	api.Post("/auth/refresh", h.authLimit, h.refresh)
	api.Post("/auth/card", h.authLimit, h.cardSignIn)
	api.Post("/auth/logout", g.Require(), h.logout)
	api.Get("/me", g.Require(), h.me)
	api.Post("/me/password", g.Require(), h.changePassword)
	api.Post("/users", g.Require(web.RoleAdmin), h.createUser)
	api.Get("/users", g.Require(web.RoleAdmin), h.listUsers)
	api.Patch("/users/:id", g.Require(web.RoleAdmin), h.updateUser)
	api.Post("/users/:id/reset", g.Require(web.RoleAdmin), h.resetUser)
	api.Post("/organizations", g.Require(web.RoleAdmin), h.createOrganization)
	api.Get("/organizations", g.Require(web.RoleAdmin), h.listOrganizations)
	api.Get("/organizations/:id", g.Require(web.RoleAdmin, web.RoleEmployer), h.getOrganization)
}

// UserResponse is the contract's user object.
type UserResponse struct {
	ID             string  `json:"id"`
	Email          *string `json:"email"`    // null for a class learner without one
	Username       *string `json:"username"` // null until set
	Name           string  `json:"name"`
	Role           string  `json:"role"`
	Locale         string  `json:"locale"`
	OrganizationID *string `json:"organization_id"`
	Disabled       bool    `json:"disabled,omitempty"`
}

func userResponse(u User) UserResponse {
	r := UserResponse{ID: u.ID, Name: u.Name, Role: string(u.Role), Locale: u.Locale, Disabled: u.Disabled}
	if u.Email != "" {
		email := u.Email
		r.Email = &email
	}
	if u.Username != "" {
		username := u.Username
		r.Username = &username
	}
	if u.OrganizationID != "" {
		id := u.OrganizationID
		r.OrganizationID = &id
	}
	return r
}

// SessionResponse is what register, login and refresh answer.
type SessionResponse struct {
	User         UserResponse `json:"user"`
	AccessToken  string       `json:"access_token"`
	RefreshToken string       `json:"refresh_token"`
	TokenType    string       `json:"token_type"`
	ExpiresIn    int          `json:"expires_in"`
}

func sessionResponse(s Session) SessionResponse {
	return SessionResponse{User: userResponse(s.User), AccessToken: s.AccessToken, RefreshToken: s.RefreshToken,
		TokenType: "Bearer", ExpiresIn: int(s.ExpiresIn.Seconds())}
}

// OrganizationResponse is the contract's organization object.
type OrganizationResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func organizationResponse(o Organization) OrganizationResponse {
	return OrganizationResponse{ID: o.ID, Name: o.Name}
}

type registerRequest struct {
	Email    string `json:"email" validate:"required,email,max=320"`
	Password string `json:"password" validate:"required,max=256"`
	Name     string `json:"name" validate:"required,max=200"`
	Locale   string `json:"locale" validate:"omitempty,max=35"`
}

func (h *Handler) register(c *fiber.Ctx) error {
	var req registerRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	sess, err := h.svc.Register(c.UserContext(), NewUser{Email: req.Email, Password: req.Password, Name: req.Name, Locale: req.Locale})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sessionResponse(sess))
}

type loginRequest struct {
	Email    string `json:"email" validate:"required_without=Username,max=320"`
	Username string `json:"username" validate:"max=320"`
	Password string `json:"password" validate:"required,max=256"`
}

func (h *Handler) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	login := req.Email
	if login == "" {
		login = req.Username
	}
	sess, err := h.svc.Login(c.UserContext(), login, req.Password)
	if err != nil {
		return err
	}
	return c.JSON(sessionResponse(sess))
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token" validate:"required,max=200"`
}

func (h *Handler) refresh(c *fiber.Ctx) error {
	var req refreshRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	sess, err := h.svc.Refresh(c.UserContext(), req.RefreshToken)
	if err != nil {
		return err
	}
	return c.JSON(sessionResponse(sess))
}

type logoutRequest struct {
	RefreshToken string `json:"refresh_token" validate:"required_without=Everywhere,max=200"`
	Everywhere   bool   `json:"everywhere"`
}

func (h *Handler) logout(c *fiber.Ctx) error {
	var req logoutRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	if err := h.svc.Logout(c.UserContext(), p, req.RefreshToken, req.Everywhere); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) me(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	u, err := h.svc.Me(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.JSON(userResponse(u))
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password" validate:"max=256"` // not needed in a session begun with a card
	NewPassword     string `json:"new_password" validate:"required,max=256"`
}

func (h *Handler) changePassword(c *fiber.Ctx) error {
	var req passwordRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	if req.CurrentPassword == "" {
		family := h.svc.SessionFamily(bearerToken(c))
		if err := h.svc.SetPasswordFromCard(c.UserContext(), p.UserID, family, req.NewPassword); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
	if err := h.svc.ChangePassword(c.UserContext(), p, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type createUserRequest struct {
	Email          string `json:"email" validate:"required,email,max=320"`
	Password       string `json:"password" validate:"required,max=256"`
	Name           string `json:"name" validate:"required,max=200"`
	Role           string `json:"role" validate:"required,oneof=learner trainer employer admin"`
	Locale         string `json:"locale" validate:"omitempty,max=35"`
	OrganizationID string `json:"organization_id" validate:"omitempty,max=36"`
}

func (h *Handler) createUser(c *fiber.Ctx) error {
	var req createUserRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(c.UserContext(), NewUser{Email: req.Email, Password: req.Password, Name: req.Name,
		Role: web.Role(req.Role), Locale: req.Locale, OrganizationID: req.OrganizationID})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(userResponse(u))
}

func (h *Handler) listUsers(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f := UserFilter{Role: c.Query("role"), OrganizationID: c.Query("organization_id")}
	list, err := h.svc.ListUsers(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, userResponse))
}

type updateUserRequest struct {
	Role     *string `json:"role" validate:"omitempty,oneof=learner trainer employer admin"`
	Disabled *bool   `json:"disabled"`
}

func (h *Handler) updateUser(c *fiber.Ctx) error {
	var req updateUserRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	var role *web.Role
	if req.Role != nil {
		r := web.Role(*req.Role)
		role = &r
	}
	p, _ := web.Caller(c)
	u, err := h.svc.AdminUpdate(c.UserContext(), p, c.Params("id"), role, req.Disabled)
	if err != nil {
		return err
	}
	return c.JSON(userResponse(u))
}

type organizationRequest struct {
	Name string `json:"name" validate:"required,max=200"`
}

func (h *Handler) createOrganization(c *fiber.Ctx) error {
	var req organizationRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	o, err := h.svc.CreateOrganization(c.UserContext(), req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(organizationResponse(o))
}

func (h *Handler) listOrganizations(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.svc.ListOrganizations(c.UserContext(), page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, organizationResponse))
}

func (h *Handler) getOrganization(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	id := c.Params("id")
	if !p.IsAdmin() && p.OrganizationID != id {
		return web.NotFound("organization")
	}
	o, err := h.svc.Organization(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(organizationResponse(o))
}
