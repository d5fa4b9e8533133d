package certs_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/certs"
)

// BenchmarkVerifyByID compares GET /api/v1/verify/{id} (and by code, and
// POST /api/v1/verify with the token) on PostgreSQL with a bare Fiber
// handler doing one primary-key lookup with pgx, through the same
// app.Test harness in the same run: read them as ratios (issue 13 asks
// ≥ 1.0 by id, ≥ 0.5 by token).
func BenchmarkVerifyByID(b *testing.B) {
	if os.Getenv(apptest.EnvDatabaseURL) == "" {
		b.Skip("needs PostgreSQL: set " + apptest.EnvDatabaseURL)
	}
	db, url := apptest.NewDBURL(b, dbx.Postgres)
	e := apptest.New(b, db, apptest.Options{RealClock: true})
	course := e.NewCertificateCourse()
	learner := e.Learner()
	id := course.Earn(learner)
	var cert struct{ Code, Token string }
	e.Call("GET", "/api/v1/certificates/"+id, learner.Token, nil).JSON(b, &cert)
	tokenBody, _ := json.Marshal(map[string]string{"token": cert.Token})

	pool, err := pgxpool.New(apptest.Context(b), url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/verify/:id", func(c *fiber.Ctx) error {
		var r struct {
			ID, Code, HolderName, CourseTitle, CourseSlug string
			Score                                         float64
			Issued, Expires                               time.Time
		}
		err := pool.QueryRow(c.UserContext(), `SELECT id, code, holder_name, course_title, course_slug, score_percent, issued_at, expires_at
			FROM certificates WHERE id = $1`, c.Params("id")).Scan(&r.ID, &r.Code, &r.HolderName, &r.CourseTitle, &r.CourseSlug, &r.Score, &r.Issued, &r.Expires)
		if err != nil {
			return err
		}
		return c.JSON(r)
	})
	b.Run("verify-by-id", func(b *testing.B) { benchGet(b, e.App, "/api/v1/verify/"+id) })
	b.Run("verify-by-code", func(b *testing.B) { benchGet(b, e.App, "/api/v1/verify/"+cert.Code) })
	b.Run("verify-by-token", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest("POST", "/api/v1/verify", bytes.NewReader(tokenBody))
			req.Header.Set("Content-Type", "application/json")
			benchDo(b, e.App, req)
		}
	})
	b.Run("bare-pgx-pk-lookup", func(b *testing.B) { benchGet(b, bare, "/verify/"+id) })
}

// BenchmarkJWKS compares GET /.well-known/jwks.json, with a retired key
// whose certificates are still valid (so the set depends on the
// certificates), with a bare Fiber handler sending the same bytes
// (issue 13 asks ≥ 0.8).
func BenchmarkJWKS(b *testing.B) {
	d := dbx.SQLite
	if os.Getenv(apptest.EnvDatabaseURL) != "" {
		d = dbx.Postgres
	}
	e := apptest.New(b, apptest.NewDB(b, d), apptest.Options{RealClock: true})
	course := e.NewCertificateCourse()
	course.Earn(e.Learner())
	if _, err := e.Certs.RotateKey(apptest.Context(b)); err != nil {
		b.Fatal(err)
	}
	course.Earn(e.Learner())
	body := e.Call("GET", "/.well-known/jwks.json", "", nil).Body
	if keys, err := certs.ParseJWKS(body); err != nil || len(keys) < 3 {
		b.Fatalf("JWKS: %v %s", err, body)
	}
	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/jwks", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		c.Set(fiber.HeaderContentType, "application/jwk-set+json")
		return c.Send(body)
	})
	b.Run("jwks", func(b *testing.B) { benchGet(b, e.App, "/.well-known/jwks.json") })
	b.Run("bare-fiber-same-body", func(b *testing.B) { benchGet(b, bare, "/jwks") })
}

func benchGet(b *testing.B, app *fiber.App, path string) {
	b.ReportAllocs()
	for b.Loop() {
		benchDo(b, app, httptest.NewRequest("GET", path, nil))
	}
}

func benchDo(b *testing.B, app *fiber.App, req *http.Request) {
	resp, err := app.Test(req, -1)
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("%s %s: %v %v", req.Method, req.URL, err, resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// BenchmarkVerifyTokenOffline is one core checking a token with the keys
// alone (signature, shape, dates): tokens per second per core = 1e9/ns.
func BenchmarkVerifyTokenOffline(b *testing.B) {
	e := apptest.New(b, apptest.NewDB(b, dbx.SQLite), apptest.Options{RealClock: true})
	course := e.NewCertificateCourse()
	learner := e.Learner()
	id := course.Earn(learner)
	var c struct{ Token string }
	e.Call("GET", "/api/v1/certificates/"+id, learner.Token, nil).JSON(b, &c)
	jwks := e.Call("GET", "/.well-known/jwks.json", "", nil).Body
	keys, err := certs.ParseJWKS(jwks)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, reason := certs.VerifyToken(c.Token, keys, now); reason != "" {
			b.Fatal(reason)
		}
	}
}
