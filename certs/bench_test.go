package certs_test

import (
	"io"
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

// BenchmarkVerifyByID compares GET /api/v1/verify/{id} on PostgreSQL with
// a bare Fiber handler doing one primary-key lookup with pgx, through the
// same app.Test harness in the same run: read them as a ratio.
func BenchmarkVerifyByID(b *testing.B) {
	if os.Getenv(apptest.EnvDatabaseURL) == "" {
		b.Skip("needs PostgreSQL: set " + apptest.EnvDatabaseURL)
	}
	db, url := apptest.NewDBURL(b, dbx.Postgres)
	e := apptest.New(b, db, apptest.Options{RealClock: true})
	course := e.NewCertificateCourse()
	id := course.Earn(e.Learner())

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
	run := func(b *testing.B, app *fiber.App, path string) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("%v %v", err, resp.StatusCode)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.Run("verify-by-id", func(b *testing.B) { run(b, e.App, "/api/v1/verify/"+id) })
	b.Run("bare-pgx-pk-lookup", func(b *testing.B) { run(b, bare, "/verify/"+id) })
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
