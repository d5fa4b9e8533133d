package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/wire"
	"skillgate/courses"
	"skillgate/courses/packs"
)

// asService is set in the environment of the processes the tests start:
// the test binary then runs the service's main instead of the tests, so the
// tests exercise the real binary's code without a separate go build.
const asService = "SKILLGATE_TEST_RUN_AS_SERVICE"

func TestMain(m *testing.M) {
	if os.Getenv(asService) == "1" {
		main()
		os.Exit(0)
	}
	// Every process a test starts inherits it; none but the service reads it.
	os.Setenv(asService, "1")
	os.Exit(m.Run())
}

// binary is the program the tests start as the service: this test binary,
// told by its environment to run main (see TestMain).
func binary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// replica is one running process of the service.
type replica struct {
	url  string
	cmd  *exec.Cmd
	done chan error
	log  *bytes.Buffer
}

func startReplica(t *testing.T, env ...string) *replica {
	t.Helper()
	port := freePort(t)
	r := &replica{url: "http://127.0.0.1:" + strconv.Itoa(port), done: make(chan error, 1), log: &bytes.Buffer{}}
	r.cmd = exec.Command(binary(t))
	r.cmd.Dir = t.TempDir()
	r.cmd.Env = append(os.Environ(), append(env, "SKILLGATE_ADDR=127.0.0.1:"+strconv.Itoa(port), "SKILLGATE_LOG_LEVEL=warn")...)
	r.cmd.Stderr = r.log
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() {
		_ = r.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("replica %s log:\n%s", r.url, r.log.String())
		}
	})
	return r
}

func (r *replica) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(r.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case err := <-r.done:
			t.Fatalf("replica exited: %v\n%s", err, r.log.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("replica %s not ready in 60 s", r.url)
}

// call sends JSON (or text when body is a string) and decodes the answer.
func (r *replica) call(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "text/plain"
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, r.url+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// TestTwoReplicasOnOnePostgres runs two processes of the service on one
// PostgreSQL database: they migrate at once, and nothing a request needs
// lives in only one of them.
func TestTwoReplicasOnOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	if !containsDialect(apptest.Dialects(t), dbx.Postgres) {
		t.Skip("needs PostgreSQL: set " + apptest.EnvDatabaseURL)
	}
	db, url := apptest.NewDBURL(t, dbx.Postgres)
	env := []string{"SKILLGATE_DATABASE_URL=" + url, "SKILLGATE_SEED=false", "SKILLGATE_BASE_URL=http://skillgate.test",
		"SKILLGATE_ADMIN_EMAIL=admin@example.org", "SKILLGATE_ADMIN_PASSWORD=a long admin passphrase",
		"SKILLGATE_RATE_LOGIN_FAILURES=3/15m", "SKILLGATE_KEY_ENCRYPTION_KEY=replica test key encryption key"}
	a, b := startReplica(t, env...), startReplica(t, env...)
	a.waitReady(t)
	b.waitReady(t)

	ids, err := dbx.Applied(context.Background(), db)
	if err != nil || len(ids) != len(wire.Migrations()) {
		t.Fatalf("migrations applied %d times for %d migrations: %v", len(ids), len(wire.Migrations()), err)
	}
	var keys int64
	db.Table("signing_keys").Count(&keys)
	if keys != 1 {
		t.Fatalf("%d signing keys after two first starts, want 1", keys)
	}

	login := func(r *replica, email, pw string) map[string]any {
		st, m := r.call(t, "POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": pw})
		if st != 200 {
			t.Fatalf("login %s on %s: %d %v", email, r.url, st, m)
		}
		return m
	}
	admin := str(login(a, "admin@example.org", "a long admin passphrase"), "access_token")
	// A token made on one replica works on the other.
	if st, _ := b.call(t, "GET", "/api/v1/me", admin, nil); st != 200 {
		t.Fatalf("A's token on B: %d", st)
	}
	b.call(t, "POST", "/api/v1/users", admin, map[string]any{"email": "t@example.org", "password": "a trainer passphrase", "name": "T", "role": "trainer"})
	trainer := str(login(a, "t@example.org", "a trainer passphrase"), "access_token")
	course := oneQuestionCourse(t, []*replica{a, b}, trainer)
	_, reg := a.call(t, "POST", "/api/v1/auth/register", "", map[string]any{"email": "w@example.org", "password": "a worker passphrase", "name": "Worker"})
	learner := str(reg, "access_token")
	attemptID, questionID := course.start(t, []*replica{b, a, b}, learner)
	st, g := a.call(t, "POST", "/api/v1/attempts/"+attemptID+"/submit", learner,
		map[string]any{"answers": []any{map[string]any{"question_id": questionID, "value": "true"}}})
	certID := str(g, "certificate_id")
	if st != 200 || certID == "" {
		t.Fatalf("submit on A: %d %v", st, g)
	}

	// Issued on A, valid on B, by id and by token.
	if _, v := b.call(t, "GET", "/api/v1/verify/"+certID, "", nil); v["valid"] != true {
		t.Fatalf("verify on B: %v", v)
	}
	_, cert := a.call(t, "GET", "/api/v1/certificates/"+certID, learner, nil)
	if _, v := b.call(t, "POST", "/api/v1/verify", "", map[string]any{"token": cert["token"]}); v["valid"] != true {
		t.Fatalf("token on B: %v", v)
	}
	// Revoked on B, revoked on A at once.
	if st, _ := b.call(t, "POST", "/api/v1/certificates/"+certID+"/revoke", admin, map[string]any{"reason": "replica test"}); st != 200 {
		t.Fatalf("revoke on B: %d", st)
	}
	if _, v := a.call(t, "GET", "/api/v1/verify/"+certID, "", nil); v["status"] != "revoked" {
		t.Fatalf("A after B revoked: %v", v)
	}

	// A refresh token spent on A is refused on B.
	refresh := str(reg, "refresh_token")
	if st, _ := a.call(t, "POST", "/api/v1/auth/refresh", "", map[string]any{"refresh_token": refresh}); st != 200 {
		t.Fatalf("refresh on A: %d", st)
	}
	if st, _ := b.call(t, "POST", "/api/v1/auth/refresh", "", map[string]any{"refresh_token": refresh}); st != 401 {
		t.Fatalf("spent refresh token on B: %d", st)
	}

	// Failed sign-ins count across both replicas (3 per account).
	for i, r := range []*replica{a, b, a} {
		if st, _ := r.call(t, "POST", "/api/v1/auth/login", "", map[string]any{"email": "w@example.org", "password": "wrong wrong wrong"}); st != 401 {
			t.Fatalf("failure %d: %d", i, st)
		}
	}
	if st, _ := b.call(t, "POST", "/api/v1/auth/login", "", map[string]any{"email": "w@example.org", "password": "a worker passphrase"}); st != 429 {
		t.Fatalf("fourth sign-in across replicas: %d, want 429", st)
	}
}

func containsDialect(list []dbx.Dialect, d dbx.Dialect) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}

// testCourse is a published course with one lesson and a final of one
// true/false question whose answer is "true".
type testCourse struct{ id, lesson, final string }

// oneQuestionCourse authors it through the API, spreading the calls over
// the replicas given.
func oneQuestionCourse(t *testing.T, rs []*replica, trainer string) testCourse {
	t.Helper()
	r := func(i int) *replica { return rs[i%len(rs)] }
	_, c := r(0).call(t, "POST", "/api/v1/courses", trainer, map[string]any{"slug": "one-question", "title": "One question", "language": "en"})
	_, m := r(1).call(t, "POST", "/api/v1/courses/"+str(c, "id")+"/modules", trainer, map[string]any{"title": "M"})
	_, l := r(2).call(t, "POST", "/api/v1/modules/"+str(m, "id")+"/lessons", trainer, map[string]any{"title": "L", "body_markdown": "x"})
	r(3).call(t, "POST", "/api/v1/courses/"+str(c, "id")+"/questions/import", trainer, "::Q:: Replicas share one database. {TRUE}\n")
	_, fin := r(4).call(t, "POST", "/api/v1/courses/"+str(c, "id")+"/assessments", trainer, map[string]any{"title": "F", "kind": "final",
		"question_count": 1, "time_limit_seconds": 600, "pass_percent": 50, "max_attempts": 1})
	if st, pub := r(5).call(t, "POST", "/api/v1/courses/"+str(c, "id")+"/publish", trainer, nil); st != 200 {
		t.Fatalf("publish: %d %v", st, pub)
	}
	return testCourse{id: str(c, "id"), lesson: str(l, "id"), final: str(fin, "id")}
}

// start enrolls the learner, completes the lesson and starts the final,
// returning the attempt and its one question.
func (c testCourse) start(t *testing.T, rs []*replica, learner string) (string, string) {
	t.Helper()
	rs[0].call(t, "POST", "/api/v1/courses/"+c.id+"/enrollments", learner, nil)
	rs[1%len(rs)].call(t, "POST", "/api/v1/lessons/"+c.lesson+"/complete", learner, nil)
	st, at := rs[2%len(rs)].call(t, "POST", "/api/v1/assessments/"+c.final+"/attempts", learner, nil)
	if st != 201 {
		t.Fatalf("start: %d %v", st, at)
	}
	q := at["questions"].([]any)[0].(map[string]any)
	return str(at, "id"), str(q, "id")
}

// TestReplicasSeedAnEmptyDatabaseTogether starts three replicas at once on
// an empty database with the built-in catalogue to load: all come up, and
// every course and tier exists once.
func TestReplicasSeedAnEmptyDatabaseTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	if !containsDialect(apptest.Dialects(t), dbx.Postgres) {
		t.Skip("needs PostgreSQL: set " + apptest.EnvDatabaseURL)
	}
	db, url := apptest.NewDBURL(t, dbx.Postgres)
	var rs []*replica
	for i := 0; i < 3; i++ {
		rs = append(rs, startReplica(t, "SKILLGATE_DATABASE_URL="+url, "SKILLGATE_SEED=true"))
	}
	for _, r := range rs {
		r.waitReady(t)
	}
	var courseCount, tiers, versions int64
	db.Table("courses").Count(&courseCount)
	db.Table("tiers").Count(&tiers)
	db.Table("course_versions").Count(&versions)
	builtIn, err := courses.ReadPacks(packs.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	if n := int64(len(builtIn)); courseCount != n || tiers != 3 || versions != n {
		t.Fatalf("%d courses, %d tiers, %d versions after three seeds, want %d, 3, %d", courseCount, tiers, versions, n, n)
	}
}
