package main

import (
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
)

// TestLoadToolSmoke runs the load tool end to end on a tiny data set
// against a real server: a small exam day on every database, then (on
// PostgreSQL, which the seeding needs) every scenario, which must answer
// without errors.
func TestLoadToolSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a server")
	}
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			db, url := apptest.NewDBURL(t, d)
			e := apptest.New(t, db, apptest.Options{RealClock: true, Env: map[string]string{
				"SKILLGATE_RATE_LOGIN_FAILURES": "100000/1m", "SKILLGATE_RATE_LOGIN_PER_ACCOUNT": "100000/1m"}})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go e.App.Listener(ln)
			t.Cleanup(func() { _ = e.App.Shutdown() })
			target := "http://" + ln.Addr().String()
			ctx := apptest.Context(t)

			t.Run("examday", func(t *testing.T) {
				for _, signIn := range []string{"card", "refresh"} {
					// Each day has its own course, class and learners: the
					// two run side by side, as they would on the same server.
					t.Run(signIn, func(t *testing.T) {
						t.Parallel()
						o := examOptions{learners: 20, startWindow: 500 * time.Millisecond, length: 700 * time.Millisecond,
							autosave: 300 * time.Millisecond, rush: 500 * time.Millisecond, signIn: signIn, conns: 8, prepWorkers: 4}
						rep, err := runExamDay(ctx, e.Platform, o, target, os.Getpid(), io.Discard)
						if err != nil {
							t.Fatal(err)
						}
						table := rep.render()
						t.Log("\n" + table)
						for _, k := range []string{"sign-in", "start", "save", "submit"} {
							if s := rep.kinds[k]; len(s.lat) == 0 || s.errors > 0 {
								t.Errorf("%s: %d requests, %d errors\n%s", k, len(s.lat), s.errors, table)
							}
						}
						// Four in five pass: 16 certificates of 20 graded attempts.
						if rep.finished != 20 || rep.graded != 20 || rep.okSubmits != 20 || rep.passed != 16 || rep.certificates != 16 {
							t.Errorf("%d finished, %d graded, %d passed, %d certificates\n%s", rep.finished, rep.graded, rep.passed, rep.certificates, table)
						}
						if !strings.Contains(table, "nothing lost, nothing doubled") || rep.serverCPU <= 0 {
							t.Errorf("table:\n%s", table)
						}
					})
				}
			})
			if d != dbx.Postgres {
				return
			}
			pool, err := pgxpool.New(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()

			o := options{target: target, concurrency: 4, duration: 1500 * time.Millisecond, submitPool: 40,
				sizes: sizes{Learners: 200, EnrollmentsPerLearner: 3, AttemptsPerLearner: 4, Certificates: 150}}
			if err := seed(ctx, e.Platform, pool, o.sizes, io.Discard); err != nil {
				t.Fatal(err)
			}
			var n int64
			pool.QueryRow(ctx, `SELECT count(*) FROM attempts WHERE status = 'graded' AND course_id IN
				(SELECT id FROM courses WHERE slug IN ('digital-literacy-foundations', 'data-confidentiality-essentials', 'annotation-quality-practices'))`).Scan(&n)
			if n != 800 {
				t.Fatalf("%d attempts seeded, want 800", n)
			}
			fx, err := prepare(ctx, e.Platform, pool, o, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			results, err := scenarios(ctx, o, fx, pool)
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 17 {
				t.Fatalf("%d scenarios ran", len(results))
			}
			for _, r := range results {
				// A spent start or submit pool ends its workers without an error.
				if r.Requests == 0 || r.Errors > 0 {
					t.Errorf("%s: %d requests, %d errors, statuses %v", r.Name, r.Requests, r.Errors, r.StatusCounts)
				}
			}
			table := render(o, results)
			t.Log("\n" + table)
			for _, row := range []string{"| verify-by-id |", "| lesson-html |", "| attempt-html |", "| jwks |", "| bare-start |", "| bare-submit |"} {
				if !strings.Contains(table, row) {
					t.Errorf("no row %q in the table:\n%s", row, table)
				}
			}
			if !strings.Contains(table, "| bare-start (bare-pgx-pk-lookup) |") {
				t.Errorf("attempt start is not reported against both baselines:\n%s", table)
			}
		})
	}
}
