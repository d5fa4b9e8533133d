// Package server builds the Fiber application: middleware, the operations
// endpoints, every domain's routes and the one problem+json error handler.
package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/valyala/fasthttp"

	"skillgate/app/config"
	"skillgate/app/dbx"
	"skillgate/app/idempotency"
	"skillgate/app/web"
)

// BodyLimit is the largest request body, except on import routes.
const BodyLimit = 1 << 20

// ImportBodyLimit is the largest body of an import (GIFT banks, packs).
const ImportBodyLimit = 8 << 20

// importRoutes are the routes allowed bodies up to ImportBodyLimit (each
// enforces a limit of its own below it). They are named one by one: a
// suffix rule let any path ending in /import send 8 MiB.
var importRoutes = []*regexp.Regexp{
	regexp.MustCompile(`^/api/v1/courses/[^/]+/questions/import$`),
	regexp.MustCompile(`^/staff/packs$`),              // a trainer's course pack (zip)
	regexp.MustCompile(`^/staff/courses/[^/]+/gift$`), // a GIFT file on the course page
}

// isImportRoute reports whether a POST to path may carry an import body.
// Fiber routes ignore letter case and a trailing slash, so the match does
// too.
func isImportRoute(method, path string) bool {
	if method != fiber.MethodPost {
		return false
	}
	p := strings.ToLower(strings.TrimRight(path, "/"))
	for _, re := range importRoutes {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

// Mounter is a domain's HTTP edge.
type Mounter interface {
	Mount(api fiber.Router, g web.Guard)
}

// RootMounter is a domain edge that also serves routes outside /api/v1
// (pages, well-known documents).
type RootMounter interface {
	MountRoot(root fiber.Router)
}

// Deps are what the server needs from the composition root.
type Deps struct {
	// Ready reports whether the database answers, for /readyz.
	Ready func(ctx context.Context) error
	// Idempotency keeps the answers to POSTs sent with an Idempotency-Key.
	Idempotency *idempotency.Store
	Log         *slog.Logger
	Auth        web.Authenticator
	Domains     []Mounter
	Now         func() time.Time
	// SessionLive reports whether a refresh token is unspent and
	// unrevoked: a stored sign-in answer is replayed only then.
	SessionLive func(ctx context.Context, refreshToken string) bool
	// Pool, when set, is the database connection pool whose statistics
	// /metrics exports (go_sql_*: open and idle connections, and how many
	// requests waited for one and for how long).
	Pool *sql.DB
}

// New returns the application with every route registered.
func New(cfg config.Config, d Deps) *fiber.App {
	if d.Now == nil {
		d.Now = func() time.Time { return time.Now().UTC() }
	}
	fcfg := fiber.Config{
		AppName:               "skillgate",
		BodyLimit:             ImportBodyLimit,
		ReadBufferSize:        16 << 10,
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(d.Log),
		JSONEncoder:           web.MarshalJSON,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
	}
	app := fiber.New(fcfg)
	metrics := newMetrics(d.Pool)
	app.Server().Handler = unknownMethods(app.Server().Handler, strings.HasPrefix(cfg.BaseURL, "https://"), metrics)
	proxies, _ := web.ParseProxies(cfg.TrustedProxies) // config.Load has refused bad entries

	// The access log sits outside the recoverer so that a panic is logged
	// and counted like any other 500.
	app.Use(requestID)
	app.Use(web.ClientIPMiddleware(proxies))
	app.Use(accessLog(d.Log, metrics))
	app.Use(recoverer(d.Log))
	app.Use(securityHeaders(strings.HasPrefix(cfg.BaseURL, "https://")))
	app.Use(cors.New(cors.Config{AllowOrigins: "*", AllowHeaders: "Authorization, Content-Type, Idempotency-Key, If-None-Match",
		ExposeHeaders: "ETag, Retry-After, X-Request-ID"}))
	// Best speed: the answers are small JSON, and a profile under load
	// showed the default level costing a quarter of a catalogue request.
	app.Use(compressLarge(web.MinCompressSize))
	app.Use(bodyLimit)

	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(statusResponse{Status: "ok"}) })
	app.Get("/readyz", readyz(d.Ready))
	app.Get("/metrics", metrics.handler())
	app.Get("/openapi.json", openAPIHandler(cfg.BaseURL))

	guard := web.Guard{Auth: d.Auth}
	api := app.Group("/api/v1", idempotency.Middleware(d.Idempotency, idempotency.Options{Now: d.Now, Guard: guard, SessionLive: d.SessionLive}))
	for _, m := range d.Domains {
		m.Mount(api, guard)
		if rm, ok := m.(RootMounter); ok {
			rm.MountRoot(app)
		}
	}
	return app
}

// compressLarge compresses answers of at least min bytes (brotli or gzip
// at the best speed, as the client accepts), leaving a body that already
// has a Content-Encoding (a cached, precompressed answer) alone.
func compressLarge(min int) fiber.Handler {
	compressor := fasthttp.CompressHandlerBrotliLevel(func(*fasthttp.RequestCtx) {},
		fasthttp.CompressBrotliBestSpeed, fasthttp.CompressBestSpeed)
	return func(c *fiber.Ctx) error {
		if err := c.Next(); err != nil {
			return err
		}
		if !c.Response().IsBodyStream() && len(c.Response().Body()) < min {
			return nil
		}
		compressor(c.Context())
		return nil
	}
}

// bodyLimit caps bodies at 1 MiB except on import routes, whose own limit
// is enforced by the server. Compressed request bodies are refused before
// anything reads them: Fiber would inflate them in memory without a cap,
// so a small gzip body could take gigabytes.
func bodyLimit(c *fiber.Ctx) error {
	if enc := c.Get(fiber.HeaderContentEncoding); enc != "" && !strings.EqualFold(enc, "identity") {
		return &web.Error{Kind: web.KindUnsupportedMediaType, Message: "compressed request bodies are not accepted; send the body uncompressed"}
	}
	if len(c.Request().Body()) > BodyLimit && !isImportRoute(c.Method(), c.Path()) {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}

// wwwAuthenticate is the challenge of a 401 (RFC 6750): plain "Bearer"
// when no token was sent, with error="invalid_token" when one was.
func wwwAuthenticate(c *fiber.Ctx) string {
	if len(c.Request().Header.Peek(fiber.HeaderAuthorization)) > 0 {
		return `Bearer realm="skillgate", error="invalid_token"`
	}
	return `Bearer realm="skillgate"`
}

// knownMethods are the methods Fiber routes (its defaults).
var knownMethods = fiber.DefaultMethods

// unknownMethods wraps the server's handler so that a method Fiber does
// not route at all (PROPFIND, a made-up one) is answered like any other
// error, as a 501 problem with the security headers, and counted in the
// metrics, where Fiber would send a plain-text 400 nobody sees. The metric
// label is "OTHER": a client must not be able to mint label values.
func unknownMethods(next fasthttp.RequestHandler, https bool, m *metrics) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		if slices.Contains(knownMethods, string(ctx.Method())) {
			next(ctx)
			return
		}
		start := time.Now()
		body, _ := web.ProblemForStatus(fiber.StatusNotImplemented, "this method is not implemented").MarshalJSON()
		h := &ctx.Response.Header
		setSecurityHeaders(h, https)
		h.Set(fiber.HeaderCacheControl, "no-store")
		h.Set(fiber.HeaderAllow, strings.Join(knownMethods, ", "))
		ctx.SetStatusCode(fiber.StatusNotImplemented)
		ctx.SetContentType("application/problem+json")
		ctx.SetBody(body)
		m.observe("OTHER", "unmatched", fiber.StatusNotImplemented, time.Since(start))
	}
}

func readyz(ready func(ctx context.Context) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			return web.Unavailable("the database does not answer")
		}
		return c.JSON(statusResponse{Status: "ready"})
	}
}

// statusResponse is the body of the health endpoints.
type statusResponse struct {
	Status string `json:"status"`
}

const requestIDKey = "skillgate.request_id"

// requestID takes a sane incoming X-Request-ID or makes one.
func requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if id == "" || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool { return r < '!' || r > '~' }) {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	} else {
		id = strings.Clone(id)
	}
	c.Locals(requestIDKey, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}

func securityHeaders(https bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		setSecurityHeaders(&c.Response().Header, https)
		return c.Next()
	}
}

func setSecurityHeaders(h *fasthttp.ResponseHeader, https bool) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	if https {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

// accessLog writes one line per request and records its metrics.
func accessLog(log *slog.Logger, m *metrics) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		err := c.Next()
		if err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		elapsed := time.Since(start)
		status := c.Response().StatusCode()
		route := c.Route().Path
		if status == fiber.StatusNotFound && (route == "/" || route == "") {
			route = "unmatched"
		}
		// Fiber reuses the bytes behind c.Method(); metric labels outlive the request.
		m.observe(strings.Clone(c.Method()), route, status, elapsed)
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.LogAttrs(c.UserContext(), level, "request",
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", c.Method()),
			slog.String("route", route),
			slog.String("path", c.Path()),
			slog.Int("status", status),
			slog.Duration("elapsed", elapsed),
			slog.String("ip", web.ClientIP(c)),
		)
		return nil
	}
}

// recoverer turns a panic into a 500 problem and logs the stack.
func recoverer(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", "request_id", requestIDOf(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = errors.New("panic")
			}
		}()
		return c.Next()
	}
}

// errorHandler renders every error as problem+json: domain kinds map to
// their status, Fiber's errors keep theirs, an unreachable database is 503,
// anything else is a 500 whose cause is logged, never shown.
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var p web.Problem
		var retryAfter time.Duration
		var fe *fiber.Error
		if e, ok := web.AsError(err); ok {
			p = web.ProblemFor(e)
			retryAfter = e.RetryAfter
			if e.Kind == web.KindInternal {
				log.Error("internal error", "request_id", requestIDOf(c), "err", err)
			}
		} else if errors.As(err, &fe) {
			detail := fe.Message
			switch fe.Code {
			case fiber.StatusNotFound:
				detail = "no such route"
			case fiber.StatusMethodNotAllowed:
				detail = "this method is not allowed on this route"
			case fiber.StatusRequestEntityTooLarge:
				detail = "the request body is too large (limit 1 MiB)"
			case fiber.StatusNotImplemented:
				detail = "this method is not implemented"
			}
			p = web.ProblemForStatus(fe.Code, detail)
		} else if dbx.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
			log.Warn("dependency unavailable", "request_id", requestIDOf(c), "err", err)
			p = web.ProblemForStatus(fiber.StatusServiceUnavailable, "a dependency is unavailable; retry shortly")
			retryAfter = 5 * time.Second
		} else {
			log.Error("internal error", "request_id", requestIDOf(c), "err", err)
			p = web.ProblemForStatus(fiber.StatusInternalServerError, "an internal error occurred; it has been logged")
		}
		if p.Extra == nil {
			p.Extra = map[string]any{}
		}
		if id := requestIDOf(c); id != "" {
			p.Extra["request_id"] = id
		}
		if retryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int((retryAfter+time.Second-1)/time.Second)))
		}
		if p.Status == fiber.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, wwwAuthenticate(c))
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Status(p.Status)
		body, jerr := p.MarshalJSON()
		if jerr != nil {
			return jerr
		}
		c.Set(fiber.HeaderContentType, "application/problem+json")
		return c.Send(body)
	}
}
