package accounts

import (
	"context"
	"crypto/rand"
	"fmt"
	"runtime"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/secrets"
	"skillgate/app/web"
)

// Options configure the accounts service.
type Options struct {
	Issuer          string
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	// PerAddress limits password guesses against one account from one
	// client address (tight, with exponential back-off); PerAccount is the
	// looser ceiling over every address. Free == 0 turns a limit off.
	PerAddress Backoff
	PerAccount Backoff
	Box        *secrets.Box
	Now        func() time.Time
	// Changes is the change bus that keeps the caches of accounts and
	// token families coherent across replicas; without one nothing is
	// cached, since nothing would tell the caches of a change.
	Changes *dbx.Changes
	// HashCost is the argon2id cost of new password hashes; zero is
	// OWASP's baseline (see HashCost).
	HashCost HashCost
}

// Service is the accounts use cases.
type Service struct {
	store  *Store
	hasher *hasher
	signer *tokenSigner
	box    *secrets.Box
	opt    Options
	// users and families serve authentication without a read (cache.go).
	users    *dbx.Cache[User]
	families *familyCache
	// dummyHash is verified against when an email is unknown, so that
	// unknown and known emails take the same time to refuse.
	dummyHash string
}

// accessKeyID names the access-token secret; a rotation would add another.
const accessKeyID = "access-hs256-1"

// NewService loads (or creates) the access-token secret and returns the
// service on its store (NewStore).
func NewService(ctx context.Context, store *Store, opt Options) (*Service, error) {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Box == nil {
		opt.Box, _ = secrets.NewBox(nil)
	}
	s := &Service{store: store, hasher: newHasher(runtime.NumCPU(), opt.HashCost), box: opt.Box, opt: opt,
		users: dbx.NewCache[User](cacheSize, opt.Changes, dbx.TopicAccounts, true), families: newFamilyCache(opt.Changes)}
	s.store.changes = opt.Changes
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("accounts: secret: %w", err)
	}
	sealed, err := s.box.Seal(fresh, []byte(accessKeyID))
	if err != nil {
		return nil, err
	}
	stored, err := s.store.AuthSecret(ctx, accessKeyID, sealed, opt.Now())
	if err != nil {
		return nil, err
	}
	secret, err := s.box.Open(stored, []byte(accessKeyID))
	if err != nil {
		return nil, fmt.Errorf("accounts: open access-token secret: %w", err)
	}
	s.signer = newTokenSigner(accessKeyID, secret, opt.Issuer, opt.AccessTokenTTL, opt.Now)
	if s.dummyHash, err = s.hasher.Hash("not a real password, never matches"); err != nil {
		return nil, err
	}
	return s, nil
}

// NewUser is what registration and admin creation take.
type NewUser struct {
	Email          string
	Password       string
	Name           string
	Locale         string
	Role           web.Role
	OrganizationID string
}

// roleError refuses a role that is none of the four.
func roleError(field string) web.FieldError {
	return web.OneOf(field, string(web.RoleLearner), string(web.RoleTrainer), string(web.RoleEmployer), string(web.RoleAdmin))
}

func (s *Service) validateNew(ctx context.Context, n *NewUser) error {
	var fields []web.FieldError
	n.Email = strings.TrimSpace(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if n.Locale == "" {
		n.Locale = "en"
	}
	fields = append(fields, CheckName("name", n.Name)...)
	fields = append(fields, CheckPasswordFor("password", n.Password, n.Email, n.Name)...)
	if !web.IsLocale(n.Locale) {
		fields = append(fields, web.NotLocale("locale"))
	}
	if !n.Role.Valid() {
		fields = append(fields, roleError("role"))
	}
	if n.Role == web.RoleEmployer && n.OrganizationID == "" {
		fields = append(fields, web.RuleEmployerNeedsOrg.On("organization_id"))
	}
	if n.OrganizationID != "" {
		if _, err := s.store.OrganizationByID(ctx, n.OrganizationID); err != nil {
			if !web.IsKind(err, web.KindNotFound) {
				return err
			}
			fields = append(fields, web.RuleNoOrganization.On("organization_id"))
		}
	}
	if len(fields) > 0 {
		return web.Invalid("the account cannot be created", fields...)
	}
	return nil
}

func (s *Service) create(ctx context.Context, n NewUser) (User, error) {
	if err := s.validateNew(ctx, &n); err != nil {
		return User{}, err
	}
	if _, err := s.store.UserByEmail(ctx, n.Email); err == nil {
		return User{}, ErrEmailTaken // answer early and skip the costly hash
	}
	hash, err := s.hasher.Hash(n.Password)
	if err != nil {
		return User{}, err
	}
	u := User{ID: dbx.NewID(), Email: n.Email, Name: n.Name, Role: n.Role, Locale: n.Locale,
		OrganizationID: n.OrganizationID, PasswordHash: hash, TokenVersion: 1, CreatedAt: s.opt.Now()}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return User{}, err
	}
	return u, nil
}

// Register creates a learner account and signs it in. Whatever role the
// client asked for, the account is a learner.
func (s *Service) Register(ctx context.Context, n NewUser) (Session, error) {
	n.Role = web.RoleLearner
	n.OrganizationID = ""
	var sess Session
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.create(ctx, n)
		if err != nil {
			return err
		}
		sess, err = s.startSession(ctx, u)
		return err
	})
	return sess, err
}

// CreateUser is an admin creating an account of any role.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (User, error) {
	return s.create(ctx, n)
}

// EnsureAdmin creates the bootstrap admin when no admin exists yet.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (created bool, err error) {
	exists, err := s.store.AdminExists(ctx)
	if err != nil || exists {
		return false, err
	}
	_, err = s.create(ctx, NewUser{Email: email, Password: password, Name: "Administrator", Role: web.RoleAdmin})
	if err == ErrEmailTaken {
		// Another replica starting at the same moment made it first.
		if u, lerr := s.store.UserByEmail(ctx, email); lerr == nil && u.Role == web.RoleAdmin {
			return false, nil
		}
	}
	if err != nil {
		return false, fmt.Errorf("accounts: bootstrap admin: %w", err)
	}
	return true, nil
}

// errBadLogin is the one answer for an unknown email and a wrong password.
var errBadLogin = web.Unauthenticated("wrong email or password")

// Login checks a password. The guess is reserved before the password is
// hashed (see reserveGuess), so that guesses sent at once are limited like
// guesses sent in turn.
func (s *Service) Login(ctx context.Context, email, password string) (Session, error) {
	guess, err := s.reserveGuess(ctx, NormalizeEmail(email))
	if err != nil {
		return Session{}, err
	}
	u, err := s.store.UserByLogin(ctx, email) // an email, or a class learner's username
	if err != nil && !web.IsKind(err, web.KindNotFound) {
		guess.giveBack(ctx)
		return Session{}, err
	}
	hash := u.PasswordHash
	if err != nil || hash == "" { // unknown, or a card learner with no password yet
		hash = s.dummyHash
	}
	match, verr := s.hasher.Verify(hash, password)
	if err != nil || verr != nil || !match || u.Disabled {
		return Session{}, errBadLogin // the reservation stays: it was a failure
	}
	if err := guess.succeeded(ctx); err != nil {
		return Session{}, err
	}
	return s.startSession(ctx, u)
}

// guess is one reserved password guess against an account.
type guess struct {
	s                   *Service
	pairKey, accountKey string
}

// reserveGuess reserves one password guess against account (a normalised
// email) from the request's client address, before any hashing:
//
//   - per (account, address), a few free guesses, then an exponential
//     back-off: one address cannot guess much, and cannot lock the owner
//     out from anywhere else;
//   - per account, a looser ceiling over every address, which bounds what
//     many addresses together can try. Past the ceiling an address with no
//     failure in its streak still gets its guess, so that the owner with
//     the right password gets in while the account is under attack.
//
// Both counters are rows updated under a lock in one transaction, so replicas share
// them and concurrent guesses never exceed them.
func (s *Service) reserveGuess(ctx context.Context, account string) (*guess, error) {
	addr := web.ClientIPFromContext(ctx)
	if addr == "" {
		addr = "-"
	}
	g := &guess{s: s, pairKey: "pair:" + account + "|" + addr, accountKey: "acct:" + account}
	now := s.opt.Now()
	clean := true
	if s.opt.PerAddress.Free > 0 {
		ok, wasClean, retry, err := s.store.ReserveAttempt(ctx, account, g.pairKey, s.opt.PerAddress, now)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, web.RateLimited(retry)
		}
		clean = wasClean
	} else {
		g.pairKey = ""
	}
	if s.opt.PerAccount.Free > 0 {
		ok, _, retry, err := s.store.ReserveAttempt(ctx, account, g.accountKey, s.opt.PerAccount, now)
		if err != nil {
			g.giveBack(ctx)
			return nil, err
		}
		if !ok {
			g.accountKey = "" // nothing was reserved there
			if !clean {
				g.giveBack(ctx)
				return nil, web.RateLimited(retry)
			}
		}
	} else {
		g.accountKey = ""
	}
	return g, nil
}

// succeeded ends the address's streak and returns the account's
// reservation: a right password is not a guess against the ceiling.
func (g *guess) succeeded(ctx context.Context) error {
	if g.pairKey != "" {
		if err := g.s.store.ForgetAttempts(ctx, g.pairKey); err != nil {
			return err
		}
	}
	if g.accountKey != "" {
		return g.s.store.GiveBackAttempt(ctx, g.accountKey)
	}
	return nil
}

// giveBack returns reservations whose password was never checked.
func (g *guess) giveBack(ctx context.Context) {
	for _, k := range []string{g.pairKey, g.accountKey} {
		if k != "" {
			_ = g.s.store.GiveBackAttempt(ctx, k)
		}
	}
}

func (s *Service) startSession(ctx context.Context, u User) (Session, error) {
	now := s.opt.Now()
	return s.issue(ctx, u, dbx.NewID(), now.Add(s.opt.RefreshTokenTTL), now)
}

func (s *Service) issue(ctx context.Context, u User, familyID string, familyExpires, now time.Time) (Session, error) {
	access, err := s.signer.sign(u, familyID, now)
	if err != nil {
		return Session{}, fmt.Errorf("accounts: sign access token: %w", err)
	}
	refresh, err := randomToken(32)
	if err != nil {
		return Session{}, err
	}
	if err := s.store.CreateRefreshToken(ctx, dbx.NewID(), familyID, u.ID, hashToken(refresh), familyExpires, now); err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, RefreshToken: refresh, ExpiresIn: s.opt.AccessTokenTTL}, nil
}

var errBadRefresh = web.Unauthenticated("the refresh token is not valid")

// Refresh spends a refresh token and hands out a new pair in the same
// family. Presenting a token already spent ends its whole family: whoever
// holds the newer token, thief or owner, must sign in again.
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	if token == "" || len(token) > 200 {
		return Session{}, errBadRefresh
	}
	now := s.opt.Now()
	rt, err := s.store.RefreshTokenByHash(ctx, hashToken(token))
	if err != nil {
		if err == errNoRefreshToken {
			return Session{}, errBadRefresh
		}
		return Session{}, err
	}
	if rt.Revoked || !now.Before(rt.FamilyExpiresAt) {
		return Session{}, errBadRefresh
	}
	var sess Session
	reused := false
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		spent, err := s.store.SpendRefreshToken(ctx, rt.ID, now)
		if err != nil {
			return err
		}
		if !spent {
			reused = true
			return nil
		}
		u, err := s.store.UserByID(ctx, rt.UserID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return errBadRefresh
		}
		sess, err = s.issue(ctx, u, rt.FamilyID, rt.FamilyExpiresAt, now)
		return err
	})
	if reused {
		if err := s.store.RevokeFamily(ctx, rt.FamilyID, now); err != nil {
			return Session{}, err
		}
		return Session{}, errBadRefresh
	}
	return sess, err
}

// RefreshTokenLive reports whether token is a stored refresh token that is
// neither spent nor revoked, in a family that has not expired.
func (s *Service) RefreshTokenLive(ctx context.Context, token string) bool {
	if token == "" || len(token) > 200 {
		return false
	}
	rt, err := s.store.RefreshTokenByHash(ctx, hashToken(token))
	return err == nil && !rt.Used && !rt.Revoked && s.opt.Now().Before(rt.FamilyExpiresAt)
}

// Logout ends the refresh-token family of token (when it is the caller's)
// and, with everywhere, every session and access token of the caller.
func (s *Service) Logout(ctx context.Context, p web.Principal, token string, everywhere bool) error {
	now := s.opt.Now()
	if everywhere {
		return s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.store.UpdateUser(ctx, p.UserID, UserChange{BumpTokenVersion: true}, now); err != nil {
				return err
			}
			return s.store.RevokeUserTokens(ctx, p.UserID, now)
		})
	}
	rt, err := s.store.RefreshTokenByHash(ctx, hashToken(token))
	if err == errNoRefreshToken || (err == nil && rt.UserID != p.UserID) {
		return nil // nothing of the caller's to end; logout is idempotent
	}
	if err != nil {
		return err
	}
	return s.store.RevokeFamily(ctx, rt.FamilyID, now)
}

// Authenticate turns an access token into the caller. The token version and
// disabled flag are checked on every request against the cached account,
// which every change to the account drops on every replica (cache.go), so
// that logout everywhere, a password or role change, or disabling cuts
// access at once here and within a second elsewhere.
func (s *Service) Authenticate(ctx context.Context, bearer string) (web.Principal, error) {
	claims, err := s.signer.verify(bearer)
	if err != nil {
		return web.Principal{}, web.Unauthenticated("the access token is not valid")
	}
	u, err := s.cachedUser(ctx, claims.Subject)
	if err != nil {
		if web.IsKind(err, web.KindNotFound) {
			return web.Principal{}, web.Unauthenticated("the access token is not valid")
		}
		return web.Principal{}, err
	}
	if u.Disabled || u.TokenVersion != claims.Version {
		return web.Principal{}, web.Unauthenticated("the access token has been revoked")
	}
	return u.Principal(), nil
}

// AccessTokenFor signs an access token for a user without a password. It
// is for operators' tools (the load tool mints tokens for thousands of
// seeded learners) and is never reachable over HTTP.
func (s *Service) AccessTokenFor(ctx context.Context, userID string) (string, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return "", err
	}
	return s.signer.sign(u, "", s.opt.Now())
}

// Me returns the caller's account.
func (s *Service) Me(ctx context.Context, p web.Principal) (User, error) {
	return s.store.UserByID(ctx, p.UserID)
}

// errWrongCurrentPassword is the answer to a wrong current password.
var errWrongCurrentPassword = web.Forbidden("the current password is wrong")

// ChangePassword replaces the caller's password after checking the current
// one, and ends every other session. The current password is a guess like
// a sign-in: reserved first, limited by the same counters.
func (s *Service) ChangePassword(ctx context.Context, p web.Principal, current, next string) error {
	u, err := s.store.UserByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	if f := CheckPasswordFor("new_password", next, u.Email, u.Name); len(f) > 0 {
		return web.Invalid("the password cannot be changed", f...)
	}
	guess, err := s.reserveGuess(ctx, throttleAccount(u))
	if err != nil {
		return err
	}
	if ok, err := s.hasher.Verify(u.PasswordHash, current); err != nil || !ok {
		return errWrongCurrentPassword
	}
	if err := guess.succeeded(ctx); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	now := s.opt.Now()
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateUser(ctx, u.ID, UserChange{PasswordHash: &hash, BumpTokenVersion: true}, now); err != nil {
			return err
		}
		return s.store.RevokeUserTokens(ctx, u.ID, now)
	})
}

// AdminUpdate changes a user's role or disabled flag; either cuts the
// user's current tokens.
func (s *Service) AdminUpdate(ctx context.Context, p web.Principal, id string, role *web.Role, disabled *bool) (User, error) {
	if role != nil && !role.Valid() {
		return User{}, web.Invalid("the user cannot be changed", roleError("role"))
	}
	if id == p.UserID && ((disabled != nil && *disabled) || (role != nil && *role != web.RoleAdmin)) {
		return User{}, web.DetailOwnAccount.Conflict()
	}
	now := s.opt.Now()
	var out User
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.store.UserByID(ctx, id)
		if err != nil {
			return err
		}
		if role != nil && *role == web.RoleEmployer && u.OrganizationID == "" {
			return web.Invalid("the user cannot be changed", web.RuleEmployerNoOrg.On("role"))
		}
		if err := s.store.UpdateUser(ctx, id, UserChange{Role: role, Disabled: disabled, BumpTokenVersion: true}, now); err != nil {
			return err
		}
		if err := s.store.RevokeUserTokens(ctx, id, now); err != nil {
			return err
		}
		out, err = s.store.UserByID(ctx, id)
		return err
	})
	return out, err
}

// ListUsers pages through accounts.
func (s *Service) ListUsers(ctx context.Context, f UserFilter, p web.Page) (web.List[User], error) {
	users, err := s.store.ListUsers(ctx, f, p)
	if err != nil {
		return web.List[User]{}, err
	}
	return web.NewList(users, p, func(u User) string { return u.ID }), nil
}

// CreateOrganization adds an organization.
func (s *Service) CreateOrganization(ctx context.Context, name string) (Organization, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Organization{}, web.Invalid("the organization cannot be created", web.Required("name"))
	}
	o := Organization{ID: dbx.NewID(), Name: name, CreatedAt: s.opt.Now()}
	return o, s.store.CreateOrganization(ctx, o)
}

// Organization loads one organization.
func (s *Service) Organization(ctx context.Context, id string) (Organization, error) {
	return s.store.OrganizationByID(ctx, id)
}

// ListOrganizations pages through organizations.
func (s *Service) ListOrganizations(ctx context.Context, p web.Page) (web.List[Organization], error) {
	orgs, err := s.store.ListOrganizations(ctx, p)
	if err != nil {
		return web.List[Organization]{}, err
	}
	return web.NewList(orgs, p, func(o Organization) string { return o.ID }), nil
}
