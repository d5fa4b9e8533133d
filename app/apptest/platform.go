package apptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/accounts"
	"skillgate/app/config"
	"skillgate/app/web"
	"skillgate/app/wire"
)

// Clock is a settable test clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Env is a wired platform under test.
type Env struct {
	*wire.Platform
	T     testing.TB
	Clock *Clock
	seq   atomic.Int64
}

// CheapHashing is the argon2id cost of the accounts tests make: 64 KiB and
// one pass instead of 19 MiB and two, so that a test run spends its time on
// what it tests. Sign-in still runs argon2id, and the accounts package's own
// tests check the production cost separately.
var CheapHashing = accounts.HashCost{MemoryKiB: 64, Passes: 1}

// Options change how New builds the platform.
type Options struct {
	Env map[string]string
	// RealClock uses time.Now instead of a settable clock.
	RealClock bool
}

// New wires the whole platform on db.
func New(t testing.TB, db *gorm.DB, opt ...Options) *Env {
	t.Helper()
	var o Options
	if len(opt) > 0 {
		o = opt[0]
	}
	cfg := Config(t, o.Env)
	return NewWithConfig(t, db, cfg, o)
}

// NewWithConfig wires the platform with an explicit configuration.
func NewWithConfig(t testing.TB, db *gorm.DB, cfg config.Config, o Options) *Env {
	t.Helper()
	e := &Env{T: t}
	now := func() time.Time { return time.Now().UTC() }
	if !o.RealClock {
		e.Clock = NewClock(time.Now().Truncate(time.Second))
		now = e.Clock.Now
	}
	p, err := wire.Build(Context(t), cfg, db, Log(), wire.Options{Now: now, PasswordHashCost: CheapHashing})
	if err != nil {
		t.Fatalf("build platform: %v", err)
	}
	e.Platform = p
	return e
}

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test if it cannot.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d %s: %v", r.Status, r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Request is one HTTP call.
type Request struct {
	Method  string
	Path    string
	Token   string
	Body    any // string or []byte is sent as it is, anything else as JSON
	Headers map[string]string
}

// Do sends req through the real Fiber app.
func (e *Env) Do(req Request) Response {
	e.T.Helper()
	return e.do(e.T, req)
}

// do is Do failing t, which may be a subtest of e.T.
func (e *Env) do(t testing.TB, req Request) Response {
	t.Helper()
	var body io.Reader
	ct := "application/json"
	switch b := req.Body.(type) {
	case nil:
	case string:
		body = bytes.NewBufferString(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		body = bytes.NewReader(raw)
	}
	r := httptest.NewRequest(req.Method, req.Path, body)
	if body != nil {
		r.Header.Set("Content-Type", ct)
	}
	if req.Token != "" {
		r.Header.Set("Authorization", "Bearer "+req.Token)
	}
	for k, v := range req.Headers {
		r.Header.Set(k, v)
	}
	resp, err := e.App.Test(r, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.Path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// Call is Do for the common case.
func (e *Env) Call(method, path, token string, body any) Response {
	e.T.Helper()
	return e.Do(Request{Method: method, Path: path, Token: token, Body: body})
}

// User is an account made for a test, with its tokens.
type User struct {
	ID, Email, Password, Name string
	Role                      web.Role
	OrganizationID            string
	Token, Refresh            string
}

// TestPassword is the password of every test account.
const TestPassword = "a long test passphrase 42"

// Learner registers a new learner through the API.
func (e *Env) Learner() User {
	e.T.Helper()
	n := e.seq.Add(1)
	email := "learner" + itoa(n) + "@example.org"
	res := e.Call("POST", "/api/v1/auth/register", "", map[string]any{"email": email, "password": TestPassword, "name": "Learner " + itoa(n)})
	if res.Status != 201 {
		e.T.Fatalf("register: %d %s", res.Status, res.Body)
	}
	var s struct {
		User         struct{ ID string }
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	res.JSON(e.T, &s)
	return User{ID: s.User.ID, Email: email, Password: TestPassword, Name: "Learner " + itoa(n), Role: web.RoleLearner,
		Token: s.AccessToken, Refresh: s.RefreshToken}
}

// UserWithRole creates an account of role through the service (as an admin
// would) and signs it in; employers get an organization of their own
// unless orgID is given.
func (e *Env) UserWithRole(role web.Role, orgID ...string) User {
	e.T.Helper()
	ctx := Context(e.T)
	n := e.seq.Add(1)
	email := string(role) + itoa(n) + "@example.org"
	var org string
	if len(orgID) > 0 {
		org = orgID[0]
	} else if role == web.RoleEmployer {
		o, err := e.Accounts.CreateOrganization(ctx, "Org "+itoa(n))
		if err != nil {
			e.T.Fatalf("organization: %v", err)
		}
		org = o.ID
	}
	u, err := e.Accounts.CreateUser(ctx, accountsNewUser(email, string(role)+" "+itoa(n), role, org))
	if err != nil {
		e.T.Fatalf("create %s: %v", role, err)
	}
	sess, err := e.Accounts.Login(ctx, email, TestPassword)
	if err != nil {
		e.T.Fatalf("login %s: %v", role, err)
	}
	return User{ID: u.ID, Email: email, Password: TestPassword, Name: u.Name, Role: role, OrganizationID: org,
		Token: sess.AccessToken, Refresh: sess.RefreshToken}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// SignIn gives u a fresh access token, for tests that move the clock past
// the tokens' lifetime.
func (e *Env) SignIn(u *User) {
	e.T.Helper()
	sess, err := e.Accounts.Login(Context(e.T), u.Email, u.Password)
	if err != nil {
		e.T.Fatalf("sign in %s: %v", u.Email, err)
	}
	u.Token, u.Refresh = sess.AccessToken, sess.RefreshToken
}
