package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// privatePostgres is a PostgreSQL server of the test's own, which the test
// may stop and start without disturbing any other test.
type privatePostgres struct {
	bin, dir string
	port     int
	t        *testing.T
}

func newPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but PostgreSQL's server binaries (initdb) are not installed")
		}
		t.Skip("PostgreSQL server binaries not installed")
	}
	dir, err := os.MkdirTemp("", "skillgate-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg := &privatePostgres{bin: filepath.Dir(bins[len(bins)-1]), dir: dir, port: freePort(t), t: t}
	t.Cleanup(func() {
		pg.run("pg_ctl", "-D", pg.dir, "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 { // PostgreSQL refuses to run as root
		if out, err := exec.Command("chown", "-R", "postgres:postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
	}
	pg.must("initdb", "-D", dir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
	pg.start()
	return pg
}

func (pg *privatePostgres) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(pg.bin, name), args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pg.bin, name)}, args...)...)
	}
	return cmd.CombinedOutput()
}

func (pg *privatePostgres) must(name string, args ...string) {
	pg.t.Helper()
	if out, err := pg.run(name, args...); err != nil {
		pg.t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (pg *privatePostgres) start() {
	pg.t.Helper()
	pg.must("pg_ctl", "-D", pg.dir, "-w", "-l", filepath.Join(pg.dir, "server.log"), "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", pg.port, pg.dir), "start")
}

func (pg *privatePostgres) stop() {
	pg.t.Helper()
	pg.must("pg_ctl", "-D", pg.dir, "-m", "fast", "-w", "stop")
}

func (pg *privatePostgres) url() string {
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(pg.port) + "/postgres?sslmode=disable"
}

// submit posts a submission with an Idempotency-Key and returns the
// status, the Retry-After header and the body.
func submit(t *testing.T, r *replica, token, attemptID, questionID, key string) (int, string, []byte) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"answers": []any{map[string]any{"question_id": questionID, "value": "true"}}})
	req, _ := http.NewRequest("POST", r.url+"/api/v1/attempts/"+attemptID+"/submit", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), buf.Bytes()
}

// TestDatabaseStopsDuringSubmissions stops PostgreSQL under a running
// service: submissions get 503 with Retry-After, and retried with the same
// Idempotency-Key once it is back, each attempt is recorded exactly once.
func TestDatabaseStopsDuringSubmissions(t *testing.T) {
	t.Parallel() // its own process and database: runs beside the others
	if testing.Short() {
		t.Skip("runs PostgreSQL and the service")
	}
	pg := newPrivatePostgres(t)
	r := startReplica(t, "SKILLGATE_DATABASE_URL="+pg.url(), "SKILLGATE_SEED=false",
		"SKILLGATE_ADMIN_EMAIL=admin@example.org", "SKILLGATE_ADMIN_PASSWORD=a long admin passphrase")
	r.waitReady(t)
	_, login := r.call(t, "POST", "/api/v1/auth/login", "", map[string]any{"email": "admin@example.org", "password": "a long admin passphrase"})
	admin := str(login, "access_token")
	r.call(t, "POST", "/api/v1/users", admin, map[string]any{"email": "t@example.org", "password": "a trainer passphrase", "name": "T", "role": "trainer"})
	_, tl := r.call(t, "POST", "/api/v1/auth/login", "", map[string]any{"email": "t@example.org", "password": "a trainer passphrase"})
	course := oneQuestionCourse(t, []*replica{r}, str(tl, "access_token"))

	type sitting struct{ token, attempt, question string }
	var sittings []sitting
	for i := 0; i < 4; i++ {
		_, reg := r.call(t, "POST", "/api/v1/auth/register", "", map[string]any{"email": fmt.Sprintf("w%d@example.org", i),
			"password": "a worker passphrase", "name": fmt.Sprint("Worker ", i)})
		tok := str(reg, "access_token")
		a, q := course.start(t, []*replica{r}, tok)
		sittings = append(sittings, sitting{tok, a, q})
	}

	pg.stop()
	for i, s := range sittings {
		st, retry, body := submit(t, r, s.token, s.attempt, s.question, fmt.Sprint("submit-", i))
		if st != 503 || retry == "" {
			t.Fatalf("submit with the database down: %d Retry-After %q %s", st, retry, body)
		}
	}
	if st, _ := r.call(t, "GET", "/readyz", "", nil); st != 503 {
		t.Fatalf("readyz with the database down: %d", st)
	}
	pg.start()
	r.waitReady(t)

	var first [][]byte
	for i, s := range sittings {
		st, _, body := submit(t, r, s.token, s.attempt, s.question, fmt.Sprint("submit-", i))
		if st != 200 || !bytes.Contains(body, []byte(`"status":"graded"`)) {
			t.Fatalf("retry after the database is back: %d %s", st, body)
		}
		first = append(first, body)
	}
	for i, s := range sittings {
		_, _, body := submit(t, r, s.token, s.attempt, s.question, fmt.Sprint("submit-", i))
		if !bytes.Equal(body, first[i]) {
			t.Fatalf("a second retry answered differently:\n%s\n%s", first[i], body)
		}
	}
	db, err := dbx.Open(pg.url(), dbx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dbx.Close(db)
	count := func(q *gorm.DB) int64 {
		var n int64
		if err := q.Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(db.Table("attempts").Where("status = ?", "graded")); n != 4 {
		t.Fatalf("%d graded attempts, want 4", n)
	}
	if n := count(db.Table("attempt_item_scores")); n != 4 {
		t.Fatalf("%d item scores: an attempt was graded twice", n)
	}
	if n := count(db.Table("certificates")); n != 4 {
		t.Fatalf("%d certificates, want 4", n)
	}
}
