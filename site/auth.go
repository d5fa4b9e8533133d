package site

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/accounts"
	"skillgate/app/web"
)

type authView struct {
	Next   string
	Login  string
	Name   string
	Email  string
	Errors map[string]string
}

func (s *Site) loginForm(c *fiber.Ctx) error {
	r := reqOf(c)
	if r.user != nil {
		return s.redirect(c, nextOf(c.Query("next")), "")
	}
	return s.render(c, fiber.StatusOK, "login", r.lang.T("login.title"), authView{Next: nextOf(c.Query("next"))})
}

func (s *Site) login(c *fiber.Ctx) error {
	r := reqOf(c)
	v := authView{Next: nextOf(c.FormValue("next")), Login: strings.TrimSpace(c.FormValue("login")), Errors: map[string]string{}}
	password := c.FormValue("password")
	if v.Login == "" {
		v.Errors["login"] = r.lang.T("err.login_required")
	}
	if password == "" {
		v.Errors["password"] = r.lang.T("err.password_required")
	}
	if len(v.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "login", r.lang.T("login.title"), v)
	}
	sess, err := s.d.Accounts.Login(c.UserContext(), v.Login, password)
	if err != nil {
		e, ok := web.AsError(err)
		switch {
		case ok && e.Kind == web.KindUnauthenticated:
			v.Errors["form"] = r.lang.T("err.bad_login")
			return s.render(c, fiber.StatusUnauthorized, "login", r.lang.T("login.title"), v)
		case ok && e.Kind == web.KindRateLimited:
			v.Errors["form"] = r.lang.T("err.rate_limited")
			return s.render(c, fiber.StatusTooManyRequests, "login", r.lang.T("login.title"), v)
		}
		return s.fail(c, err)
	}
	if err := s.begin(c, sess.User.ID, sess.RefreshToken, false); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, v.Next, "signed_in")
}

func (s *Site) signupForm(c *fiber.Ctx) error {
	r := reqOf(c)
	if r.user != nil {
		return s.redirect(c, "/", "")
	}
	return s.render(c, fiber.StatusOK, "signup", r.lang.T("signup.title"), authView{Next: nextOf(c.Query("next"))})
}

// fieldMessages turns a service's validation error into messages in the
// page's language, keyed by the form field they belong to: a field the
// learner pages ask for (one with an err.field.<name> hint) gets its own
// message beside it, any other is said, with its label, above the form.
func fieldMessages(l *Lang, err error) (map[string]string, bool) {
	return formMessages(l, err, func(out map[string]string, fields []web.FieldError) {
		var above []string
		for _, f := range fields {
			if l.Has("err.field." + f.Field) {
				out[f.Field] = fieldMessage(l, f)
			} else {
				above = append(above, labelledMessage(l, f))
			}
		}
		if len(above) > 0 {
			out["form"] = strings.Join(above, " ")
		}
	})
}

// formMessages says a refused form's messages in l, keyed by form field
// ("form" for the whole form): a validation error's fields as fields puts
// them (or the general message when it puts none), a conflict or a rate
// limit as what happened. Any other error is not the form's (false).
func formMessages(l *Lang, err error, fields func(out map[string]string, fs []web.FieldError)) (map[string]string, bool) {
	e, ok := web.AsError(err)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	switch e.Kind {
	case web.KindValidation:
		fields(out, e.Fields)
		if len(out) == 0 {
			out["form"] = l.T("err.invalid")
		}
	case web.KindConflict, web.KindRateLimited:
		out["form"] = problemMessage(l, e) // nothing to fix in the form: say what happened
	default:
		return nil, false
	}
	return out, true
}

func (s *Site) signup(c *fiber.Ctx) error {
	r := reqOf(c)
	v := authView{Next: nextOf(c.FormValue("next")), Name: strings.TrimSpace(c.FormValue("name")),
		Email: strings.TrimSpace(c.FormValue("email")), Errors: map[string]string{}}
	if v.Name == "" {
		v.Errors["name"] = r.lang.T("err.field.name")
	}
	if v.Email == "" {
		v.Errors["email"] = r.lang.T("err.field.email")
	}
	if len(v.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "signup", r.lang.T("signup.title"), v)
	}
	sess, err := s.d.Accounts.Register(c.UserContext(), accounts.NewUser{Email: v.Email, Password: c.FormValue("password"),
		Name: v.Name, Locale: r.lang.Code})
	if err != nil {
		if errors.Is(err, accounts.ErrEmailTaken) {
			v.Errors["email"] = r.lang.T("err.email_taken")
			return s.render(c, fiber.StatusConflict, "signup", r.lang.T("signup.title"), v)
		}
		if msgs, ok := fieldMessages(r.lang, err); ok {
			v.Errors = msgs
			return s.render(c, fiber.StatusUnprocessableEntity, "signup", r.lang.T("signup.title"), v)
		}
		return s.fail(c, err)
	}
	if err := s.begin(c, sess.User.ID, sess.RefreshToken, false); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, v.Next, "welcome")
}

func (s *Site) logout(c *fiber.Ctx) error {
	s.end(c)
	return s.redirect(c, "/login", "signed_out")
}

// cardSignIn signs a class learner in with the card's QR code (GET
// /card/{secret}) or its typed code (POST /card), and sends her on. A card
// session may set a password without the old one.
func (s *Site) cardSignIn(c *fiber.Ctx) error {
	r := reqOf(c)
	secret := c.Params("secret")
	if c.Method() == fiber.MethodPost {
		secret = c.FormValue("code")
	}
	if len(secret) > 200 {
		secret = ""
	}
	sess, err := s.d.Accounts.CardSignIn(c.UserContext(), secret)
	if err != nil {
		if web.IsKind(err, web.KindUnauthenticated) {
			// A shared phone may still hold someone else's session: a bad
			// card never leaves it signed in as anybody.
			s.end(c)
			return s.render(c, fiber.StatusUnauthorized, "login", r.lang.T("login.title"),
				authView{Next: "/", Errors: map[string]string{"card": r.lang.T("err.bad_card")}})
		}
		return s.fail(c, err)
	}
	s.end(c) // whoever was signed in on this phone is signed out first
	if err := s.begin(c, sess.User.ID, sess.RefreshToken, true); err != nil {
		return s.fail(c, err)
	}
	return s.redirect(c, "/", "card_signed_in")
}
