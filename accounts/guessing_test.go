package accounts_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/accounts"
	"skillgate/app/apptest"
)

// from sends a request as if from client address addr (the test app
// trusts X-Forwarded-For from the in-memory peer).
func from(e *apptest.Env, addr, method, path, token string, body any) apptest.Response {
	return e.Do(apptest.Request{Method: method, Path: path, Token: token, Body: body,
		Headers: map[string]string{"X-Forwarded-For": addr}})
}

var proxyEnv = map[string]string{"SKILLGATE_TRUSTED_PROXIES": "0.0.0.0", "SKILLGATE_RATE_LOGIN_FAILURES": "5/15m"}

// TestConcurrentGuessesAreLimited: 40 wrong passwords and the right one sent
// at once are limited exactly like guesses sent in turn: the attempt is
// reserved before the hash, so no more than the limit are checked.
func TestConcurrentGuessesAreLimited(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db, apptest.Options{Env: proxyEnv})
		u := e.Learner()
		before := accounts.PasswordsChecked(e.Accounts)
		statuses := burst(e, 41, func(i int) apptest.Response {
			pw := "wrong password number " + strings.Repeat("x", i%7)
			if i == 20 {
				pw = u.Password
			}
			return from(e, "203.0.113.9", "POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": pw})
		})
		checked := statuses[401] + statuses[200]
		// The right password, when it is among the first five, ends the
		// streak as it does when guesses come in turn: then at most five
		// more are checked after it.
		limit := 5
		if statuses[200] == 1 {
			limit = 10
		}
		if checked > limit || statuses[429] != 41-checked || checked == 0 {
			t.Fatalf("statuses %v: want at most %d passwords checked and the rest 429", statuses, limit)
		}
		if hashed := accounts.PasswordsChecked(e.Accounts) - before; hashed != int64(checked) {
			t.Fatalf("%d passwords went through argon2 for %d answered guesses", hashed, checked)
		}
		if statuses[200] == 0 {
			// The right password came too late: it must wait like any guess.
			res := from(e, "203.0.113.9", "POST", api+"/auth/login", "", map[string]any{"email": u.Email, "password": u.Password})
			if res.Status != 429 || res.Header.Get("Retry-After") == "" {
				t.Fatalf("right password after the burst: %d %s", res.Status, res.Body)
			}
		}

		t.Run("current password on POST /me/password", func(t *testing.T) {
			v := e.Learner()
			statuses := burst(e, 20, func(i int) apptest.Response {
				return from(e, "203.0.113.10", "POST", api+"/me/password", v.Token,
					map[string]any{"current_password": "not my password " + strings.Repeat("y", i%5), "new_password": "a brand new passphrase"})
			})
			if statuses[403] == 0 || statuses[403] > 5 || statuses[429] != 20-statuses[403] {
				t.Fatalf("statuses %v: want at most 5 wrong current passwords checked (403) and the rest 429", statuses)
			}
			res := from(e, "203.0.113.10", "POST", api+"/me/password", v.Token,
				map[string]any{"current_password": v.Password, "new_password": "a brand new passphrase"})
			if res.Status != 429 || res.Header.Get("Retry-After") == "" {
				t.Fatalf("right current password after the burst: %d %s", res.Status, res.Body)
			}
			// The guesses count against the account's sign-in too.
			res = from(e, "203.0.113.10", "POST", api+"/auth/login", "", map[string]any{"email": v.Email, "password": v.Password})
			if res.Status != 429 {
				t.Fatalf("sign-in from the guessing address: %d", res.Status)
			}
		})
	})
}

// burst sends n requests at once and counts the statuses.
func burst(e *apptest.Env, n int, send func(i int) apptest.Response) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[int]int{}
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res := send(i)
			mu.Lock()
			out[res.Status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// TestLockoutIsPerAddress: failures from one address make that address
// wait, longer each time, while the owner signing in from elsewhere gets
// in; the per-account ceiling stops addresses that have failed, not one
// that has not.
func TestLockoutIsPerAddress(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		env := map[string]string{"SKILLGATE_TRUSTED_PROXIES": "0.0.0.0", "SKILLGATE_RATE_LOGIN_FAILURES": "3/15m",
			"SKILLGATE_RATE_LOGIN_PER_ACCOUNT": "8/15m"}
		e := apptest.New(t, db, apptest.Options{Env: env})
		admin := e.Learner()
		login := func(addr, pw string) apptest.Response {
			return from(e, addr, "POST", api+"/auth/login", "", map[string]any{"email": admin.Email, "password": pw})
		}
		const attacker = "203.0.113.66"
		for i := range 3 {
			if res := login(attacker, "wrong guess number "+string(rune('a'+i))); res.Status != 401 {
				t.Fatalf("guess %d: %d", i, res.Status)
			}
		}
		if res := login(attacker, admin.Password); res.Status != 429 {
			t.Fatalf("attacker's address after 3 failures: %d", res.Status)
		}
		if res := login("198.51.100.7", admin.Password); res.Status != 200 {
			t.Fatalf("owner from another address: %d %s", res.Status, res.Body)
		}

		// Exponential back-off: 1 minute, then 2.
		e.Clock.Advance(61 * time.Second)
		if res := login(attacker, "wrong guess number d"); res.Status != 401 {
			t.Fatalf("after the first wait: %d", res.Status)
		}
		res := login(attacker, "wrong guess number e")
		if res.Status != 429 || res.Header.Get("Retry-After") != "120" {
			t.Fatalf("second wait: %d Retry-After %q, want 429 and 120", res.Status, res.Header.Get("Retry-After"))
		}

		// Many addresses reach the account's ceiling (8 guesses in all).
		for _, addr := range []string{"203.0.113.1", "203.0.113.2"} {
			for i := range 2 {
				if res := login(addr, "wrong guess "+addr+string(rune('a'+i))); res.Status != 401 {
					t.Fatalf("%s guess %d: %d", addr, i, res.Status)
				}
			}
		}
		if res := login("203.0.113.3", "wrong guess fresh address"); res.Status != 401 {
			t.Fatalf("a clean address past the ceiling: %d", res.Status)
		}
		if res := login("203.0.113.1", "wrong guess again"); res.Status != 429 {
			t.Fatalf("an address that failed, past the ceiling: %d", res.Status)
		}
		if res := login("203.0.113.4", "wrong guess from a new address"); res.Status != 401 {
			t.Fatalf("an address that has not failed gets its guess: %d", res.Status)
		}
		if res := login("203.0.113.4", "and another wrong guess"); res.Status != 429 {
			t.Fatalf("that address, once it failed: %d", res.Status)
		}
		if res := login("192.0.2.200", admin.Password); res.Status != 200 {
			t.Fatalf("owner with the right password from a clean address, past the ceiling: %d %s", res.Status, res.Body)
		}
	})
}
