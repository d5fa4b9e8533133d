package main

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
)

// TestLoadToolSmoke runs the load tool end to end on a tiny data set
// against a real server: every scenario must answer without errors.
func TestLoadToolSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a server")
	}
	dialects := apptest.Dialects(t)
	if len(dialects) < 2 {
		t.Skip("the load tool needs PostgreSQL: set " + apptest.EnvDatabaseURL)
	}
	db, url := apptest.NewDBURL(t, dbx.Postgres)
	e := apptest.New(t, db, apptest.Options{RealClock: true, Env: map[string]string{
		"SKILLGATE_RATE_LOGIN_FAILURES": "100000/1m"}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.App.Listener(ln)
	t.Cleanup(func() { _ = e.App.Shutdown() })
	ctx := apptest.Context(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	o := options{target: "http://" + ln.Addr().String(), concurrency: 4, duration: 1500 * time.Millisecond, submitPool: 40,
		sizes: sizes{Learners: 200, EnrollmentsPerLearner: 3, AttemptsPerLearner: 4, Certificates: 150}}
	if err := seed(ctx, e.Platform, pool, o.sizes, io.Discard); err != nil {
		t.Fatal(err)
	}
	var n int64
	pool.QueryRow(ctx, `SELECT count(*) FROM attempts`).Scan(&n)
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
	if len(results) != 11 {
		t.Fatalf("%d scenarios ran", len(results))
	}
	for _, r := range results {
		// The start and submit pools may run out in a scenario; those are
		// the tool's errors, not the server's.
		if r.Requests == 0 || (r.Errors > 0 && !strings.HasPrefix(r.Name, "attempt-")) {
			t.Errorf("%s: %d requests, %d errors, statuses %v", r.Name, r.Requests, r.Errors, r.StatusCounts)
		}
	}
	if table := render(o, results); !strings.Contains(table, "| verify-by-id |") {
		t.Fatalf("table: %s", table)
	}
}
