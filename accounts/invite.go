package accounts

import (
	"context"
	"net/mail"
	"strings"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Invite creates an account without a password and gives it a one-time
// sign-in link (see ResetLink), with which its owner signs in and sets a
// password. It is how an operator makes the first trainers, employers and
// admins without calling the API by hand.
func (s *Service) Invite(ctx context.Context, n NewUser) (User, SignInLink, error) {
	n.Email = strings.TrimSpace(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		n.Name, _, _ = strings.Cut(n.Email, "@")
	}
	if n.Locale == "" {
		n.Locale = "en"
	}
	var fields []web.FieldError
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		fields = append(fields, web.NotEmail("email"))
	}
	fields = append(fields, CheckName("name", n.Name)...)
	if !n.Role.Valid() {
		fields = append(fields, roleError("role"))
	}
	if n.Role == web.RoleEmployer && n.OrganizationID == "" {
		fields = append(fields, web.RuleEmployerNeedsOrg.On("organization"))
	}
	if len(fields) > 0 {
		return User{}, SignInLink{}, web.Invalid("the account cannot be created", fields...)
	}
	var u User
	var link SignInLink
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		u = User{ID: dbx.NewID(), Email: n.Email, Name: n.Name, Role: n.Role, Locale: n.Locale,
			OrganizationID: n.OrganizationID, TokenVersion: 1, CreatedAt: s.opt.Now()}
		if err := s.store.CreateUser(ctx, u); err != nil {
			return err
		}
		var err error
		link, err = s.ResetLink(ctx, u.ID)
		return err
	})
	return u, link, err
}

// EnsureOrganization returns the organization named name, creating it
// when there is none.
func (s *Service) EnsureOrganization(ctx context.Context, name string) (Organization, error) {
	name = strings.TrimSpace(name)
	o, err := s.store.OrganizationByName(ctx, name)
	if err == nil || !web.IsKind(err, web.KindNotFound) {
		return o, err
	}
	return s.CreateOrganization(ctx, name)
}
