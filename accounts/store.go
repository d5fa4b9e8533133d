package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type userRow struct {
	ID             string  `gorm:"primaryKey;size:36"`
	Email          string  `gorm:"size:320;not null"`
	EmailKey       string  `gorm:"size:320;not null;uniqueIndex"`
	Username       *string `gorm:"size:40"`
	Name           string  `gorm:"size:200;not null"`
	Role           string  `gorm:"size:16;not null;index"`
	Locale         string  `gorm:"size:35;not null"`
	OrganizationID *string `gorm:"size:36;index"`
	PasswordHash   string  `gorm:"size:200;not null"`
	TokenVersion   int64   `gorm:"not null;default:1"`
	Disabled       bool    `gorm:"not null;default:false"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) domain() User {
	u := User{ID: r.ID, Email: r.Email, Name: r.Name, Role: web.Role(r.Role), Locale: r.Locale,
		Disabled: r.Disabled, TokenVersion: r.TokenVersion, PasswordHash: r.PasswordHash, CreatedAt: r.CreatedAt}
	if r.OrganizationID != nil {
		u.OrganizationID = *r.OrganizationID
	}
	if r.Username != nil {
		u.Username = *r.Username
	}
	return u
}

type organizationRow struct {
	ID        string `gorm:"primaryKey;size:36"`
	Name      string `gorm:"size:200;not null"`
	CreatedAt time.Time
}

func (organizationRow) TableName() string { return "organizations" }

func (r organizationRow) domain() Organization {
	return Organization{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt}
}

type refreshTokenRow struct {
	ID              string `gorm:"primaryKey;size:36"`
	FamilyID        string `gorm:"size:36;not null;index"`
	UserID          string `gorm:"size:36;not null;index"`
	TokenHash       string `gorm:"size:64;not null;uniqueIndex"`
	FamilyExpiresAt time.Time
	CreatedAt       time.Time
	UsedAt          *time.Time
	RevokedAt       *time.Time
}

func (refreshTokenRow) TableName() string { return "refresh_tokens" }

type authKeyRow struct {
	ID        string `gorm:"primaryKey;size:64"`
	Secret    []byte `gorm:"not null"`
	CreatedAt time.Time
}

func (authKeyRow) TableName() string { return "auth_keys" }

// Store persists accounts. Every write that must cut access publishes on
// the change bus in the same transaction (see cache.go).
type Store struct {
	db      *gorm.DB
	changes *dbx.Changes // nil: no caches to tell
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// publish records, in ctx's transaction, that key of topic changed.
func (s *Store) publish(ctx context.Context, topic, key string) error {
	if err := s.changes.Publish(ctx, topic, key); err != nil {
		return fmt.Errorf("accounts: publish %s change: %w", topic, err)
	}
	return nil
}

// ErrEmailTaken is returned when an email is already registered.
var ErrEmailTaken = web.DetailEmailTaken.Conflict()

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

// CreateUser inserts u.
func (s *Store) CreateUser(ctx context.Context, u User) error {
	row := userRow{ID: u.ID, Email: u.Email, EmailKey: NormalizeEmail(u.Email), Name: u.Name, Role: string(u.Role),
		Locale: u.Locale, PasswordHash: u.PasswordHash, TokenVersion: u.TokenVersion, Disabled: u.Disabled,
		CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt}
	if u.OrganizationID != "" {
		row.OrganizationID = &u.OrganizationID
	}
	return dbx.WriteErr(s.conn(ctx).Create(&row).Error, ErrEmailTaken, "accounts: create user")
}

// UserByID loads a user.
func (s *Store) UserByID(ctx context.Context, id string) (User, error) {
	return dbx.ByID(s.conn(ctx), id, "user", "accounts: load user", userRow.domain)
}

// UserByEmail loads a user by email, in any letter case.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	if NormalizeEmail(email) == "" { // accounts without email are not found by it
		return User{}, web.NotFound("user")
	}
	var row userRow
	err := s.conn(ctx).Where("email_key = ?", NormalizeEmail(email)).Take(&row).Error
	if err := dbx.LoadErr(err, "user", "accounts: load user by email"); err != nil {
		return User{}, err
	}
	return row.domain(), nil
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Role           string
	OrganizationID string
}

// ListUsers returns up to p.Limit+1 users after the cursor, oldest first.
func (s *Store) ListUsers(ctx context.Context, f UserFilter, p web.Page) ([]User, error) {
	q := dbx.PageByID(s.conn(ctx), p, false)
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.OrganizationID != "" {
		q = q.Where("organization_id = ?", f.OrganizationID)
	}
	var rows []userRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("accounts: list users: %w", err)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// AdminExists reports whether any admin account exists.
func (s *Store) AdminExists(ctx context.Context) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&userRow{}).Where("role = ?", string(web.RoleAdmin)).Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("accounts: look for an admin: %w", err)
	}
	return n > 0, nil
}

// UserChange is an update to a user; nil fields stay as they are.
type UserChange struct {
	Name         *string
	Locale       *string
	Role         *web.Role
	Disabled     *bool
	PasswordHash *string
	// BumpTokenVersion cuts every access token issued before.
	BumpTokenVersion bool
}

// UpdateUser applies ch to user id, naming its columns, and tells every
// replica's caches of the account in the same transaction.
func (s *Store) UpdateUser(ctx context.Context, id string, ch UserChange, now time.Time) error {
	cols := map[string]any{"updated_at": now}
	if ch.Name != nil {
		cols["name"] = *ch.Name
	}
	if ch.Locale != nil {
		cols["locale"] = *ch.Locale
	}
	if ch.Role != nil {
		cols["role"] = string(*ch.Role)
	}
	if ch.Disabled != nil {
		cols["disabled"] = *ch.Disabled
	}
	if ch.PasswordHash != nil {
		cols["password_hash"] = *ch.PasswordHash
	}
	if ch.BumpTokenVersion {
		cols["token_version"] = gorm.Expr("token_version + 1")
	}
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&userRow{}).Where("id = ?", id).Updates(cols)
		if res.Error != nil {
			return fmt.Errorf("accounts: update user: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return web.NotFound("user")
		}
		return s.publish(ctx, dbx.TopicAccounts, id)
	})
}

// CreateOrganization inserts o.
func (s *Store) CreateOrganization(ctx context.Context, o Organization) error {
	row := organizationRow{ID: o.ID, Name: o.Name, CreatedAt: o.CreatedAt}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("accounts: create organization: %w", err)
	}
	return nil
}

// OrganizationByID loads an organization.
func (s *Store) OrganizationByID(ctx context.Context, id string) (Organization, error) {
	return dbx.ByID(s.conn(ctx), id, "organization", "accounts: load organization", organizationRow.domain)
}

// OrganizationByName loads the oldest organization named name.
func (s *Store) OrganizationByName(ctx context.Context, name string) (Organization, error) {
	var row organizationRow
	err := s.conn(ctx).Where("name = ?", name).Order("created_at").Take(&row).Error
	if err := dbx.LoadErr(err, "organization", "accounts: find organization"); err != nil {
		return Organization{}, err
	}
	return row.domain(), nil
}

// ListOrganizations returns up to p.Limit+1 organizations after the cursor.
func (s *Store) ListOrganizations(ctx context.Context, p web.Page) ([]Organization, error) {
	q := dbx.PageByID(s.conn(ctx), p, false)
	var rows []organizationRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("accounts: list organizations: %w", err)
	}
	out := make([]Organization, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// refreshToken is a stored refresh token.
type refreshToken struct {
	ID, FamilyID, UserID string
	FamilyExpiresAt      time.Time
	Used, Revoked        bool
}

// CreateRefreshToken stores the hash of a new token of a family.
func (s *Store) CreateRefreshToken(ctx context.Context, id, familyID, userID, hash string, familyExpires, now time.Time) error {
	row := refreshTokenRow{ID: id, FamilyID: familyID, UserID: userID, TokenHash: hash,
		FamilyExpiresAt: familyExpires, CreatedAt: now}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("accounts: store refresh token: %w", err)
	}
	return nil
}

var errNoRefreshToken = errors.New("accounts: no such refresh token")

// RefreshTokenByHash finds a stored token.
func (s *Store) RefreshTokenByHash(ctx context.Context, hash string) (refreshToken, error) {
	var row refreshTokenRow
	err := s.conn(ctx).Where("token_hash = ?", hash).Take(&row).Error
	if dbx.IsNotFound(err) {
		return refreshToken{}, errNoRefreshToken
	}
	if err != nil {
		return refreshToken{}, fmt.Errorf("accounts: load refresh token: %w", err)
	}
	return refreshToken{ID: row.ID, FamilyID: row.FamilyID, UserID: row.UserID, FamilyExpiresAt: row.FamilyExpiresAt,
		Used: row.UsedAt != nil, Revoked: row.RevokedAt != nil}, nil
}

// FamilyLive reports whether the family has a token that is not revoked
// and whose family has not expired.
func (s *Store) FamilyLive(ctx context.Context, userID, familyID string, now time.Time) (bool, error) {
	_, live, err := s.FamilyExpiry(ctx, userID, familyID, now)
	return live, err
}

// FamilyExpiry returns when the family of userID expires, and whether it
// is live: it has a token that is not revoked, and has not expired.
func (s *Store) FamilyExpiry(ctx context.Context, userID, familyID string, now time.Time) (time.Time, bool, error) {
	var rows []refreshTokenRow
	err := s.conn(ctx).Select("family_expires_at").
		Where("family_id = ? AND user_id = ? AND revoked_at IS NULL AND family_expires_at > ?", familyID, userID, now).
		Limit(1).Find(&rows).Error
	if err != nil {
		return time.Time{}, false, fmt.Errorf("accounts: load token family: %w", err)
	}
	if len(rows) == 0 {
		return time.Time{}, false, nil
	}
	return rows[0].FamilyExpiresAt, true, nil
}

// SpendRefreshToken marks a token used if, and only if, it was neither used
// nor revoked: of two concurrent refreshes with one token, one wins.
func (s *Store) SpendRefreshToken(ctx context.Context, id string, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&refreshTokenRow{}).
		Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
		Update("used_at", now)
	if res.Error != nil {
		return false, fmt.Errorf("accounts: spend refresh token: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RevokeFamily revokes every token of a family, telling the caches of
// family liveness in the same transaction.
func (s *Store) RevokeFamily(ctx context.Context, familyID string, now time.Time) error {
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		err := s.conn(ctx).Model(&refreshTokenRow{}).Where("family_id = ? AND revoked_at IS NULL", familyID).
			Update("revoked_at", now).Error
		if err != nil {
			return fmt.Errorf("accounts: revoke token family: %w", err)
		}
		return s.publish(ctx, TopicTokenFamilies, familyID)
	})
}

// RevokeUserTokens revokes every refresh token of a user, telling the
// caches of family liveness in the same transaction.
func (s *Store) RevokeUserTokens(ctx context.Context, userID string, now time.Time) error {
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		err := s.conn(ctx).Model(&refreshTokenRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).
			Update("revoked_at", now).Error
		if err != nil {
			return fmt.Errorf("accounts: revoke user tokens: %w", err)
		}
		return s.publish(ctx, TopicTokenFamilies, userKeyPrefix+userID)
	})
}

// PurgeRefreshTokens deletes tokens whose family expired before cutoff.
// Nothing is published: a cached family carries its expiry.
func (s *Store) PurgeRefreshTokens(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.conn(ctx).Where("family_expires_at < ?", cutoff).Delete(&refreshTokenRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("accounts: purge refresh tokens: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// AuthSecret returns the access-token secret with id, creating it from
// fresh if no replica has yet; every replica then reads the same one.
func (s *Store) AuthSecret(ctx context.Context, id string, fresh []byte, now time.Time) ([]byte, error) {
	row := authKeyRow{ID: id, Secret: fresh, CreatedAt: now}
	err := s.conn(ctx).Create(&row).Error
	if err != nil && !dbx.IsDuplicate(err) {
		return nil, fmt.Errorf("accounts: store auth secret: %w", err)
	}
	var got authKeyRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&got).Error; err != nil {
		return nil, fmt.Errorf("accounts: load auth secret: %w", err)
	}
	return got.Secret, nil
}
