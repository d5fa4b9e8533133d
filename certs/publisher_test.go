package certs_test

import (
	"io"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestLookAlikeCertificatesNameTheirPublisher: any trainer may publish a
// course titled like an official one. Every verify surface (JSON by id,
// by token and in bulk, the page, the PDF, and the credential's
// achievement) names who published it and says it is not endorsed, until
// an admin endorses the course; built-in courses are endorsed.
func TestLookAlikeCertificatesNameTheirPublisher(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		ctx := apptest.Context(t)
		org, err := f.e.Accounts.CreateOrganization(ctx, "Acme Training")
		if err != nil {
			t.Fatal(err)
		}
		// The trainer works for Acme (no API sets a trainer's organization).
		if err := db.Exec("UPDATE users SET organization_id = ? WHERE id = ?", org.ID, f.Trainer.ID).Error; err != nil {
			t.Fatal(err)
		}
		if r := f.e.Call("PATCH", api+"/courses/"+f.CourseID, f.Trainer.Token, map[string]any{"title": "Data Confidentiality Essentials"}); r.Status != 200 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		f.e.Call("POST", api+"/courses/"+f.CourseID+"/publish", f.Trainer.Token, nil)
		learner, c := f.holder(t)
		label := f.Trainer.Name + " (Acme Training)"
		admin := f.e.UserWithRole(web.RoleAdmin)
		employer := f.e.UserWithRole(web.RoleEmployer)

		check := func(endorsed bool) {
			t.Helper()
			statement := "Not endorsed by Skillgate — published by " + label
			if endorsed {
				statement = "Endorsed by Skillgate — published by " + label
			}
			for name, r := range map[string]apptest.Response{
				"by id":    f.e.Call("GET", api+"/verify/"+c.Code, "", nil),
				"by token": f.e.Call("POST", api+"/verify", "", map[string]any{"token": c.Token}),
				"batch":    f.e.Call("POST", api+"/verify/batch", employer.Token, map[string]any{"ids": []string{c.ID}}),
				"holder":   f.e.Call("GET", api+"/certificates/"+c.ID, learner.Token, nil),
			} {
				body := string(r.Body)
				if r.Status != 200 || !strings.Contains(body, `"publisher":{"name":"`+f.Trainer.Name+`","organization":"Acme Training"`) ||
					!strings.Contains(body, statement) || !strings.Contains(body, `"endorsed":`+map[bool]string{true: "true", false: "false"}[endorsed]) {
					t.Errorf("%s (endorsed %v): %d %s", name, endorsed, r.Status, body)
				}
			}
			page := string(f.e.Call("GET", "/verify/"+c.ID, "", nil).Body)
			if !strings.Contains(page, label) || strings.Contains(page, "Not endorsed") == endorsed || strings.Contains(page, "Endorsed by Skillgate") != endorsed {
				t.Errorf("page (endorsed %v): %s", endorsed, page)
			}
			pdf := pdfText(t, f.e.Call("GET", api+"/certificates/"+c.ID+"/pdf", learner.Token, nil))
			if !strings.Contains(pdf, "Published by "+label) || strings.Contains(pdf, "NOT endorsed by Skillgate") == endorsed {
				t.Errorf("PDF (endorsed %v): %s", endorsed, pdf)
			}
		}
		check(false)

		// The credential's achievement names its creator, and its id and
		// the issuer's id are URLs that answer, as JSON and as a page.
		p := payloadOf(t, c.Token)
		ach := p["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
		creator, _ := ach["creator"].(map[string]any)
		if creator == nil || creator["name"] != label || !strings.Contains(creator["description"].(string), "not endorsed") {
			t.Fatalf("achievement creator: %v", ach)
		}
		issuer := p["issuer"].(map[string]any)
		for _, id := range []string{ach["id"].(string), issuer["id"].(string)} {
			path := strings.TrimPrefix(id, "http://skillgate.test")
			if path == id || path == "" {
				t.Fatalf("id %q is not a URL of this service", id)
			}
			js := f.e.Do(apptest.Request{Method: "GET", Path: path, Headers: map[string]string{"Accept": "application/json"}})
			if js.Status != 200 || !strings.Contains(string(js.Body), `"id":"`+id+`"`) || !strings.Contains(js.Header.Get("Content-Type"), "json") {
				t.Fatalf("%s as JSON: %d %s", id, js.Status, js.Body)
			}
			if r := f.e.Call("GET", path, "", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"id":"`+id+`"`) {
				t.Fatalf("%s without Accept: %d %s", id, r.Status, r.Body)
			}
			html := f.e.Do(apptest.Request{Method: "GET", Path: path, Headers: map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}})
			if html.Status != 200 || !strings.Contains(html.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%s as a page: %d %s", id, html.Status, html.Body)
			}
		}
		achJSON := string(f.e.Do(apptest.Request{Method: "GET", Path: strings.TrimPrefix(ach["id"].(string), "http://skillgate.test"),
			Headers: map[string]string{"Accept": "application/json"}}).Body)
		if !strings.Contains(achJSON, `"achievementType":"Certification"`) || !strings.Contains(achJSON, label) {
			t.Fatalf("achievement JSON: %s", achJSON)
		}
		endorse := api + "/courses/" + f.CourseID + "/endorse"
		f.e.Scenarios(t, []apptest.Scenario{
			// Only the versions a course published have an achievement.
			{Name: "an unknown course's achievement", Method: "GET", Path: "/achievements/nope/v1", Status: 404, Problem: "not-found"},
			{Name: "a version never published", Method: "GET", Path: "/achievements/" + c.Course.Slug + "/v9", Status: 404, Problem: "not-found"},
			{Name: "a version without its v", Method: "GET", Path: "/achievements/" + c.Course.Slug + "/1", Status: 404, Problem: "not-found"},
			{Name: "by course id instead of slug", Method: "GET", Path: "/achievements/" + f.CourseID + "/v1", Status: 404, Problem: "not-found"},
			// Only an admin endorses; then every surface says so.
			{Name: "the course's trainer endorses", Method: "POST", Path: endorse, Token: f.Trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "a learner endorses", Method: "POST", Path: endorse, Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "anonymous endorses", Method: "POST", Path: endorse, Status: 401, Problem: "unauthenticated",
				Check: func(*testing.T, apptest.Response) { check(false) }},
			{Name: "endorse an unknown course", Method: "POST", Path: api + "/courses/nope/endorse", Token: admin.Token, Status: 404, Problem: "not-found"},
		})
		r := f.e.Call("POST", api+"/courses/"+f.CourseID+"/endorse", admin.Token, nil)
		if r.Status != 200 || !strings.Contains(string(r.Body), `"endorsed":true`) {
			t.Fatalf("endorse: %d %s", r.Status, r.Body)
		}
		if r := f.e.Call("GET", api+"/courses/"+f.CourseID, "", nil); !strings.Contains(string(r.Body), `"endorsed":true`) {
			t.Fatalf("course after endorsement: %s", r.Body)
		}
		check(true)
		// Withdrawn again.
		if r := f.e.Call("POST", api+"/courses/"+f.CourseID+"/endorse", admin.Token, map[string]any{"endorsed": false}); r.Status != 200 ||
			!strings.Contains(string(r.Body), `"endorsed":false`) {
			t.Fatalf("withdraw: %d %s", r.Status, r.Body)
		}
		check(false)

		// Built-in courses are the platform's own: endorsed.
		if err := f.e.Seed(ctx, io.Discard); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items []struct {
				Slug     string
				Endorsed *bool
			}
		}
		f.e.Call("GET", api+"/courses?limit=100", "", nil).JSON(t, &list)
		seen := 0
		for _, it := range list.Items {
			if it.Endorsed == nil {
				t.Fatalf("catalogue without endorsed: %+v", list)
			}
			if it.Slug == "data-confidentiality-essentials" {
				seen++
				if !*it.Endorsed {
					t.Fatalf("built-in course not endorsed: %+v", it)
				}
			}
			if it.Slug == c.Course.Slug && *it.Endorsed {
				t.Fatalf("look-alike endorsed: %+v", it)
			}
		}
		if seen != 1 {
			t.Fatalf("catalogue: %+v", list)
		}
	})
}
