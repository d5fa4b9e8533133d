package accounts

import (
	"context"
	"net/mail"
	"strings"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// NewLearner is a learner a trainer adds to a class: a name, and a
// username and an email when known. Such a learner has no password until
// they set one after signing in with their card.
type NewLearner struct {
	Name     string
	Username string
	Email    string
	Locale   string
}

// Normalize trims the row and lower-cases its username and email.
func (n NewLearner) Normalize() NewLearner {
	n.Name = strings.TrimSpace(n.Name)
	n.Username = NormalizeUsername(n.Username)
	n.Email = strings.TrimSpace(n.Email)
	n.Locale = strings.TrimSpace(n.Locale)
	return n
}

// CheckLearner returns what is wrong with a normalised row, field by field,
// without looking at the database.
func CheckLearner(n NewLearner) []web.FieldError {
	var out []web.FieldError
	if n.Name == "" {
		out = append(out, web.Required("name"))
	} else if f := CheckName("name", n.Name); len(f) > 0 {
		out = append(out, f...)
	} else if len(n.Name) > 200 {
		out = append(out, web.TooLongBytes("name", 200))
	}
	if n.Username != "" {
		if CheckUsername(n.Username) != "" {
			out = append(out, usernameError("username"))
		}
	}
	if n.Email != "" {
		if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 320 {
			out = append(out, web.NotEmail("email"))
		}
	}
	if n.Locale != "" && (!web.IsLocale(n.Locale) || len(n.Locale) > 35) {
		out = append(out, web.NotLocale("locale"))
	}
	return out
}

// FindUsers returns the accounts having any of the usernames or emails.
func (s *Service) FindUsers(ctx context.Context, usernames, emails []string) ([]User, error) {
	var out []User
	for _, chunk := range chunks(usernames, 500) {
		found, err := s.store.usersWhere(ctx, "username", chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	keys := make([]string, 0, len(emails))
	for _, e := range emails {
		if k := NormalizeEmail(e); k != "" {
			keys = append(keys, k)
		}
	}
	for _, chunk := range chunks(keys, 500) {
		found, err := s.store.usersWhere(ctx, "email_key", chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// UsersByIDs returns the accounts with the ids, in no particular order.
func (s *Service) UsersByIDs(ctx context.Context, ids []string) ([]User, error) {
	var out []User
	for _, chunk := range chunks(ids, 500) {
		found, err := s.store.usersWhere(ctx, "id", chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// CreateLearners makes learner accounts without a password, each with a
// username (given, or made from the name and made unique). Rows must have
// passed CheckLearner. It runs in the caller's transaction when there is
// one; a username or email taken meanwhile fails the whole call.
func (s *Service) CreateLearners(ctx context.Context, rows []NewLearner) ([]User, error) {
	var bases []string
	var at []int
	for i, n := range rows {
		if n.Username == "" {
			bases = append(bases, UsernameBase(n.Name))
			at = append(at, i)
		}
	}
	out := make([]User, len(rows))
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		made, err := s.store.freeUsernames(ctx, bases)
		if err != nil {
			return err
		}
		names := make([]string, len(rows))
		for i, n := range rows {
			names[i] = n.Username
		}
		for j, i := range at {
			names[i] = made[j]
		}
		now := s.opt.Now()
		for i, n := range rows {
			if n.Locale == "" {
				n.Locale = "en"
			}
			u := User{ID: dbx.NewID(), Email: n.Email, Username: names[i], Name: n.Name, Role: web.RoleLearner,
				Locale: n.Locale, TokenVersion: 1, CreatedAt: now}
			if err := s.store.CreateLearner(ctx, u); err != nil {
				return err
			}
			out[i] = u
		}
		return nil
	})
	return out, err
}

func chunks(s []string, n int) [][]string {
	var out [][]string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// throttleAccount is the account key of the sign-in counters: the email,
// or for a learner without one the username, as typed at sign-in. Never
// "", which every account without email would share.
func throttleAccount(u User) string {
	if k := NormalizeEmail(u.Email); k != "" {
		return k
	}
	if u.Username != "" {
		return NormalizeUsername(u.Username)
	}
	return "id:" + u.ID
}
