package accounts_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/accounts"
	"skillgate/app/apptest"
	"skillgate/app/web"
)

func TestUsernameBase(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Sita Devi", "sita.devi"},
		{"  Sītā   Devī ", "sita.devi"},
		{"सीता देवी", "sita.devi"},
		{"राम कुमार", "ram.kumar"},
		{"प्रिया", "priya"},
		{"संजय", "sanjay"},
		{"O'Neil-Smith Jr.", "o.neil.smith.jr"},
		{"Li", "li.learner"},
		{"", "learner"},
		{"☺☺", "learner"},
		{strings.Repeat("abcdefghij ", 6), "abcdefghij.abcdefghij.abcdefghij.a"},
	} {
		got := accounts.UsernameBase(tc.name)
		if got != tc.want {
			t.Errorf("UsernameBase(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if msg := accounts.CheckUsername(got); msg != "" {
			t.Errorf("UsernameBase(%q) = %q is not a username: %s", tc.name, got, msg)
		}
	}
}

func TestCheckUsername(t *testing.T) {
	for u, ok := range map[string]bool{"sita.devi": true, "a_b-c.9": true, "ab": false, "Sita": false,
		"sita devi": false, "sita@x": false, strings.Repeat("a", 40): true, strings.Repeat("a", 41): false} {
		if got := accounts.CheckUsername(u) == ""; got != ok {
			t.Errorf("CheckUsername(%q) ok = %v, want %v", u, got, ok)
		}
	}
}

func TestCanonicalSecret(t *testing.T) {
	const s = "7K3MQ9XD2ABCDEFGHJKMNPQRS0"
	if accounts.CanonicalSecret(s) != s {
		t.Fatalf("canonical %q", accounts.CanonicalSecret(s))
	}
	for _, typed := range []string{accounts.TypedCode(s), strings.ToLower(accounts.TypedCode(s)), " 7k3m q9xd 2abc defg hjkm npqr s0 ", "7K3MQ9XD2ABCDEFGHJKMNPQRSO"} {
		if got := accounts.CanonicalSecret(typed); got != s {
			t.Errorf("CanonicalSecret(%q) = %q", typed, got)
		}
	}
	for _, bad := range []string{"", s[:25], s + "0", "7K3MQ9XD2ABCDEFGHJKMNPQRSU", "7K3MQ9XD2ABCDEFGHJKMNPQRS1", "7K3M/Q9XD2ABCDEFGHJKMNPQRS"} {
		if got := accounts.CanonicalSecret(bad); got != "" {
			t.Errorf("CanonicalSecret(%q) = %q, want refused", bad, got)
		}
	}
	if got := accounts.TypedCode(s); got != "7K3M-Q9XD-2ABC-DEFG-HJKM-NPQR-S0" {
		t.Errorf("TypedCode = %q", got)
	}
}

// cardLearners makes learners without email, as a class does, and prints
// their cards.
func cardLearners(t *testing.T, e *apptest.Env, names ...string) []accounts.Card {
	t.Helper()
	ctx := apptest.Context(t)
	rows := make([]accounts.NewLearner, len(names))
	ids := make([]string, len(names))
	for i, n := range names {
		rows[i] = accounts.NewLearner{Name: n}
	}
	users, err := e.Accounts.CreateLearners(ctx, rows)
	if err != nil {
		t.Fatalf("create learners: %v", err)
	}
	for i, u := range users {
		ids[i] = u.ID
	}
	cards, err := e.Accounts.IssueCards(ctx, ids)
	if err != nil {
		t.Fatalf("issue cards: %v", err)
	}
	return cards
}

func TestCardSignIn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		cards := cardLearners(t, e, "सीता देवी", "Sita Devi")
		sita := cards[0]
		if sita.User.Username != "sita.devi" || cards[1].User.Username != "sita.devi.2" {
			t.Fatalf("usernames %q %q", sita.User.Username, cards[1].User.Username)
		}
		if len(sita.Secret) != 26 || !strings.HasSuffix(sita.SignInURL, "/card/"+sita.Secret) || !strings.HasPrefix(sita.SignInURL, "http://skillgate.test/") {
			t.Fatalf("card %+v", sita)
		}
		// Only a digest is kept: no column of any stored card holds the
		// secret.
		var stored []map[string]any
		if err := db.Table("sign_in_secrets").Find(&stored).Error; err != nil || len(stored) != 2 {
			t.Fatalf("stored cards: %v %d", err, len(stored))
		}
		for _, row := range stored {
			for col, v := range row {
				if str, ok := v.(string); ok && (strings.Contains(strings.ToUpper(str), sita.Secret) || strings.Contains(strings.ToUpper(str), cards[1].Secret)) {
					t.Errorf("column %s holds a secret", col)
				}
			}
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "secret signs in", Method: "POST", Path: api + "/auth/card", Body: map[string]any{"secret": sita.Secret}, Status: 200,
				Contains: []string{`"access_token"`, `"refresh_token"`, `"token_type":"Bearer"`, `"username":"sita.devi"`, `"email":null`}},
			{Name: "typed code in lower case with spaces", Method: "POST", Path: api + "/auth/card",
				Body: map[string]any{"secret": strings.ToLower(strings.ReplaceAll(sita.Code, "-", " "))}, Status: 200},
			{Name: "unknown card", Method: "POST", Path: api + "/auth/card", Body: map[string]any{"secret": "7K3MQ9XD2ABCDEFGHJKMNPQRS0"}, Status: 401, Problem: "unauthenticated"},
			{Name: "junk", Method: "POST", Path: api + "/auth/card", Body: map[string]any{"secret": "'; drop table users"}, Status: 401, Problem: "unauthenticated"},
			{Name: "no secret", Method: "POST", Path: api + "/auth/card", Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "malformed", Method: "POST", Path: api + "/auth/card", Body: "{", Status: 400},
			{Name: "wrong type", Method: "POST", Path: api + "/auth/card", Body: map[string]any{"secret": 42}, Status: 400},
		})

		var s struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		e.Call("POST", api+"/auth/card", "", map[string]any{"secret": sita.Code}).JSON(t, &s)
		if res := e.Call("GET", api+"/me", s.AccessToken, nil); res.Status != 200 || !strings.Contains(string(res.Body), `"username":"sita.devi"`) {
			t.Fatalf("me: %d %s", res.Status, res.Body)
		}

		// Reissuing replaces the card and ends the sessions it began.
		again, err := e.Accounts.IssueCards(apptest.Context(t), []string{sita.User.ID})
		if err != nil {
			t.Fatal(err)
		}
		if again[0].Secret == sita.Secret {
			t.Fatal("reissued the same secret")
		}
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": sita.Secret}); res.Status != 401 {
			t.Errorf("replaced card: %d", res.Status)
		}
		if res := e.Call("GET", api+"/me", s.AccessToken, nil); res.Status != 401 {
			t.Errorf("access token after reissue: %d", res.Status)
		}
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": s.RefreshToken}); res.Status != 401 {
			t.Errorf("refresh after reissue: %d", res.Status)
		}
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": again[0].Secret}); res.Status != 200 {
			t.Errorf("new card: %d %s", res.Status, res.Body)
		}
		// The other learner's card is untouched.
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": cards[1].Secret}); res.Status != 200 {
			t.Errorf("other card: %d", res.Status)
		}
	})
}

func TestCardSessionSetsPassword(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		card := cardLearners(t, e, "Ravi Kumar")[0]
		const pw = "mango tractor river 77"
		// No password yet: signing in by username fails like a wrong one.
		if res := e.Call("POST", api+"/auth/login", "", map[string]any{"username": "ravi.kumar", "password": pw}); res.Status != 401 {
			t.Fatalf("login before a password: %d", res.Status)
		}
		var s struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		e.Call("POST", api+"/auth/card", "", map[string]any{"secret": card.Secret}).JSON(t, &s)
		family, err := e.Accounts.FamilyOf(apptest.Context(t), s.RefreshToken)
		if err != nil || !e.Accounts.FamilyByCard(apptest.Context(t), family) {
			t.Fatalf("card family not known as one: %v", err)
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "weak password", Method: "POST", Path: api + "/me/password", Token: s.AccessToken,
				Body: map[string]any{"new_password": "password"}, Status: 422, Problem: "validation", Contains: []string{"new_password"}},
			{Name: "card session needs no current password", Method: "POST", Path: api + "/me/password", Token: s.AccessToken,
				Body: map[string]any{"new_password": pw}, Status: 204},
			{Name: "the change ended the session", Method: "GET", Path: api + "/me", Token: s.AccessToken, Status: 401},
			{Name: "sign in by username", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"username": "Ravi.Kumar", "password": pw},
				Status: 200, Contains: []string{`"username":"ravi.kumar"`}},
			{Name: "username in the email field", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"email": "ravi.kumar", "password": pw}, Status: 200},
			{Name: "wrong password by username", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"username": "ravi.kumar", "password": pw + "x"}, Status: 401},
			{Name: "neither email nor username", Method: "POST", Path: api + "/auth/login", Body: map[string]any{"password": pw}, Status: 422},
		})
		var p struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		e.Call("POST", api+"/auth/login", "", map[string]any{"username": "ravi.kumar", "password": pw}).JSON(t, &p)
		family, _ = e.Accounts.FamilyOf(apptest.Context(t), p.RefreshToken)
		if e.Accounts.FamilyByCard(apptest.Context(t), family) {
			t.Error("a password session counts as a card session")
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "password session needs the current password", Method: "POST", Path: api + "/me/password", Token: p.AccessToken,
				Body: map[string]any{"new_password": "another fine passphrase 9"}, Status: 422, Contains: []string{"current_password"}},
			{Name: "and it is still signed in", Method: "GET", Path: api + "/me", Token: p.AccessToken, Status: 200},
		})
		// A self-registered account has no username until set.
		l := e.Learner()
		if res := e.Call("GET", api+"/me", l.Token, nil); !strings.Contains(string(res.Body), `"username":null`) {
			t.Errorf("registered learner: %s", res.Body)
		}
	})
}

func TestAdminReset(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		admin := e.UserWithRole(web.RoleAdmin)
		trainer := e.UserWithRole(web.RoleTrainer)
		l := e.Learner()
		e.Scenarios(t, []apptest.Scenario{
			{Name: "a trainer may not reset", Method: "POST", Path: api + "/users/" + l.ID + "/reset", Token: trainer.Token, Status: 403},
			{Name: "nor a learner", Method: "POST", Path: api + "/users/" + l.ID + "/reset", Token: l.Token, Status: 403},
			{Name: "anonymous", Method: "POST", Path: api + "/users/" + l.ID + "/reset", Status: 401},
			{Name: "unknown user", Method: "POST", Path: api + "/users/nope/reset", Token: admin.Token, Status: 404},
		})
		res := e.Call("POST", api+"/users/"+l.ID+"/reset", admin.Token, nil)
		var link struct {
			SignInURL string    `json:"sign_in_url"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		res.JSON(t, &link)
		if res.Status != 200 || !strings.HasPrefix(link.SignInURL, "http://skillgate.test/card/") || !link.ExpiresAt.Equal(e.Clock.Now().Add(24*time.Hour)) {
			t.Fatalf("reset: %d %s", res.Status, res.Body)
		}
		if res := e.Call("GET", api+"/me", l.Token, nil); res.Status != 401 {
			t.Errorf("session after reset: %d", res.Status)
		}
		if res := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": l.Refresh}); res.Status != 401 {
			t.Errorf("refresh after reset: %d", res.Status)
		}
		secret := link.SignInURL[strings.LastIndex(link.SignInURL, "/")+1:]
		var s struct {
			AccessToken string `json:"access_token"`
		}
		res = e.Call("POST", api+"/auth/card", "", map[string]any{"secret": secret})
		res.JSON(t, &s)
		if res.Status != 200 {
			t.Fatalf("link sign-in: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": secret}); res.Status != 401 {
			t.Errorf("link used twice: %d", res.Status)
		}
		// The link's session sets a new password without the forgotten one.
		if res := e.Call("POST", api+"/me/password", s.AccessToken, map[string]any{"new_password": "quiet harbour lantern 5"}); res.Status != 204 {
			t.Fatalf("set password: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/auth/login", "", map[string]any{"email": l.Email, "password": "quiet harbour lantern 5"}); res.Status != 200 {
			t.Errorf("login with the new password: %d", res.Status)
		}

		// A link is good for a day only.
		res = e.Call("POST", api+"/users/"+l.ID+"/reset", admin.Token, nil)
		res.JSON(t, &link)
		e.Clock.Advance(24*time.Hour + time.Second)
		secret = link.SignInURL[strings.LastIndex(link.SignInURL, "/")+1:]
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": secret}); res.Status != 401 {
			t.Errorf("expired link: %d", res.Status)
		}
	})
}

func TestCardSignInConcurrent(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		names := make([]string, 30)
		for i := range names {
			names[i] = "Learner"
		}
		cards := cardLearners(t, e, names...)
		seen := map[string]bool{}
		for _, c := range cards {
			if seen[c.User.Username] {
				t.Fatalf("username %q twice", c.User.Username)
			}
			seen[c.User.Username] = true
		}
		var wg sync.WaitGroup
		status := make([]int, len(cards))
		for i, c := range cards {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status[i] = e.Call("POST", api+"/auth/card", "", map[string]any{"secret": c.Secret}).Status
			}()
		}
		wg.Wait()
		for i, st := range status {
			if st != 200 {
				t.Errorf("card %d: %d", i, st)
			}
		}
	})
}

func TestCardSignInRateLimited(t *testing.T) {
	db := apptest.NewDB(t, apptest.Dialects(t)[0])
	e := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_RATE_AUTH_PER_ADDRESS": "3/1m"}})
	for i := 0; i < 3; i++ {
		e.Call("POST", api+"/auth/card", "", map[string]any{"secret": "7K3MQ9XD2ABCDEFGHJKMNPQRS0"})
	}
	res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": "7K3MQ9XD2ABCDEFGHJKMNPQRS0"})
	if res.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth guess: %d %v", res.Status, res.Header)
	}
}

func TestErasingACardLearner(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		card := cardLearners(t, e, "Meena Devi")[0]
		var s struct {
			AccessToken string `json:"access_token"`
		}
		e.Call("POST", api+"/auth/card", "", map[string]any{"secret": card.Secret}).JSON(t, &s)
		if res := e.Call("DELETE", api+"/me", s.AccessToken, nil); res.Status >= 300 {
			t.Fatalf("erase: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": card.Secret}); res.Status != 401 {
			t.Errorf("card after erasure: %d", res.Status)
		}
		// The username, made from the name, is gone with it.
		again := cardLearners(t, e, "Meena Devi")[0]
		if again.User.Username != "meena.devi" {
			t.Errorf("username after erasure: %q", again.User.Username)
		}
	})
}

// TestLearnersWithoutEmailHaveTheirOwnCounters: wrong current passwords
// of one learner without email do not hold back another at the same
// centre (the same address).
func TestLearnersWithoutEmailHaveTheirOwnCounters(t *testing.T) {
	db := apptest.NewDB(t, apptest.Dialects(t)[0])
	e := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_RATE_LOGIN_FAILURES": "2/1m", "SKILLGATE_RATE_LOGIN_PER_ACCOUNT": "2/1m"}})
	cards := cardLearners(t, e, "Kiran One", "Kiran Two")
	const pw = "mango tractor river 77"
	tokens := make([]string, 2)
	for i, c := range cards {
		var s struct {
			AccessToken string `json:"access_token"`
		}
		e.Call("POST", api+"/auth/card", "", map[string]any{"secret": c.Secret}).JSON(t, &s)
		if res := e.Call("POST", api+"/me/password", s.AccessToken, map[string]any{"new_password": pw}); res.Status != 204 {
			t.Fatalf("set password: %d %s", res.Status, res.Body)
		}
		res := e.Call("POST", api+"/auth/login", "", map[string]any{"username": c.User.Username, "password": pw})
		tokens[i] = res.Map(t)["access_token"].(string)
	}
	limited := false
	for i := 0; i < 6 && !limited; i++ {
		res := e.Call("POST", api+"/me/password", tokens[0], map[string]any{"current_password": "wrong wrong wrong", "new_password": "another fine passphrase 9"})
		limited = res.Status == 429
	}
	if !limited {
		t.Fatal("wrong current passwords were never limited")
	}
	if res := e.Call("POST", api+"/me/password", tokens[1], map[string]any{"current_password": pw, "new_password": "another fine passphrase 9"}); res.Status != 204 {
		t.Fatalf("the other learner: %d %s", res.Status, res.Body)
	}
}
