package site_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestTrainerFixesMistakesThroughPages: a trainer edits a lesson with the
// preview, moves and deletes it (only with the box ticked), renames and
// deletes modules, edits and deletes questions and assessments, all
// through the course page's forms; a form without its CSRF token changes
// nothing; the errors show in the page's language.
func TestTrainerFixesMistakesThroughPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		b.get("/staff/courses")
		p := b.submit("/staff/courses", url.Values{"title": {"Fixes"}, "slug": {"fixes"}, "summary": {"Fix it."}, "language": {"en"}})
		id := regexp.MustCompile(`action="/staff/courses/([^/"]+)/publish"`).FindStringSubmatch(p.Body)[1]
		course := "/staff/courses/" + id
		p = b.submit(course+"/modules", url.Values{"title": {"Basics"}})
		moduleID := regexp.MustCompile(`name="module_id"><option value="([^"]+)"`).FindStringSubmatch(p.Body)[1]
		for _, title := range []string{"First", "Second"} {
			p = b.submit(course+"/lessons", url.Values{"module_id": {moduleID}, "title": {title}, "body_markdown": {"Text of " + title}, "action": {"save"}})
			must(t, p, 200, "Lesson added")
		}
		lessonRe := regexp.MustCompile(`\?lesson=([^#"]+)#edit-lesson" aria-label="Edit: Second"`)
		second := lessonRe.FindStringSubmatch(p.Body)[1]

		// Open, preview (saves nothing), save with a new position.
		p = b.get(course + "?lesson=" + second)
		must(t, p, 200, `id="edit-lesson"`, "Text of Second")
		p = b.submit(course+"/lessons/"+second, url.Values{"title": {"Second, renamed"}, "position": {"1"},
			"body_markdown": {"**bold** <script>x()</script>"}, "action": {"preview"}})
		must(t, p, 200, "<strong>bold</strong>")
		mustNot(t, p, "<script>x()", "Lesson saved")
		if res := e.Call("GET", "/api/v1/lessons/"+second, "", nil); strings.Contains(string(res.Body), "renamed") {
			t.Fatal("the preview saved the lesson")
		}
		p = b.submit(course+"/lessons/"+second, url.Values{"title": {"Second, renamed"}, "position": {"1"},
			"body_markdown": {"**bold**"}, "action": {"save"}})
		must(t, p, 200, "Lesson saved")
		if i, j := strings.Index(p.Body, "Second, renamed"), strings.Index(p.Body, ">First"); i < 0 || j < 0 || i > j {
			t.Fatalf("the lesson did not move first:\n%s", p.Body)
		}
		// A blank title is refused beside the form, in the page's language.
		b.get(course + "?lesson=" + second + "&lang=hi")
		p = b.submit(course+"/lessons/"+second, url.Values{"title": {" "}, "body_markdown": {"x"}, "action": {"save"}})
		must(t, p, 422, "कृपया") // author.field_error in Hindi
		b.get(course + "?lang=en")

		// Delete without the box: refused, nothing deleted; with it: gone.
		p = b.submit(course+"/lessons/"+second+"/delete", nil)
		must(t, p, 422, "Tick the box", "Second, renamed")
		p = b.submit(course+"/lessons/"+second+"/delete", url.Values{"confirm": {"yes"}})
		must(t, p, 200, "Lesson deleted")
		mustNot(t, p, "Second, renamed")

		// A module with a lesson is not deleted; renamed it is.
		p = b.submit(course+"/modules/"+moduleID+"/delete", url.Values{"confirm": {"yes"}})
		must(t, p, 422, "move or delete them first")
		p = b.submit(course+"/modules/"+moduleID, url.Values{"title": {"Getting started"}, "position": {"1"}})
		must(t, p, 200, "Module saved", "Getting started")

		// Questions: imported, edited (prompt, explanation, points), deleted.
		gift := "::Q1:: Lock your phone? {TRUE}\n\n::Q2:: Share your PIN? {FALSE}\n\n::Q3:: Pick safe {=PIN ~none}\n"
		b.get(course)
		must(t, b.submit(course+"/gift", url.Values{"confirm": {"yes"}, "gift": {gift}}), 201, "3 questions imported")
		p = b.get(course)
		qids := regexp.MustCompile(`action="/staff/courses/[^/]+/questions/([^/#"]+)#questions"`).FindAllStringSubmatch(p.Body, -1)
		if len(qids) != 3 {
			t.Fatalf("question forms: %d\n%s", len(qids), p.Body)
		}
		q := qids[0][1]
		p = b.submit(course+"/questions/"+q, url.Values{"prompt": {"Lock it <em>always</em>?"}, "explanation": {"Locks stop strangers."}, "points": {"2"}})
		must(t, p, 200, "Question saved", "Lock it <em>always</em>?", "Locks stop strangers.")
		p = b.submit(course+"/questions/"+q, url.Values{"prompt": {" "}, "points": {"1"}})
		must(t, p, 422, "Please fix")
		p = b.submit(course+"/questions/"+qids[1][1]+"/delete", url.Values{"confirm": {"yes"}})
		must(t, p, 200, "Question deleted", "2 questions")

		// Assessments: more questions than the bank is refused; edit; delete.
		p = b.submit(course+"/assessments", url.Values{"title": {"Final"}, "kind": {"final"}, "question_count": {"2"},
			"time_limit_minutes": {"10"}, "pass_percent": {"60"}, "max_attempts": {"3"}, "cooldown_minutes": {"0"}})
		must(t, p, 200, "Assessment added")
		aid := regexp.MustCompile(`action="/staff/courses/[^/]+/assessments/([^/#"]+)#assessments"`).FindStringSubmatch(p.Body)[1]
		p = b.submit(course+"/assessments/"+aid, url.Values{"title": {"Final exam"}, "question_count": {"5"}, "time_limit_minutes": {"10"},
			"pass_percent": {"60"}, "max_attempts": {"3"}})
		must(t, p, 422, "asks for 5 questions")
		p = b.submit(course+"/assessments/"+aid, url.Values{"title": {"Final exam"}, "question_count": {"2"}, "time_limit_minutes": {"15"},
			"pass_percent": {"70"}, "max_attempts": {"2"}})
		must(t, p, 200, "Assessment saved", "Final exam", "15 minutes")

		// Without the CSRF token nothing changes.
		before := b.get(course).Body
		for _, path := range []string{"/lessons/" + second, "/modules/" + moduleID + "/delete", "/questions/" + q + "/delete",
			"/assessments/" + aid + "/delete"} {
			if res := b.do("POST", course+path, url.Values{"confirm": {"yes"}, "title": {"x"}}); res.Status != 403 {
				t.Fatalf("%s without CSRF: %d", path, res.Status)
			}
		}
		if after := b.get(course).Body; stripCSRF(after) != stripCSRF(before) {
			t.Fatal("a POST without CSRF changed the course")
		}
		p = b.submit(course+"/assessments/"+aid+"/delete", url.Values{"confirm": {"yes"}})
		must(t, p, 200, "Assessment deleted")
		mustNot(t, p, "Final exam")

		// Another trainer cannot edit it.
		other := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		other.get("/staff/courses")
		if res := other.submit(course+"/questions/"+q+"/delete", url.Values{"confirm": {"yes"}}); res.Status != 404 {
			t.Fatalf("another trainer deletes a question: %d", res.Status)
		}
		must(t, b.get(course), 200, "Lock it <em>always</em>?")
	})
}

var csrfValueRe = regexp.MustCompile(`name="csrf" value="[^"]*"`)

func stripCSRF(s string) string { return csrfValueRe.ReplaceAllString(s, "") }
