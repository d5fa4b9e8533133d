package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/web"
)

// TestOfflineVerifyCLI runs `verify` and `keys export` as a person would:
// export the keys and status lists, then check a token with files only.
func TestOfflineVerifyCLI(t *testing.T) {
	t.Parallel() // its own database: runs beside the others
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite), apptest.Options{RealClock: true})
	course := e.NewCertificateCourse()
	learner := e.Learner()
	id := course.Earn(learner)
	var cert struct{ Token string }
	e.Call("GET", "/api/v1/certificates/"+id, learner.Token, nil).JSON(t, &cert)

	dir := t.TempDir()
	var out strings.Builder
	if err := exportKeys(apptest.Context(t), e.Certs, dir, &out); err != nil {
		t.Fatal(err)
	}
	lists, _ := filepath.Glob(filepath.Join(dir, "status-lists", "*.jwt"))
	if len(lists) != 1 || !strings.Contains(out.String(), "[1/1]") {
		t.Fatalf("export: %v %s", lists, out.String())
	}
	tokenFile := filepath.Join(dir, "token.txt")
	os.WriteFile(tokenFile, []byte(cert.Token+"\n"), 0o600)
	jwks := filepath.Join(dir, "jwks.json")

	run := func(args ...string) (int, string) {
		var stdout, stderr strings.Builder
		code := run(append([]string{"verify"}, args...), func(string) string { return "" }, &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	// Without a status list a valid signature is not "VALID": a revoked
	// certificate would look the same. Exit 3 unless told --no-status.
	if code, msg := run(cert.Token, "--jwks", jwks); code != 3 || !strings.Contains(msg, "signature valid, revocation not checked") ||
		strings.Contains(msg, "\nVALID") {
		t.Fatalf("token, no list: %d %s", code, msg)
	}
	if code, msg := run(cert.Token, "--jwks", jwks, "--no-status"); code != 0 || !strings.Contains(msg, "VALID") || !strings.Contains(msg, "revocation not checked") {
		t.Fatalf("token, --no-status: %d %s", code, msg)
	}
	if code, msg := run("@"+tokenFile, "--jwks", jwks, "--status-list", lists[0]); code != 0 || !strings.Contains(msg, "revocation status check out") {
		t.Fatalf("@file with list: %d %s", code, msg)
	}
	tampered := cert.Token[:len(cert.Token)-3] + "AAA"
	if code, msg := run(tampered, "--jwks", jwks); code != 1 || !strings.Contains(msg, "bad_signature") {
		t.Fatalf("tampered: %d %s", code, msg)
	}
	if code, _ := run(cert.Token); code != 2 {
		t.Fatalf("no --jwks: %d", code)
	}

	admin := e.UserWithRole(web.RoleAdmin)
	e.Call("POST", "/api/v1/certificates/"+id+"/revoke", admin.Token, map[string]any{"reason": "test"})
	if err := exportKeys(apptest.Context(t), e.Certs, dir, &out); err != nil {
		t.Fatal(err)
	}
	if code, msg := run(cert.Token, "--jwks", jwks, "--status-list", lists[0]); code != 1 || !strings.Contains(msg, "revoked") {
		t.Fatalf("revoked: %d %s", code, msg)
	}
	if code, msg := run(cert.Token, "--jwks", jwks); code != 3 {
		t.Fatalf("revoked, no list: %d %s", code, msg)
	}
}
