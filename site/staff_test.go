package site_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	pdfreader "github.com/ledongthuc/pdf"
	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// signInAs signs a browser in with an account made by apptest.
func signInAs(t *testing.T, e *apptest.Env, u apptest.User) *browser {
	t.Helper()
	b := newBrowser(t, e)
	b.get("/login")
	p := b.submit("/login", url.Values{"login": {u.Email}, "password": {u.Password}})
	if p.Status != 200 {
		t.Fatalf("sign in %s: %d %s", u.Email, p.Status, p.Body)
	}
	return b
}

// upload posts a multipart form with one file, with the last page's token.
func (b *browser) upload(path, field, filename, content string, fields url.Values) page {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("csrf", csrfRe.FindStringSubmatch(b.last)[1])
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile(field, filename)
	_, _ = io.WriteString(fw, content)
	_ = w.Close()
	r := httptest.NewRequest("POST", path, &buf)
	r.Header.Set("Content-Type", w.FormDataContentType())
	var cs []string
	for k, v := range b.cookies {
		cs = append(cs, k+"="+v)
	}
	r.Header.Set("Cookie", strings.Join(cs, "; "))
	resp, err := b.e.App.Test(r, -1)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	p := page{Status: resp.StatusCode, Body: string(raw), Header: resp.Header}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b.last = p.Body
	}
	return p
}

// TestStaffPagesByRole: learners never reach staff pages; each role sees
// its own.
func TestStaffPagesByRole(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	learner := newBrowser(t, e)
	learner.signUp("Asha", "asha@example.org")
	for _, path := range []string{"/staff", "/staff/verify", "/staff/courses", "/staff/users"} {
		must(t, learner.get(path), 403)
	}
	emp := signInAs(t, e, e.UserWithRole(web.RoleEmployer))
	must(t, emp.get("/staff"), 200, "/staff/verify")
	must(t, emp.get("/staff/courses"), 403)
	must(t, emp.get("/staff/users"), 403)
	tr := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
	must(t, tr.get("/staff/courses"), 200, "New course")
	must(t, tr.get("/staff/verify"), 403)
	anon := newBrowser(t, e)
	must(t, anon.get("/staff/courses"), 200, `action="/login"`)
}

// TestEmployerVerifies: by a code read aloud (spaces, lower case), by a
// CSV file with a CSV of results, and the organization's trail.
func TestEmployerVerifies(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		learner := e.Learner()
		certID := course.Earn(learner)
		var cert struct{ Code string }
		e.Call("GET", "/api/v1/certificates/"+certID, learner.Token, nil).JSON(t, &cert)

		b := signInAs(t, e, e.UserWithRole(web.RoleEmployer))
		b.get("/staff/verify")
		spoken := strings.ToLower(strings.ReplaceAll(cert.Code, "-", " "))
		p := b.submit("/staff/verify", url.Values{"code": {spoken}})
		must(t, p, 200, "VALID", learner.Name, "Safe Data", "Published by")
		p = b.submit("/staff/verify", url.Values{"code": {"SG-0000-0000"}})
		must(t, p, 404, "No certificate has this code")

		b.get("/staff/verify")
		csvFile := "code\n" + cert.Code + "\n=HYPERLINK(\"x\")\n"
		p = b.upload("/staff/verify/batch", "file", "codes.csv", csvFile, nil)
		must(t, p, 200, "VALID", "UNKNOWN")
		p = b.upload("/staff/verify/batch", "file", "codes.csv", csvFile, url.Values{"format": {"csv"}})
		if p.Status != 200 || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s", p.Status, p.Header.Get("Content-Type"))
		}
		if !strings.Contains(p.Body, cert.Code+",true,VALID") || strings.Contains(p.Body, "\n=HYPERLINK") {
			t.Fatalf("csv body:\n%s", p.Body)
		}
		must(t, b.get("/staff/trail"), 200, "checked a certificate")

		// The learner sees who checked her.
		lb := signInAs(t, e, learner)
		must(t, lb.get("/me"), 200, "checked a certificate")
	})
}

// TestTrainerAuthorsThroughPages: a course from nothing to published
// through the pages alone, with the Markdown preview and the GIFT preview
// that saves nothing until confirmed.
func TestTrainerAuthorsThroughPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		b.get("/staff/courses")
		p := b.submit("/staff/courses", url.Values{"title": {"Phone Safety"}, "slug": {"phone-safety"}, "summary": {"Stay safe."}, "language": {"en"}})
		must(t, p, 200, "Course created", "Phone Safety", "Publish this version")
		id := regexp.MustCompile(`action="/staff/courses/([^/"]+)/publish"`).FindStringSubmatch(p.Body)[1]
		p = b.submit("/staff/courses/"+id+"/modules", url.Values{"title": {"Basics"}})
		must(t, p, 200, "Module added", "Basics")
		moduleID := regexp.MustCompile(`name="module_id"><option value="([^"]+)"`).FindStringSubmatch(p.Body)[1]
		p = b.submit("/staff/courses/"+id+"/lessons", url.Values{"module_id": {moduleID}, "title": {"Locks"}, "body_markdown": {"# Lock it\n\n**always**\n\n<script>x()</script>"}, "action": {"preview"}})
		must(t, p, 200, "<h1>Lock it</h1>", "<strong>always</strong>")
		mustNot(t, p, "<script>x()")
		p = b.submit("/staff/courses/"+id+"/lessons", url.Values{"module_id": {moduleID}, "title": {"Locks"}, "body_markdown": {"Lock your phone."}, "action": {"save"}})
		must(t, p, 200, "Lesson added", "Locks")

		gift := "::Q1:: Lock your phone? {TRUE}\n\n::Q2:: Share your PIN? {FALSE}\n\n::Q3:: Pick safe {=PIN ~none}\n"
		p = b.upload("/staff/courses/"+id+"/gift", "file", "bank.gift", gift, nil)
		must(t, p, 200, "Import these 3 questions", "Q1")
		if res := e.Call("GET", "/api/v1/courses/"+id+"/questions", "", nil); strings.Contains(string(res.Body), "Q1") {
			t.Fatal("the preview saved questions")
		}
		p = b.submit("/staff/courses/"+id+"/gift", url.Values{"confirm": {"yes"}, "gift": {gift}})
		must(t, p, 201, "3 questions imported")
		bad := b.upload("/staff/courses/"+id+"/gift", "file", "bad.gift", "::Q:: broken {=a ~b\n", nil)
		must(t, bad, 200, "Line 1")
		mustNot(t, bad, "Import these")

		b.get("/staff/courses/" + id)
		p = b.submit("/staff/courses/"+id+"/assessments", url.Values{"title": {"Final"}, "kind": {"final"}, "question_count": {"3"},
			"time_limit_minutes": {"10"}, "pass_percent": {"60"}, "max_attempts": {"3"}, "cooldown_minutes": {"0"}})
		must(t, p, 200, "Assessment added", "Item statistics")
		p = b.submit("/staff/courses/"+id+"/publish", nil)
		must(t, p, 200, "Published", "version 1 published")
		must(t, newBrowser(t, e).get("/courses/phone-safety"), 200, "Phone Safety", "Locks")

		statsPath := regexp.MustCompile(`href="(/staff/courses/[^"]+/statistics)"`).FindStringSubmatch(p.Body)[1]
		must(t, b.get(statsPath), 200, "Item statistics", "0 graded attempts")

		// Another trainer cannot open it.
		other := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		must(t, other.get("/staff/courses/"+id), 404)
	})
}

// TestAdminPages: people, organizations, tiers; and a trainer withdraws a
// certificate with its public category.
func TestAdminPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := signInAs(t, e, e.UserWithRole(web.RoleAdmin))
		b.get("/staff/organizations")
		must(t, b.submit("/staff/organizations", url.Values{"name": {"Acme Data"}}), 200, "Acme Data")
		b.get("/staff/users")
		orgID := regexp.MustCompile(`<option value="([^"]+)">Acme Data</option>`).FindStringSubmatch(b.last)[1]
		p := b.submit("/staff/users", url.Values{"name": {"Ravi"}, "email": {"ravi@example.org"}, "role": {"employer"},
			"organization_id": {orgID}, "password": {"a long first password 7"}})
		must(t, p, 200, "Account created", "ravi@example.org")
		p = b.submit("/staff/users", url.Values{"name": {"Ravi"}, "email": {"ravi@example.org"}, "role": {"employer"},
			"organization_id": {orgID}, "password": {"a long first password 7"}})
		must(t, p, 422, "already has an account")

		ravi := newBrowser(t, e)
		ravi.get("/login")
		must(t, ravi.submit("/login", url.Values{"login": {"ravi@example.org"}, "password": {"a long first password 7"}}), 200, "Staff")
		b.get("/staff/users")
		m := regexp.MustCompile(`action="(/staff/users/[^/"]+/disable)"><input type="hidden" name="csrf" value="[^"]+"><input type="hidden" name="disabled" value="true">`).FindAllStringSubmatch(b.last, -1)
		var target string
		for _, x := range m {
			if strings.Contains(b.last[strings.Index(b.last, x[0])-400:strings.Index(b.last, x[0])], "ravi@example.org") {
				target = x[1]
			}
		}
		if target == "" {
			t.Fatal("no disable button for ravi")
		}
		must(t, b.submit(target, url.Values{"disabled": {"true"}}), 200, "Account disabled")
		must(t, ravi.get("/staff"), 200, `action="/login"`)

		// Trainer withdraws a certificate of her course.
		course := e.NewCertificateCourse()
		learner := e.Learner()
		certID := course.Earn(learner)
		tb := signInAs(t, e, course.Trainer)
		tb.get("/staff/revoke")
		p = tb.submit("/staff/revoke", url.Values{"code": {certID}, "category": {"misconduct"}, "reason": {"answers shared in a group chat"}})
		must(t, p, 422, "Tick the box")
		p = tb.submit("/staff/revoke", url.Values{"code": {certID}, "category": {"misconduct"}, "reason": {"answers shared in a group chat"}, "confirm": {"yes"}})
		if p.Status != 200 || strings.Contains(p.Body, "answers shared in a group chat") {
			t.Fatalf("the public page after revocation: %d\n%s", p.Status, p.Body)
		}
	})
}

// TestClassFromCSVToCertificates: a trainer makes a class from a CSV file
// (a bad file is refused whole, with its lines), prints cards, a learner
// signs in with hers, passes, and appears in the progress table and its
// CSV.
func TestClassFromCSVToCertificates(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		b := signInAs(t, e, course.Trainer)
		b.get("/staff/classes")
		p := b.submit("/staff/classes", url.Values{"name": {"Batch 9"}, "course_ids": {course.CourseID}, "locale": {"hi"}})
		must(t, p, 200, "Class created", "Batch 9")
		classPath := regexp.MustCompile(`action="(/staff/classes/[^/"]+)/learners"`).FindStringSubmatch(p.Body)[1]

		bad := "name,email\nSunita Kumari,not-an-email\n,\nRekha,rekha@example.org\n"
		p = b.upload(classPath+"/learners", "file", "batch.csv", bad, nil)
		must(t, p, 422, "Nothing was added", "Line 2")
		good := "name,username\nSunita Kumari,\nRekha Devi,rekha.d\n"
		p = b.upload(classPath+"/learners", "file", "batch.csv", good, nil)
		must(t, p, 200, "2 learners added", "rekha.d")
		p = b.upload(classPath+"/learners", "file", "batch.csv", good, nil)
		must(t, p, 200, "2 rows named learners already in the class")

		pdf := b.upload(classPath+"/cards", "file", "none", "", nil)
		if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF") {
			t.Fatalf("cards: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
		}

		// Rekha signs in with a fresh card (issued through the API here, to
		// read its secret) and passes.
		var class struct {
			ID       string
			Learners []struct{ ID, Username string }
		}
		id := strings.TrimPrefix(classPath, "/staff/classes/")
		e.Call("GET", "/api/v1/classes/"+id, course.Trainer.Token, nil).JSON(t, &class)
		var rekha string
		for _, l := range class.Learners {
			if l.Username == "rekha.d" {
				rekha = l.ID
			}
		}
		res := e.Do(apptest.Request{Method: "POST", Path: "/api/v1/classes/" + id + "/cards", Token: course.Trainer.Token,
			Body: map[string]any{"learner_ids": []string{rekha}}, Headers: map[string]string{"Accept": "application/json"}})
		var cards struct {
			Cards []struct {
				SignInURL string `json:"sign_in_url"`
			}
		}
		res.JSON(t, &cards)
		lb := newBrowser(t, e)
		must(t, lb.get(strings.TrimPrefix(cards.Cards[0].SignInURL, "http://skillgate.test")), 200, "Rekha Devi")
		p = lb.get("/courses/" + course.CourseID)
		must(t, p, 200, "Safe Data")
		mustNot(t, p, "/enroll\"") // the class enrolled her
		lesson := regexp.MustCompile(`href="(/lessons/[^"]+)"`).FindStringSubmatch(p.Body)[1]
		lb.get(lesson)
		lb.submit(lesson+"/complete", nil)
		lb.get("/assessments/" + course.FinalID)
		p = lb.submit("/assessments/"+course.FinalID+"/start", nil)
		attemptID := attemptRe.FindStringSubmatch(p.Body)[1]
		f := answerForm(e, attemptID, 0)
		f.Set("action", "submit")
		must(t, lb.submit("/attempts/"+attemptID, f), 200, "पास हो गए")

		p = b.get(classPath + "/progress")
		must(t, p, 200, "Rekha Devi", "100%", "certificate", "Sunita Kumari")
		csvOut := b.do("GET", classPath+"/progress?format=csv", nil)
		if !strings.HasPrefix(csvOut.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csvOut.Body, "rekha.d") {
			t.Fatalf("progress csv: %s", csvOut.Body)
		}

		// Another trainer sees none of it.
		other := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		must(t, other.get(classPath), 404)
	})
}

// TestEmployerSendsATestEvent: the webhooks page adds a receiver, shows
// its secret once, and sends it a signed test event through the outbox.
func TestEmployerSendsATestEvent(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	got := make(chan string, 1)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Skillgate-Signature") != "" {
			got <- string(body)
		}
		w.WriteHeader(204)
	}))
	defer recv.Close()
	b := signInAs(t, e, e.UserWithRole(web.RoleEmployer))
	b.get("/staff/webhooks")
	p := b.submit("/staff/webhooks", url.Values{"url": {recv.URL + "/hook"}})
	must(t, p, 201, "shown only now", recv.URL+"/hook", "Send a test event")
	test := regexp.MustCompile(`action="(/staff/webhooks/[^/"]+/test)"`).FindStringSubmatch(p.Body)[1]
	must(t, b.submit(test, nil), 200, "test event")
	if _, err := e.Tiers.DeliverDue(apptest.Context(t)); err != nil {
		t.Fatal(err)
	}
	select {
	case body := <-got:
		if !strings.Contains(body, `"type":"webhook.test"`) {
			t.Fatalf("event: %s", body)
		}
	default:
		t.Fatal("the receiver got no signed event")
	}
	// Another organization's employer cannot send to it.
	other := signInAs(t, e, e.UserWithRole(web.RoleEmployer))
	other.get("/staff/webhooks")
	must(t, other.submit(test, nil), 404)
}

// TestBatchOfSixty: a centre's batch of 60 learners, half with Devanagari
// names and none with email, goes in from one CSV through the class page;
// their cards print on eight A4 sheets; re-sending the file adds no one.
func TestBatchOfSixty(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	course := e.NewCertificateCourse()
	b := signInAs(t, e, course.Trainer)
	b.get("/staff/classes")
	p := b.submit("/staff/classes", url.Values{"name": {"Batch of sixty"}, "course_ids": {course.CourseID}, "locale": {"hi"}})
	classPath := regexp.MustCompile(`action="(/staff/classes/[^/"]+)/learners"`).FindStringSubmatch(p.Body)[1]
	var csvFile strings.Builder
	csvFile.WriteString("name\n")
	hindi := []string{"सीता देवी", "प्रिया शर्मा", "किरण कुमारी", "श्री लक्ष्मी", "रेखा"}
	for i := 0; i < 60; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&csvFile, "%s %d\n", hindi[i%len(hindi)], i)
		} else {
			fmt.Fprintf(&csvFile, "Learner Number %d\n", i)
		}
	}
	p = b.upload(classPath+"/learners", "file", "batch.csv", csvFile.String(), nil)
	must(t, p, 200, "60 learners added and enrolled")
	p = b.upload(classPath+"/learners", "file", "batch.csv", csvFile.String(), nil)
	must(t, p, 200, "60 rows named learners already in the class")
	pdf := b.upload(classPath+"/cards", "file", "none", "", nil)
	if pdf.Status != 200 || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Fatalf("cards: %d", pdf.Status)
	}
	doc, err := pdfreader.NewReader(strings.NewReader(pdf.Body), int64(len(pdf.Body)))
	if err != nil {
		t.Fatalf("cards PDF: %v", err)
	}
	if pages := doc.NumPage(); pages != 8 {
		t.Errorf("%d pages of cards for 60 learners at 8 a page, want 8", pages)
	}
	p = b.get(classPath + "/progress")
	if n := strings.Count(p.Body, "<tr><th scope=\"row\">"); n != 60 {
		t.Fatalf("progress table has %d learners, want 60", n)
	}
}
