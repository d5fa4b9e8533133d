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

// TestRefusedStaffFormsKeepWhatWasTyped: a staff form the service refuses
// comes back with what the trainer typed — not the defaults, not the
// stored values — and an edit form folded away is open again.
func TestRefusedStaffFormsKeepWhatWasTyped(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.NewSeeded(t, db)
		b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		course := newCourseOnPage(t, b, "typed")
		b.get(course)
		gift := "::Q1:: Lock your phone? {TRUE}\n\n::Q2:: Share your PIN? {FALSE}\n\n::Q3:: Pick safe {=PIN ~none}\n"
		must(t, b.submit(course+"/gift", url.Values{"confirm": {"yes"}, "gift": {gift}}), 201)
		p := b.submit(course+"/assessments", url.Values{"title": {"Final"}, "kind": {"final"}, "question_count": {"2"},
			"time_limit_minutes": {"10"}, "pass_percent": {"60"}, "max_attempts": {"3"}, "cooldown_minutes": {"0"}})
		must(t, p, 200)
		aid := regexp.MustCompile(`action="/staff/courses/[^/]+/assessments/([^/#"]+)#assessments"`).FindStringSubmatch(p.Body)[1]
		qid := regexp.MustCompile(`action="/staff/courses/[^/]+/questions/([^/#"]+)#questions"`).FindStringSubmatch(p.Body)[1]
		p = b.submit(course+"/modules", url.Values{"title": {"Basics"}})
		mid := regexp.MustCompile(`name="module_id"><option value="([^"]+)"`).FindStringSubmatch(p.Body)[1]

		long := strings.Repeat("t", 201)
		for _, tc := range []struct {
			name, path string
			form       url.Values
			want, not  []string
		}{
			{"new assessment", course + "/assessments", url.Values{"title": {"Final check"}, "kind": {"quiz"}, "question_count": {"0"},
				"time_limit_minutes": {"45"}, "pass_percent": {"72.5"}, "max_attempts": {"5"}, "cooldown_minutes": {"15"}},
				[]string{`id="atitle" name="title" value="Final check"`, `<option value="quiz" selected>`,
					`id="question_count" name="question_count" inputmode="numeric" value="0"`,
					`id="time_limit_minutes" name="time_limit_minutes" inputmode="numeric" value="45"`,
					`id="pass_percent" name="pass_percent" inputmode="decimal" value="72.5"`,
					`id="max_attempts" name="max_attempts" inputmode="numeric" value="5"`,
					`id="cooldown_minutes" name="cooldown_minutes" inputmode="numeric" value="15"`},
				[]string{`name="question_count" inputmode="numeric" value="20"`, `name="pass_percent" inputmode="decimal" value="80"`}},
			{"assessment edit", course + "/assessments/" + aid, url.Values{"title": {"Renamed final"}, "question_count": {"500"},
				"time_limit_minutes": {"25"}, "pass_percent": {"61"}, "max_attempts": {"4"}},
				[]string{`<details open><summary>Edit</summary>
<form method="post" action="/staff/courses/` + course[len("/staff/courses/"):] + `/assessments/` + aid,
					`name="title" value="Renamed final"`, `name="question_count" inputmode="numeric" value="500"`,
					`name="time_limit_minutes" inputmode="numeric" value="25"`, `name="pass_percent" inputmode="decimal" value="61"`,
					`name="max_attempts" inputmode="numeric" value="4"`},
				[]string{`name="time_limit_minutes" inputmode="numeric" value="10"`}},
			{"question", course + "/questions/" + qid, url.Values{"prompt": {"Typed prompt?"}, "explanation": {"Typed why."}, "points": {"-1"}},
				[]string{"Points must be a number above 0.", `name="prompt" rows="3" required>Typed prompt?</textarea>`,
					`name="explanation" rows="2">Typed why.</textarea>`, `name="points" inputmode="decimal" value="-1"`}, nil},
			{"question refused by the service", course + "/questions/" + qid, url.Values{"prompt": {" "}, "explanation": {"Kept."}, "points": {"2.5"}},
				[]string{"Please fix", `name="explanation" rows="2">Kept.</textarea>`, `name="points" inputmode="decimal" value="2.5"`}, nil},
			{"module", course + "/modules/" + mid, url.Values{"title": {"Typed module"}, "position": {"abc"}},
				[]string{`name="title" value="Typed module" required`, `name="position" inputmode="numeric" value="abc"`}, nil},
			{"new module", course + "/modules", url.Values{"title": {long}},
				[]string{`id="mtitle" name="title" value="` + long + `"`}, nil},
			{"course details", course, url.Values{"title": {long}, "summary": {"Typed summary."}, "language": {"hi"}, "estimated_minutes": {"90"}},
				[]string{`id="title" name="title" value="` + long + `"`, `rows="3">Typed summary.</textarea>`, `<option value="hi" selected>`,
					`name="estimated_minutes" inputmode="numeric" value="90"`}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				b.get(course + "?lang=en")
				p := b.submit(tc.path, tc.form)
				must(t, p, 422, tc.want...)
				mustNot(t, p, tc.not...)
			})
		}

		// The class forms: a new class keeps its name, courses and
		// language; a class's courses keep the ticks.
		b.get("/staff/classes?lang=en")
		p = b.submit("/staff/classes", url.Values{"name": {long}, "locale": {"en"}})
		must(t, p, 422, `value="`+long+`"`, `<option value="en" selected>English</option>`)
		p = b.submit("/staff/classes", url.Values{"name": {"Batch 8"}, "locale": {"hi"}})
		class := regexp.MustCompile(`action="(/staff/classes/[^/"]+)/courses"`).FindStringSubmatch(p.Body)
		ids := regexp.MustCompile(`name="course_ids" value="([^"]+)"`).FindAllStringSubmatch(p.Body, -1)
		if class == nil || len(ids) == 0 {
			t.Fatalf("class or courses missing: %d\n%s", p.Status, p.Body)
		}
		p = b.submit(class[1]+"/courses", url.Values{"course_ids": {ids[0][1], "no-such-course"}})
		must(t, p, 422, `name="course_ids" value="`+ids[0][1]+`" checked>`)
	})
}
