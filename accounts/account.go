// Package accounts owns users, organizations, passwords, access tokens and
// refresh-token families. It imports app/web and app/dbx only; other domains
// learn who is calling through web.Principal.
package accounts

import (
	"strings"
	"time"

	"skillgate/app/web"
)

// User is an account.
type User struct {
	ID             string
	Email          string // "" for a learner made by a class without one
	Username       string // "" until set
	Name           string
	Role           web.Role
	Locale         string
	OrganizationID string
	Disabled       bool
	TokenVersion   int64
	PasswordHash   string
	CreatedAt      time.Time
}

// Principal is the caller this user is.
func (u User) Principal() web.Principal {
	return web.Principal{UserID: u.ID, Name: u.Name, Role: u.Role, OrganizationID: u.OrganizationID}
}

// Organization is an employer (or any body users belong to).
type Organization struct {
	ID        string
	Name      string
	CreatedAt time.Time
}

// Session is what sign-in hands out.
type Session struct {
	User         User
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// NormalizeEmail is the key under which emails are unique.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
