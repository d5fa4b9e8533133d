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
		reg := func(name, email, pw, who string) apptest.Scenario {
			return apptest.Scenario{Name: name, Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": email, "password": pw, "name": who},
				Status: 422, Problem: "validation", Absent: []string{pw}}
		}
		weak := func(name, pw string) apptest.Scenario {
			sc := reg(name, "weak@example.org", pw, "Weak Person")
			sc.Contains = []string{`"field":"password"`}
			return sc
		}
		badName := func(name, who string) apptest.Scenario {
			sc := reg(name, "names@example.org", "river candle mango seventy", who)
			sc.Contains = []string{`"field":"name"`}
			return sc
		}
		e.Scenarios(t, []apptest.Scenario{
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
			{Name: "password is the email", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "maria.gonzalez@example.org", "password": "maria.gonzalez@example.org", "name": "M"},
				Status: 422, Problem: "validation", Contains: []string{`"field":"password"`, "email"}},
			{Name: "password contains the email's local part", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "ravindra.k@example.org", "password": "Ravindra.K2026!!", "name": "R"},
				Status: 422, Problem: "validation", Contains: []string{`"field":"password"`, "email"}},
			{Name: "password contains the name", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "sd77@example.org", "password": "sunita devi rocks 77", "name": "Sunita Devi"},
				Status: 422, Problem: "validation", Contains: []string{`"field":"password"`, "name"}},
			{Name: "a strong passphrase that happens to hold the local part is fine", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "river@example.org", "password": "river candle mango seventy", "name": "River"},
				Status: 201},
			badName("name with right-to-left override", "Ali\u202egnp.exe"),
			badName("name with left-to-right isolate", "Ali \u2066ce\u2069"),
			badName("name with a right-to-left mark", "Ali\u200f"),
			badName("name with an Arabic letter mark", "Ali\u061c"),
			badName("name with a newline", "Ali\nBaba"),
			badName("name with NUL", "Ali\x00"),
			badName("blank name", "   "),
			{Name: "admin creates a user with a bidi name", Method: "POST", Path: api + "/users", Token: admin.Token,
				Body:   map[string]any{"email": "bidi@example.org", "password": "river candle mango seventy", "name": "Evil\u202dName", "role": "trainer"},
				Status: 422, Problem: "validation", Contains: []string{`"field":"name"`}},
			{Name: "password change to a sequence", Method: "POST", Path: api + "/me/password", Token: learner.Token,
				Body:   map[string]any{"current_password": learner.Password, "new_password": "qwertyuiopasdf"},
				Status: 422, Problem: "validation", Contains: []string{`"field":"new_password"`}},
			{Name: "password change to the email", Method: "POST", Path: api + "/me/password", Token: learner.Token,
				Body:   map[string]any{"current_password": learner.Password, "new_password": "x " + learner.Email + " x"},
				Status: 422, Problem: "validation", Contains: []string{`"field":"new_password"`}},
			{Name: "a Hindi name and a Devanagari passphrase are fine", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "priya@example.org", "password": "नदी किनारे आम का पेड़", "name": "प्रिया शर्मा"},
				Status: 201, Contains: []string{"प्रिया शर्मा"}},
			{Name: "a long passphrase is fine", Method: "POST", Path: api + "/auth/register",
				Body:   map[string]any{"email": "fine@example.org", "password": "river candle mango seventy", "name": "Fine Person"},
				Status: 201},
		})
	})
}
