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

		e.Scenarios(t, []apptest.Scenario{
			{Name: "the export carries the user's own data and no one else's", Method: "GET", Path: api + "/me/export", Token: learner.Token,
				Status: 200, Contains: []string{`"account":{`, learner.Email, `"enrollments":[{`, `"completed_lessons":[{`, `"attempts":[{`,
					`"answers":[{`, `"certificates":[{`, certID, `"token":"ey`, `"verifications":[{`, employer.OrganizationID},
				Absent: []string{other.Email, otherCert, "password"},
				Check: func(t *testing.T, res apptest.Response) {
					if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
						t.Errorf("content disposition %q, want an attachment", cd)
					}
				}},
			{Name: "anonymous cannot export", Method: "GET", Path: api + "/me/export", Status: 401, Problem: "unauthenticated"},
			{Name: "anonymous cannot delete", Method: "DELETE", Path: api + "/me", Status: 401, Problem: "unauthenticated"},
			{Name: "a trainer cannot delete their account here", Method: "DELETE", Path: api + "/me", Token: course.Trainer.Token,
				Status: 403, Problem: "forbidden"},
			{Name: "an employer cannot delete their account here", Method: "DELETE", Path: api + "/me", Token: employer.Token,
				Status: 403, Problem: "forbidden"},
			{Name: "a learner deletes their account", Method: "DELETE", Path: api + "/me", Token: learner.Token, Status: 204},
			{Name: "the token dies with the account", Method: "GET", Path: api + "/me", Token: learner.Token, Status: 401},
			{Name: "the password dies with the account", Method: "POST", Path: api + "/auth/login",
				Body: map[string]any{"email": learner.Email, "password": learner.Password}, Status: 401},
			{Name: "the session dies with the account", Method: "POST", Path: api + "/auth/refresh",
				Body: map[string]any{"refresh_token": learner.Refresh}, Status: 401},
		})
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
