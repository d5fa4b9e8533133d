package site_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
)

var attemptRe = regexp.MustCompile(`action="/attempts/([0-9a-f-]+)"`)

// answerForm turns the answers a test computes from the stored attempt
// into the attempt form's q-{question_id} fields.
func answerForm(e *apptest.Env, attemptID string, wrong int) url.Values {
	f := url.Values{}
	for _, a := range e.Answers(attemptID, wrong) {
		name := "q-" + a["question_id"].(string)
		if ids, ok := a["option_ids"].([]string); ok {
			f[name] = ids
			continue
		}
		f.Set(name, fmt.Sprint(a["value"]))
	}
	return f
}

// TestLearnerJourney walks the whole journey with scripting off: sign up,
// join, read, mark done, sit the final (fail once, see the rules, pass),
// certificate and account page.
func TestLearnerJourney(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		b := newBrowser(t, e)

		must(t, b.get("/"), 200, `<html lang="en"`, "Safe Data", "Sign in")
		p := b.signUp("Asha Devi", "asha@example.org")
		must(t, p, 200, "Welcome!", "Asha Devi", "Not you? Sign out")

		p = b.get("/courses/" + course.CourseID)
		must(t, p, 200, "Join this course")
		p = b.submit("/courses/"+course.CourseID+"/enroll", nil)
		must(t, p, 200, "Lesson 1 of 1", "Read.", "Mark as done")

		lessonPath := strings.TrimSuffix(regexp.MustCompile(`action="(/lessons/[^"]+)/complete"`).FindStringSubmatch(p.Body)[1], "/")
		p = b.submit(lessonPath+"/complete", nil)
		must(t, p, 200, "1 of 1 lessons done (100%)", "✓", "Take the final test")

		p = b.get("/assessments/" + course.FinalID)
		must(t, p, 200, "3 questions", "10 minutes", "60% or more", "You may try 3 times", "Used: 0. Left: 3.", "Start the test now")

		// First sitting: two of three wrong, sent without the confirm step.
		p = b.submit("/assessments/"+course.FinalID+"/start", nil)
		must(t, p, 200, "Ends at", `role="timer"`, `name="action" value="save"`, `name="action" value="submit"`)
		attemptID := attemptRe.FindStringSubmatch(p.Body)[1]
		f := answerForm(e, attemptID, 2)
		f.Set("action", "save")
		must(t, b.submit("/attempts/"+attemptID, f), 200, "Your answers are saved", "Answered 3 of 3")
		f.Set("action", "submit")
		p = b.submit("/attempts/"+attemptID, f)
		must(t, p, 200, "Not passed this time", "Used: 1. Left: 2.", "Try again", "The right answers are shown after you pass")
		mustNot(t, p, "Right answer:")

		// Second sitting: leave one unanswered, see the confirm step, go
		// back, answer it and pass.
		p = b.submit("/assessments/"+course.FinalID+"/start", nil)
		attemptID2 := attemptRe.FindStringSubmatch(p.Body)[1]
		if attemptID2 == attemptID {
			t.Fatal("the second start returned the graded attempt")
		}
		f = answerForm(e, attemptID2, 0)
		var skipped string
		for k := range f {
			skipped = k
			break
		}
		kept := f.Get(skipped)
		f.Del(skipped)
		f.Set("action", "submit")
		p = b.submit("/attempts/"+attemptID2, f)
		must(t, p, 200, "Send your answers?", "1 question has no answer.", "Send now")
		f = answerForm(e, attemptID2, 0)
		f.Set(skipped, kept)
		f.Set("action", "submit")
		f.Set("confirm", "yes")
		b.get("/attempts/" + attemptID2)
		p = b.submit("/attempts/"+attemptID2, f)
		must(t, p, 200, "You passed!", "100%", "See your certificate")

		p = b.get("/certificates")
		must(t, p, 200, "Safe Data", "SG-", "data:image/png;base64,", "/verify/", "Add to LinkedIn profile", "Download PDF")
		certID := regexp.MustCompile(`href="/certificates/([^/"]+)/pdf"`).FindStringSubmatch(p.Body)[1]
		pdf := b.do("GET", "/certificates/"+certID+"/pdf", nil)
		if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("pdf: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
		}

		p = b.get("/me")
		must(t, p, 200, "My account", "Asha Devi", "Who checked my certificates", "Download all my data", "Delete my account")
		exp := b.do("GET", "/me/export", nil)
		if exp.Status != 200 || !strings.Contains(exp.Body, "asha@example.org") {
			t.Fatalf("export: %d %s", exp.Status, exp.Body)
		}

		// Sign out: the session cookie is gone and the site is told to
		// clear what the browser cached.
		b.get("/")
		out := b.do("POST", "/logout", url.Values{"csrf": {csrfRe.FindStringSubmatch(b.last)[1]}})
		if out.Status != 303 || !strings.Contains(out.Header.Get("Clear-Site-Data"), "cache") {
			t.Fatalf("logout: %d %v", out.Status, out.Header)
		}
		must(t, b.get("/me"), 200, "Please sign in first.", `action="/login"`)
	})
}

// TestTimeUpShowsTheResult: once the deadline passes, saving is refused
// and the page says the time is up and shows the graded result.
func TestTimeUpShowsTheResult(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		b := newBrowser(t, e)
		b.signUp("Meena", "meena@example.org")
		b.get("/courses/" + course.CourseID)
		b.submit("/courses/"+course.CourseID+"/enroll", nil)
		b.get("/assessments/" + course.FinalID)
		p := b.submit("/assessments/"+course.FinalID+"/start", nil)
		attemptID := attemptRe.FindStringSubmatch(p.Body)[1]
		f := answerForm(e, attemptID, 0)
		f.Set("action", "save")
		e.Clock.Advance(11 * time.Minute)
		p = b.submit("/attempts/"+attemptID, f)
		must(t, p, 200, "Time is up", "Time was up", "Not passed this time")
	})
}

// TestPassBeforeLessonsEarnsWithTheLastLesson: a learner who passes the
// final before reading is told the certificate waits for the lessons, and
// gets it with the last one — never a pass that silently earns nothing.
func TestPassBeforeLessonsEarnsWithTheLastLesson(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		b := newBrowser(t, e)
		b.signUp("Pooja", "pooja@example.org")
		b.get("/courses/" + course.CourseID)
		p := b.submit("/courses/"+course.CourseID+"/enroll", nil)
		lesson := regexp.MustCompile(`action="(/lessons/[^"]+)/complete"`).FindStringSubmatch(p.Body)[1]
		p = b.get("/assessments/" + course.FinalID)
		must(t, p, 200, "the certificate waits until every lesson is marked as done")
		p = b.submit("/assessments/"+course.FinalID+"/start", nil)
		id := attemptRe.FindStringSubmatch(p.Body)[1]
		f := answerForm(e, id, 0)
		f.Set("action", "submit")
		p = b.submit("/attempts/"+id, f)
		must(t, p, 200, "You passed!", "Your certificate is waiting")
		mustNot(t, p, "See your certificate")
		b.get(lesson)
		p = b.submit(lesson+"/complete", nil)
		must(t, p, 200, "here is your certificate", "SG-")
	})
}
