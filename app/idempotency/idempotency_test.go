package idempotency_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

func send(e *apptest.Env, addr, path, token, key string, body any) apptest.Response {
	h := map[string]string{"Idempotency-Key": key}
	if addr != "" {
		h["X-Forwarded-For"] = addr
	}
	return e.Do(apptest.Request{Method: "POST", Path: path, Token: token, Body: body, Headers: h})
}

var proxyEnv = map[string]string{"SKILLGATE_TRUSTED_PROXIES": "0.0.0.0"}

type session struct {
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// TestKeysAreScopedToTheCaller: an authenticated caller's key follows the
// account, not the token string; an anonymous caller's key is never
// replayed to another client.
func TestKeysAreScopedToTheCaller(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db, apptest.Options{Env: proxyEnv})
		admin, other := e.UserWithRole(web.RoleAdmin), e.UserWithRole(web.RoleAdmin)

		first := send(e, "", api+"/organizations", admin.Token, "org-1", map[string]any{"name": "Scoped Org"})
		// The same admin, signed in again (another token), retries.
		again := admin
		e.SignIn(&again)
		retry := send(e, "", api+"/organizations", again.Token, "org-1", map[string]any{"name": "Scoped Org"})
		if first.Status != 201 || retry.Status != 201 || string(first.Body) != string(retry.Body) || retry.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the same caller's retry with a new token: %d %s / %d %s", first.Status, first.Body, retry.Status, retry.Body)
		}
		// Another admin with the same key gets an answer of their own.
		theirs := send(e, "", api+"/organizations", other.Token, "org-1", map[string]any{"name": "Scoped Org"})
		if theirs.Status != 201 || string(theirs.Body) == string(first.Body) {
			t.Fatalf("another caller got the first caller's answer: %s", theirs.Body)
		}

		// Anonymous: another client with the same key and body runs its
		// own request (here: the email is taken) and gets no tokens.
		reg := map[string]any{"email": "anon@example.org", "password": "river candle mango seventy", "name": "Anon"}
		if r := send(e, "203.0.113.5", api+"/auth/register", "", "reg-1", reg); r.Status != 201 {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		if r := send(e, "203.0.113.5", api+"/auth/register", "", "reg-1", reg); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("the same client's retry: %d %s", r.Status, r.Body)
		}
		stranger := send(e, "198.51.100.9", api+"/auth/register", "", "reg-1", reg)
		if stranger.Status != 409 || strings.Contains(string(stranger.Body), "access_token") {
			t.Fatalf("another client replayed the registration: %d %s", stranger.Status, stranger.Body)
		}
	})
}

// TestReadOnlyChecksAreNeverReplayed: POST /verify with a key answers the
// certificate's state now, not when the key was first used.
func TestReadOnlyChecksAreNeverReplayed(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		learner := e.Learner()
		certID := course.Earn(learner)
		var cert struct{ Token string }
		e.Call("GET", api+"/certificates/"+certID, learner.Token, nil).JSON(t, &cert)

		first := send(e, "", api+"/verify", "", "v-1", map[string]any{"token": cert.Token})
		if !strings.Contains(string(first.Body), `"valid":true`) {
			t.Fatalf("verify: %d %s", first.Status, first.Body)
		}
		// Deleting the account revokes the certificate.
		if r := e.Call("DELETE", api+"/me", learner.Token, nil); r.Status != 204 {
			t.Fatalf("delete: %d", r.Status)
		}
		again := send(e, "", api+"/verify", "", "v-1", map[string]any{"token": cert.Token})
		if again.Header.Get("Idempotent-Replayed") != "" || strings.Contains(string(again.Body), `"valid":true`) {
			t.Fatalf("a revoked certificate verified from a stored answer: %s", again.Body)
		}
		employer := e.UserWithRole(web.RoleEmployer)
		for _, path := range []string{"/verify/batch", "/eligibility"} {
			body := map[string]any{"ids": []string{certID}}
			if path == "/eligibility" {
				body = map[string]any{"certificate_ids": []string{certID}}
			}
			send(e, "", api+path, employer.Token, "k-"+path, body)
			if r := send(e, "", api+path, employer.Token, "k-"+path, body); r.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("%s replayed a stored answer", path)
			}
		}
	})
}

// TestSessionAnswersAreReplayedBriefly: a retried refresh gets its pair
// back while that pair is the live one and for a minute at most; a spent
// refresh token replayed with its first key meets reuse detection.
func TestSessionAnswersAreReplayedBriefly(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		u := e.Learner()
		body := map[string]any{"refresh_token": u.Refresh}
		first := send(e, "", api+"/auth/refresh", "", "r-1", body)
		retry := send(e, "", api+"/auth/refresh", "", "r-1", body)
		if first.Status != 200 || string(retry.Body) != string(first.Body) {
			t.Fatalf("a prompt retry: %d / %d %s", first.Status, retry.Status, retry.Body)
		}
		var p1 session
		first.JSON(t, &p1)
		// The client moves on; the spent token is then replayed with its key.
		next := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": p1.RefreshToken})
		if next.Status != 200 {
			t.Fatalf("next refresh: %d", next.Status)
		}
		var p2 session
		next.JSON(t, &p2)
		if r := send(e, "", api+"/auth/refresh", "", "r-1", body); r.Status != 401 || strings.Contains(string(r.Body), "access_token") {
			t.Fatalf("a spent refresh token replayed with its first key: %d %s", r.Status, r.Body)
		}
		// Reuse detection ended the family: the newest token is dead too.
		if r := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": p2.RefreshToken}); r.Status != 401 {
			t.Fatalf("the family survived the replayed spent token: %d", r.Status)
		}

		// After the window, even a live pair is not handed out again.
		v := e.Learner()
		b2 := map[string]any{"refresh_token": v.Refresh}
		if r := send(e, "", api+"/auth/refresh", "", "r-2", b2); r.Status != 200 {
			t.Fatalf("refresh: %d", r.Status)
		}
		e.Clock.Advance(61 * time.Second)
		if r := send(e, "", api+"/auth/refresh", "", "r-2", b2); r.Status != 401 || strings.Contains(string(r.Body), "access_token") {
			t.Fatalf("a session answer replayed after the window: %d %s", r.Status, r.Body)
		}
	})
}

// TestDeletionPurgesStoredAnswers: after DELETE /me nothing stored for the
// account replays its name or email.
func TestDeletionPurgesStoredAnswers(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		u := e.Learner()
		login := map[string]any{"email": u.Email, "password": u.Password}
		if r := send(e, "", api+"/auth/login", "", "l-1", login); r.Status != 200 {
			t.Fatalf("login: %d", r.Status)
		}
		var n int64
		db.Table("idempotency_records").Where("user_id = ?", u.ID).Count(&n)
		if n != 1 {
			t.Fatalf("%d stored answers name the user, want 1", n)
		}
		if r := e.Call("DELETE", api+"/me", u.Token, nil); r.Status != 204 {
			t.Fatalf("delete: %d", r.Status)
		}
		db.Table("idempotency_records").Where("user_id = ?", u.ID).Count(&n)
		if n != 0 {
			t.Fatalf("%d stored answers left after deletion", n)
		}
		r := send(e, "", api+"/auth/login", "", "l-1", login)
		if r.Status != 401 || strings.Contains(string(r.Body), u.Email) || strings.Contains(string(r.Body), u.Name) {
			t.Fatalf("login replayed after deletion: %d %s", r.Status, r.Body)
		}
	})
}

// TestSecretAnswersAreNotStored: the answers of routes that hand out
// sign-in secrets (class cards, reset links) never rest in the
// idempotency table, where they would outlive their purpose by a day.
func TestSecretAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		tr := e.UserWithRole(web.RoleTrainer)
		admin := e.UserWithRole(web.RoleAdmin)
		var class struct{ ID string }
		send(e, "", api+"/classes", tr.Token, "class-1", map[string]any{"name": "Batch"}).JSON(t, &class)
		send(e, "", api+"/classes/"+class.ID+"/learners", tr.Token, "learners-1", map[string]any{"learners": []map[string]any{{"name": "Kiran"}}})
		cards := e.Do(apptest.Request{Method: "POST", Path: api + "/classes/" + class.ID + "/cards", Token: tr.Token, Body: map[string]any{},
			Headers: map[string]string{"Idempotency-Key": "cards-1", "Accept": "application/json"}})
		var out struct {
			Cards []struct {
				UserID string `json:"user_id"`
				Secret string `json:"secret"`
			}
		}
		cards.JSON(t, &out)
		if len(out.Cards) != 1 || out.Cards[0].Secret == "" {
			t.Fatalf("cards: %d %s", cards.Status, cards.Body)
		}
		reset := send(e, "", api+"/users/"+out.Cards[0].UserID+"/reset", admin.Token, "reset-1", nil)
		if reset.Status != 200 {
			t.Fatalf("reset: %d %s", reset.Status, reset.Body)
		}
		var rows []struct{ Response []byte }
		db.Table("idempotency_records").Select("response").Find(&rows)
		if len(rows) == 0 {
			t.Fatal("no answer was stored at all: the test proves nothing")
		}
		for _, r := range rows {
			if strings.Contains(string(r.Response), out.Cards[0].Secret) || strings.Contains(string(r.Response), "/card/") {
				t.Fatalf("a stored answer holds a sign-in secret: %.120s", r.Response)
			}
		}
	})
}
