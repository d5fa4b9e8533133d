package site_test

import (
	"maps"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
)

// TestWebSessionCacheEndsOnEveryReplica: two platforms on one database
// (two replicas, each with its own caches and change bus) serve one
// browser's session. Once replica B has served a page (and holds the
// session, its family and its account in memory), signing out on A, or
// logging out everywhere through the API on A, ends the session on B too.
// B is asked again until it refuses, within a generous deadline; the
// delay is logged (issue 13 bounds it at 1 s).
func TestWebSessionCacheEndsOnEveryReplica(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		a, b := apptest.New(t, db), apptest.New(t, db)
		for _, tc := range []struct {
			name string
			end  func(onA *browser, email string)
		}{
			{"signed out on A", func(onA *browser, _ string) {
				onA.get("/me")
				must(t, onA.submit("/logout", nil), 200)
			}},
			{"logged out everywhere on A", func(_ *browser, email string) {
				u := apptest.User{Email: email, Password: apptest.TestPassword}
				a.SignIn(&u)
				if res := a.Call("POST", "/api/v1/auth/logout", u.Token,
					map[string]any{"refresh_token": u.Refresh, "everywhere": true}); res.Status != 204 {
					t.Fatalf("logout: %d %s", res.Status, res.Body)
				}
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				email := strings.ReplaceAll(tc.name, " ", "-") + "@example.org"
				onA := newBrowser(t, a)
				onA.signUp("Asha", email)
				must(t, onA.get("/me"), 200, "My account")
				onB := newBrowser(t, b)
				for i := 0; i < 2; i++ { // the second page from B's memory
					onB.cookies = maps.Clone(onA.cookies)
					must(t, onB.get("/me"), 200, "My account")
				}
				cookies := maps.Clone(onA.cookies)
				tc.end(onA, email)
				ended := time.Now()
				deadline := ended.Add(15 * time.Second)
				poll := time.NewTicker(5 * time.Millisecond) // paces the polls
				defer poll.Stop()
				for {
					onB.cookies = maps.Clone(cookies)
					p := onB.get("/me")
					if strings.Contains(p.Body, "Please sign in first.") {
						break
					}
					must(t, p, 200, "My account")
					if time.Now().After(deadline) {
						t.Fatalf("B still serves the session %s after it was %s", time.Since(ended), tc.name)
					}
					<-poll.C
				}
				t.Logf("B ended the web session %v after it was %s", time.Since(ended).Round(time.Millisecond), tc.name)
			})
		}
	})
}

// TestSessionPagesReadNoSessionRows: once a web session is warm, a
// signed-in page reads neither the session row, nor its refresh-token
// family, nor the account; the clock moving past touchEvery costs one
// write and still no read.
func TestSessionPagesReadNoSessionRows(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := newBrowser(t, e)
		b.signUp("Asha", "reads@example.org")
		must(t, b.get("/me"), 200, "My account")
		var reads, writes atomic.Int64
		name := "test:session_reads_" + t.Name()
		count := func(n *atomic.Int64) func(tx *gorm.DB) {
			return func(tx *gorm.DB) {
				switch tx.Statement.Table {
				case "web_sessions", "refresh_tokens", "users":
					n.Add(1)
				}
			}
		}
		if err := db.Callback().Query().After("gorm:query").Register(name, count(&reads)); err != nil {
			t.Fatal(err)
		}
		if err := db.Callback().Update().After("gorm:update").Register(name, count(&writes)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = db.Callback().Query().Remove(name)
			_ = db.Callback().Update().Remove(name)
		})
		for i := 0; i < 5; i++ {
			must(t, b.get("/me"), 200, "My account")
		}
		e.Clock.Advance(31 * time.Second)
		must(t, b.get("/me"), 200, "My account")
		must(t, b.get("/me"), 200, "My account")
		if r, w := reads.Load(), writes.Load(); r != 0 || w != 1 {
			t.Fatalf("seven signed-in pages read %d session, family or account rows and wrote %d, want 0 and 1", r, w)
		}
	})
}
