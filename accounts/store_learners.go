package accounts

import (
	"context"
	"fmt"
	"strings"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// usersWhere loads the users whose column (id, username or email_key) is
// one of values.
func (s *Store) usersWhere(ctx context.Context, column string, values []string) ([]User, error) {
	var rows []userRow
	if err := s.conn(ctx).Where(column+" IN ?", values).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("accounts: load users by %s: %w", column, err)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CreateLearner inserts a learner made by a class: a username, no
// password. A username or email taken meanwhile is a conflict.
func (s *Store) CreateLearner(ctx context.Context, u User) error {
	username := u.Username
	row := userRow{ID: u.ID, Email: u.Email, EmailKey: NormalizeEmail(u.Email), Username: &username, Name: u.Name,
		Role: string(u.Role), Locale: u.Locale, TokenVersion: u.TokenVersion, CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt}
	return dbx.WriteErr(s.conn(ctx).Create(&row).Error, web.DetailLearnersRace.Conflict(), "accounts: create learner")
}

// UserByLogin finds an account by what a person types to sign in: an
// email (it holds an @) or a username.
func (s *Store) UserByLogin(ctx context.Context, login string) (User, error) {
	if strings.Contains(login, "@") {
		return s.UserByEmail(ctx, login)
	}
	key := NormalizeUsername(login)
	if key == "" {
		return User{}, web.NotFound("user")
	}
	var row userRow
	err := s.conn(ctx).Where("username = ?", key).Take(&row).Error
	if err := dbx.LoadErr(err, "user", "accounts: load user by username"); err != nil {
		return User{}, err
	}
	return row.domain(), nil
}
