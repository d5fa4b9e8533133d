package privacy_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

func TestExportAndErase(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		learner, other := e.Learner(), e.Learner()
		certID := course.Earn(learner)
		otherCert := course.Earn(other)
		employer := e.UserWithRole(web.RoleEmployer)
		e.Call("GET", api+"/verify/"+certID, employer.Token, nil)

		res := e.Call("GET", api+"/me/export", learner.Token, nil)
		body := string(res.Body)
		if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %s", res.Status, body)
		}
		for _, want := range []string{`"account":{`, learner.Email, `"enrollments":[{`, `"completed_lessons":[{`, `"attempts":[{`,
			`"answers":[{`, `"certificates":[{`, certID, `"token":"ey`, `"verifications":[{`, employer.OrganizationID} {
			if !strings.Contains(body, want) {
				t.Errorf("%q not in the export", want)
			}
		}
		if strings.Contains(body, other.Email) || strings.Contains(body, otherCert) || strings.Contains(body, "password") {
			t.Fatalf("the export carries what it must not: %s", body)
		}
		for _, tc := range []struct {
			method, path, token string
			status              int
		}{
			{"GET", "/me/export", "", 401},
			{"DELETE", "/me", "", 401},
			{"DELETE", "/me", course.Trainer.Token, 403},
			{"DELETE", "/me", employer.Token, 403},
		} {
			if r := e.Call(tc.method, api+tc.path, tc.token, nil); r.Status != tc.status {
				t.Errorf("%s %s: %d, want %d", tc.method, tc.path, r.Status, tc.status)
			}
		}

		if r := e.Call("DELETE", api+"/me", learner.Token, nil); r.Status != 204 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		if r := e.Call("GET", api+"/me", learner.Token, nil); r.Status != 401 {
			t.Fatalf("token after deletion: %d", r.Status)
		}
		if r := e.Call("POST", api+"/auth/login", "", map[string]any{"email": learner.Email, "password": learner.Password}); r.Status != 401 {
			t.Fatalf("login after deletion: %d", r.Status)
		}
		if r := e.Call("POST", api+"/auth/refresh", "", map[string]any{"refresh_token": learner.Refresh}); r.Status != 401 {
			t.Fatalf("refresh after deletion: %d", r.Status)
		}
		// The certificate still answers, as revoked, without the name.
		v := e.Call("GET", api+"/verify/"+certID, "", nil)
		// The public is told the category of the revocation, not its text.
		if !strings.Contains(string(v.Body), `"status":"revoked"`) || !strings.Contains(string(v.Body), `"revocation_category":"withdrawn_by_holder"`) ||
			strings.Contains(string(v.Body), learner.Name+`"`) {
			t.Fatalf("verify after deletion: %s", v.Body)
		}
		// The email can be registered again, and nothing personal is left.
		if r := e.Call("POST", api+"/auth/register", "", map[string]any{"email": learner.Email, "password": "a fresh long passphrase", "name": "New"}); r.Status != 201 {
			t.Fatalf("email not freed: %d %s", r.Status, r.Body)
		}
		var n int64
		db.Table("users").Where("name = ?", learner.Name).Count(&n)
		if n != 0 {
			t.Fatal("the name is still stored")
		}
		db.Table("enrollments").Where("user_id = ?", learner.ID).Count(&n)
		if n != 0 {
			t.Fatal("enrollments kept")
		}
		db.Table("verification_checks").Where("holder_id = ?", learner.ID).Count(&n)
		if n != 0 {
			t.Fatal("trail kept")
		}
		db.Table("attempts").Where("user_id = ?", learner.ID).Count(&n)
		if n != 0 {
			t.Fatal("attempts still name the user")
		}
		// The other learner is untouched.
		if r := e.Call("GET", api+"/verify/"+otherCert, "", nil); !strings.Contains(string(r.Body), `"valid":true`) {
			t.Fatalf("another learner's certificate: %s", r.Body)
		}
	})
}
