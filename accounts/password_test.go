package accounts_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestWeakPasswordsAndBadNames: what an attack review got accepted is
// refused with the contract's validation problem, at registration, admin
// creation and password change.
func TestWeakPasswordsAndBadNames(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		admin := e.UserWithRole(web.RoleAdmin)
		learner := e.Learner()
		reg := func(name, email, pw, who string) scenario {
			return scenario{name: name, method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": email, "password": pw, "name": who},
				status: 422, problem: "validation", absent: []string{pw}}
		}
		weak := func(name, pw string) scenario {
			sc := reg(name, "weak@example.org", pw, "Weak Person")
			sc.contains = []string{`"field":"password"`}
			return sc
		}
		badName := func(name, who string) scenario {
			sc := reg(name, "names@example.org", "river candle mango seventy", who)
			sc.contains = []string{`"field":"name"`}
			return sc
		}
		run(t, e, []scenario{
			weak("ten spaces", strings.Repeat(" ", 10)),
			weak("ten NUL bytes", strings.Repeat("\x00", 10)),
			weak("control character inside", "river candle\x07mango seventy"),
			weak("right-to-left override inside", "river candle\u202emango seventy"),
			weak("alphabet run", "abcdefghij"),
			weak("digit run", "1234567890"),
			weak("reversed digits", "9876543210"),
			weak("keyboard row", "qwertyuiop"),
			weak("one repeated character", "aaaaaaaaaaaa"),
			weak("a repeated pair", "abababababab"),
			weak("easy to guess", "password12345"),
			{name: "password is the email", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "maria.gonzalez@example.org", "password": "maria.gonzalez@example.org", "name": "M"},
				status: 422, problem: "validation", contains: []string{`"field":"password"`, "email"}},
			{name: "password contains the email's local part", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "ravindra.k@example.org", "password": "Ravindra.K2026!!", "name": "R"},
				status: 422, problem: "validation", contains: []string{`"field":"password"`, "email"}},
			{name: "password contains the name", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "sd77@example.org", "password": "sunita devi rocks 77", "name": "Sunita Devi"},
				status: 422, problem: "validation", contains: []string{`"field":"password"`, "name"}},
			{name: "a strong passphrase that happens to hold the local part is fine", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "river@example.org", "password": "river candle mango seventy", "name": "River"},
				status: 201},
			badName("name with right-to-left override", "Ali\u202egnp.exe"),
			badName("name with left-to-right isolate", "Ali \u2066ce\u2069"),
			badName("name with a right-to-left mark", "Ali\u200f"),
			badName("name with an Arabic letter mark", "Ali\u061c"),
			badName("name with a newline", "Ali\nBaba"),
			badName("name with NUL", "Ali\x00"),
			badName("blank name", "   "),
			{name: "admin creates a user with a bidi name", method: "POST", path: api + "/users", token: admin.Token,
				body:   map[string]any{"email": "bidi@example.org", "password": "river candle mango seventy", "name": "Evil\u202dName", "role": "trainer"},
				status: 422, problem: "validation", contains: []string{`"field":"name"`}},
			{name: "password change to a sequence", method: "POST", path: api + "/me/password", token: learner.Token,
				body:   map[string]any{"current_password": learner.Password, "new_password": "qwertyuiopasdf"},
				status: 422, problem: "validation", contains: []string{`"field":"new_password"`}},
			{name: "password change to the email", method: "POST", path: api + "/me/password", token: learner.Token,
				body:   map[string]any{"current_password": learner.Password, "new_password": "x " + learner.Email + " x"},
				status: 422, problem: "validation", contains: []string{`"field":"new_password"`}},
			{name: "a Hindi name and a Devanagari passphrase are fine", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "priya@example.org", "password": "नदी किनारे आम का पेड़", "name": "प्रिया शर्मा"},
				status: 201, contains: []string{"प्रिया शर्मा"}},
			{name: "a long passphrase is fine", method: "POST", path: api + "/auth/register",
				body:   map[string]any{"email": "fine@example.org", "password": "river candle mango seventy", "name": "Fine Person"},
				status: 201},
		})
	})
}
