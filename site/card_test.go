package site_test

import (
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestCardSignIn: a class learner with no email signs in with the card's
// QR address, sets a password without an old one, then signs in with her
// user name; a replaced card no longer works, and says so in her language.
func TestCardSignIn(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		tr := e.UserWithRole(web.RoleTrainer)
		var class struct{ ID string }
		res := e.Call("POST", "/api/v1/classes", tr.Token, map[string]any{"name": "Batch 7"})
		res.JSON(t, &class)
		res = e.Call("POST", "/api/v1/classes/"+class.ID+"/learners", tr.Token, map[string]any{"learners": []map[string]any{{"name": "Sunita Kumari", "locale": "hi"}}})
		if res.Status != 200 {
			t.Fatalf("learners: %d %s", res.Status, res.Body)
		}
		cards := func() (secret, username, signIn string) {
			res := e.Do(apptest.Request{Method: "POST", Path: "/api/v1/classes/" + class.ID + "/cards", Token: tr.Token, Body: map[string]any{},
				Headers: map[string]string{"Accept": "application/json"}})
			var out struct {
				Cards []struct {
					Secret    string `json:"secret"`
					Username  string `json:"username"`
					SignInURL string `json:"sign_in_url"`
				}
			}
			res.JSON(t, &out)
			if len(out.Cards) != 1 {
				t.Fatalf("cards: %s", res.Body)
			}
			c := out.Cards[0]
			return c.Secret, c.Username, c.SignInURL
		}
		secret, username, signIn := cards()
		path := strings.TrimPrefix(signIn, "http://skillgate.test")
		if !strings.HasPrefix(path, "/card/") {
			t.Fatalf("sign-in url %q", signIn)
		}

		b := newBrowser(t, e)
		p := b.get(path)
		must(t, p, 200, `<html lang="hi"`, "Sunita Kumari", "कार्ड से साइन इन")
		p = b.get("/me")
		must(t, p, 200, username, "पासवर्ड चुनें")
		mustNot(t, p, `name="current_password"`)
		p = b.submit("/me/password", url.Values{"new_password": {"mera naya lamba password 9"}, "confirm_password": {"mera naya lamba password 9"}})
		must(t, p, 200, "पासवर्ड बदल गया")

		other := newBrowser(t, e)
		other.get("/login")
		must(t, other.submit("/login", url.Values{"login": {username}, "password": {"mera naya lamba password 9"}, "next": {"/me"}}), 200, username)

		// The typed code works too, dashes and case aside.
		typed := newBrowser(t, e)
		typed.get("/login")
		must(t, typed.submit("/card", url.Values{"code": {strings.ToLower(secret)}}), 200, "Sunita Kumari")

		// Reissuing replaces the card.
		cards()
		stale := newBrowser(t, e)
		p = stale.get(path)
		must(t, p, 401, "card does not work")
	})
}
