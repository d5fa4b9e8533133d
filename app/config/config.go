// Package config reads Skillgate's configuration from the environment. It
// keeps no package state: Load returns a value, and every bad variable is
// reported at once.
package config

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Rate is a number of events allowed per window.
type Rate struct {
	Count  int
	Window time.Duration
}

// String formats the rate as it is written in the environment.
func (r Rate) String() string { return fmt.Sprintf("%d/%s", r.Count, r.Window) }

// Config is the whole configuration of one process.
type Config struct {
	Addr        string
	DatabaseURL string
	BaseURL     string
	// BaseURLDerived is true when BaseURL was not set but derived from
	// Addr; the binary says so at start, since certificates carry it.
	BaseURLDerived      bool
	AdminEmail          string
	AdminPassword       string
	Seed                bool
	KeyEncryptionKey    []byte // 32 bytes derived from SKILLGATE_KEY_ENCRYPTION_KEY, nil when unset
	WebhookAllowPrivate bool

	LogLevel        slog.Level
	DBMaxConns      int
	AccessTokenTTL  time.Duration
	RefreshTokenTTL time.Duration
	ShutdownTimeout time.Duration
	// WebIdleTimeout ends a web session left unused; WebSessionMax ends any.
	WebIdleTimeout time.Duration
	WebSessionMax  time.Duration
	TrustedProxies []string
	// PprofAddr, when set, serves the Go profiler there (keep it on loopback).
	PprofAddr string

	// RateAuthPerAddress limits sign-in and registration requests from one
	// client address; a class behind one address must fit in it.
	RateAuthPerAddress Rate
	// RateLoginFailures limits password guesses against one account from
	// one client address: COUNT free, then an exponential back-off.
	RateLoginFailures Rate
	// RateLoginPerAccount is the looser ceiling on guesses against one
	// account from every address together.
	RateLoginPerAccount Rate
	// RateBatchPerOrganization limits batch verifications per organization.
	RateBatchPerOrganization Rate
}

// Var documents one environment variable, for the README and `app help`.
type Var struct {
	Name, Default, Meaning string
}

// Vars lists every variable Load reads.
var Vars = []Var{
	{"SKILLGATE_ADDR", ":8080", "listen address"},
	{"SKILLGATE_DATABASE_URL", "sqlite://./data/skillgate.db", "sqlite://PATH (embedded, pure Go) or postgres://..."},
	{"SKILLGATE_BASE_URL", "http://localhost:8080", "public URL printed in certificates and QR codes"},
	{"SKILLGATE_ADMIN_EMAIL", "", "with SKILLGATE_ADMIN_PASSWORD: creates this admin at start if no admin exists yet"},
	{"SKILLGATE_ADMIN_PASSWORD", "", "password of the bootstrap admin"},
	{"SKILLGATE_SEED", "true", "load the built-in course catalogue and tiers at first start"},
	{"SKILLGATE_KEY_ENCRYPTION_KEY", "", "encrypts signing keys at rest (at least 16 characters; keep it secret and stable)"},
	{"SKILLGATE_WEBHOOK_ALLOW_PRIVATE", "false", "allow webhook URLs on loopback or private addresses (tests)"},
	{"SKILLGATE_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"SKILLGATE_DB_MAX_CONNS", "20", "largest database connection pool (PostgreSQL)"},
	{"SKILLGATE_ACCESS_TOKEN_TTL", "15m", "lifetime of access tokens (at most 1h)"},
	{"SKILLGATE_REFRESH_TOKEN_TTL", "720h", "absolute lifetime of a refresh-token family"},
	{"SKILLGATE_SHUTDOWN_TIMEOUT", "10s", "how long in-flight requests may drain on SIGTERM"},
	{"SKILLGATE_WEB_IDLE_TIMEOUT", "30m", "a web session unused this long ends (shared phones)"},
	{"SKILLGATE_WEB_SESSION_MAX", "12h", "a web session ends this long after sign-in, used or not"},
	{"SKILLGATE_TRUSTED_PROXIES", "", "comma-separated proxy addresses or CIDR networks whose X-Forwarded-For is believed (read from the right)"},
	{"SKILLGATE_PPROF_ADDR", "", "serve the Go profiler on this address (for example 127.0.0.1:6060; keep it on loopback)"},
	{"SKILLGATE_RATE_AUTH_PER_ADDRESS", "600/10m", "sign-in and registration requests per client address"},
	{"SKILLGATE_RATE_LOGIN_FAILURES", "5/15m", "password guesses per account and client address before waits that double; forgotten after a quiet window"},
	{"SKILLGATE_RATE_LOGIN_PER_ACCOUNT", "50/15m", "password guesses per account from all addresses together (an address with no failure may still try)"},
	{"SKILLGATE_RATE_BATCH_PER_ORG", "120/1m", "batch verifications per organization"},
}

// Load reads the configuration through getenv (os.Getenv in main).
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var errs []error
	bad := func(name, why string) { errs = append(errs, fmt.Errorf("%s: %s", name, why)) }

	c := Config{
		PprofAddr:     get("SKILLGATE_PPROF_ADDR"),
		Addr:          get("SKILLGATE_ADDR"),
		DatabaseURL:   get("SKILLGATE_DATABASE_URL"),
		BaseURL:       strings.TrimRight(get("SKILLGATE_BASE_URL"), "/"),
		AdminEmail:    get("SKILLGATE_ADMIN_EMAIL"),
		AdminPassword: getenv("SKILLGATE_ADMIN_PASSWORD"),
	}
	boolean := func(name string) bool {
		b, err := strconv.ParseBool(get(name))
		if err != nil {
			bad(name, "must be true or false")
		}
		return b
	}
	duration := func(name string, lo, hi time.Duration) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err != nil || d < lo || d > hi {
			bad(name, fmt.Sprintf("must be a duration between %s and %s", lo, hi))
		}
		return d
	}
	rate := func(name string) Rate {
		n, w, ok := strings.Cut(get(name), "/")
		count, err1 := strconv.Atoi(n)
		window, err2 := time.ParseDuration(w)
		if !ok || err1 != nil || err2 != nil || count < 1 || window < time.Second {
			bad(name, "must be COUNT/WINDOW, such as 600/10m")
		}
		return Rate{Count: count, Window: window}
	}

	c.Seed = boolean("SKILLGATE_SEED")
	c.WebhookAllowPrivate = boolean("SKILLGATE_WEBHOOK_ALLOW_PRIVATE")
	c.AccessTokenTTL = duration("SKILLGATE_ACCESS_TOKEN_TTL", time.Minute, time.Hour)
	c.RefreshTokenTTL = duration("SKILLGATE_REFRESH_TOKEN_TTL", time.Hour, 365*24*time.Hour)
	c.ShutdownTimeout = duration("SKILLGATE_SHUTDOWN_TIMEOUT", 0, 5*time.Minute)
	c.WebIdleTimeout = duration("SKILLGATE_WEB_IDLE_TIMEOUT", time.Minute, 24*time.Hour)
	c.WebSessionMax = duration("SKILLGATE_WEB_SESSION_MAX", time.Hour, 30*24*time.Hour)
	c.RateAuthPerAddress = rate("SKILLGATE_RATE_AUTH_PER_ADDRESS")
	c.RateLoginFailures = rate("SKILLGATE_RATE_LOGIN_FAILURES")
	c.RateLoginPerAccount = rate("SKILLGATE_RATE_LOGIN_PER_ACCOUNT")
	c.RateBatchPerOrganization = rate("SKILLGATE_RATE_BATCH_PER_ORG")

	if err := c.LogLevel.UnmarshalText([]byte(get("SKILLGATE_LOG_LEVEL"))); err != nil {
		bad("SKILLGATE_LOG_LEVEL", "must be debug, info, warn or error")
	}
	if n, err := strconv.Atoi(get("SKILLGATE_DB_MAX_CONNS")); err != nil || n < 1 || n > 1000 {
		bad("SKILLGATE_DB_MAX_CONNS", "must be a whole number from 1 to 1000")
	} else {
		c.DBMaxConns = n
	}
	if !strings.HasPrefix(c.DatabaseURL, "sqlite://") && !strings.HasPrefix(c.DatabaseURL, "postgres://") &&
		!strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("SKILLGATE_DATABASE_URL", "must start with sqlite:// or postgres://")
	}
	if strings.TrimSpace(getenv("SKILLGATE_BASE_URL")) == "" && strings.TrimSpace(getenv("SKILLGATE_ADDR")) != "" {
		// A listen address without a public URL would sign localhost:8080
		// into certificates and QR codes: follow the address instead.
		c.BaseURL, c.BaseURLDerived = baseURLFor(c.Addr), true
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("SKILLGATE_BASE_URL", "must be an absolute http(s) URL")
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		bad("SKILLGATE_ADMIN_EMAIL", "SKILLGATE_ADMIN_EMAIL and SKILLGATE_ADMIN_PASSWORD go together")
	}
	if k := getenv("SKILLGATE_KEY_ENCRYPTION_KEY"); k != "" {
		if len(k) < 16 {
			bad("SKILLGATE_KEY_ENCRYPTION_KEY", "must be at least 16 characters")
		}
		sum := sha256.Sum256([]byte("skillgate key encryption v1\x00" + k))
		c.KeyEncryptionKey = sum[:]
	}
	if p := get("SKILLGATE_TRUSTED_PROXIES"); p != "" {
		for _, s := range strings.Split(p, ",") {
			if s = strings.TrimSpace(s); s != "" {
				c.TrustedProxies = append(c.TrustedProxies, s)
				if _, err := netip.ParsePrefix(s); err != nil {
					if _, err := netip.ParseAddr(s); err != nil {
						bad("SKILLGATE_TRUSTED_PROXIES", fmt.Sprintf("%q is not an address or CIDR network", s))
					}
				}
			}
		}
	}
	return c, errors.Join(errs...)
}

// baseURLFor is the URL a listen address is reached at from this machine:
// "http://localhost:PORT" for an address on every interface, else
// "http://HOST:PORT".
func baseURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "http://localhost:8080"
	}
	switch host {
	case "", "0.0.0.0", "::", "[::]":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
