package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

var linkRe = regexp.MustCompile(`http://skillgate\.test/card/([0-9A-Z]+)\n`)

// TestUsersCommand makes the first accounts from the command line and
// signs in with the links it prints.
func TestUsersCommand(t *testing.T) {
	t.Parallel() // its own database: runs beside the others
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			db, url := apptest.NewDBURL(t, d)
			env := map[string]string{"SKILLGATE_DATABASE_URL": url, "SKILLGATE_BASE_URL": "http://skillgate.test", "SKILLGATE_SEED": "false"}
			getenv := func(k string) string { return env[k] }
			cli := func(args ...string) (int, string, string) {
				var out, errOut bytes.Buffer
				code := run(args, getenv, &out, &errOut)
				return code, out.String(), errOut.String()
			}
			e := apptest.New(t, db)
			ctx := apptest.Context(t)

			for _, bad := range [][]string{
				{"users"},
				{"users", "add", "--email", "t@example.org"},
				{"users", "add", "--role", "learner", "--email", "t@example.org"},
				{"users", "add", "--role", "employer", "--email", "e@example.org"},
				{"users", "add", "--role", "trainer"},
				{"users", "add", "--role", "trainer", "--email", "t@example.org", "extra"},
			} {
				if code, _, _ := cli(bad...); code != 2 {
					t.Errorf("%v: exit %d, want 2", bad, code)
				}
			}
			if code, _, errOut := cli("users", "add", "--role", "trainer", "--email", "not an email"); code != 1 || !strings.Contains(errOut, "email must be an email address") {
				t.Errorf("bad email: %d %s", code, errOut)
			}

			code, out, errOut := cli("users", "add", "--role", "trainer", "--email", "Asha@Example.org", "--name", "Asha Rao")
			m := linkRe.FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("add trainer: %d %q %s", code, out, errOut)
			}
			sess, err := e.Accounts.CardSignIn(ctx, m[1])
			if err != nil || sess.User.Role != web.RoleTrainer || sess.User.Name != "Asha Rao" {
				t.Fatalf("sign in with the link: %v %+v", err, sess.User)
			}
			if _, err := e.Accounts.CardSignIn(ctx, m[1]); err == nil {
				t.Error("the link worked twice")
			}
			if code, _, errOut := cli("users", "add", "--role", "admin", "--email", "asha@example.org"); code != 1 || !strings.Contains(errOut, "users reset") {
				t.Errorf("the same email again: %d %s", code, errOut)
			}

			// Employers: the organization is made once and then shared.
			var orgs []string
			for _, email := range []string{"hr@acme.example", "ops@acme.example"} {
				code, out, errOut := cli("users", "add", "--role", "employer", "--email", email, "--organization", "Acme Data")
				m := linkRe.FindStringSubmatch(out)
				if code != 0 || m == nil {
					t.Fatalf("add employer: %d %q %s", code, out, errOut)
				}
				sess, err := e.Accounts.CardSignIn(ctx, m[1])
				if err != nil || sess.User.Role != web.RoleEmployer || sess.User.OrganizationID == "" {
					t.Fatalf("employer: %v %+v", err, sess.User)
				}
				orgs = append(orgs, sess.User.OrganizationID)
			}
			if orgs[0] != orgs[1] {
				t.Errorf("two organizations named alike: %v", orgs)
			}

			// A reset prints a new link and ends the sessions.
			code, out, _ = cli("users", "reset", "--email", "asha@example.org")
			m = linkRe.FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("reset: %d %q", code, out)
			}
			if e.Accounts.RefreshTokenLive(ctx, sess.RefreshToken) {
				t.Error("a session outlived the reset")
			}
			if _, err := e.Accounts.CardSignIn(ctx, m[1]); err != nil {
				t.Errorf("the reset link: %v", err)
			}
			if code, _, _ := cli("users", "reset", "--email", "nobody@example.org"); code != 1 {
				t.Errorf("reset of no one: %d", code)
			}
		})
	}
}
