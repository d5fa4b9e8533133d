package site_test

// End-to-end tests in a real browser (headless Chromium through chromedp,
// see e2e_browser_test.go): the learner's whole journey on a 360×740 phone,
// with scripting on and off, in English and in Hindi (on the first
// database all four, on the others English with scripting on and Hindi
// with it off); once over a 2G connection and, on every database, once
// losing the connection in the middle of the final. Every page is weighed from the browser's network events;
// on the first database each page is also checked with axe-core (in each
// language and each scripting state) and saved as a screenshot
// ($SKILLGATE_SCREENSHOTS, or a temporary folder named when a test fails).

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/assessments"
)

func TestE2E(t *testing.T) {
	browserContext(t) // skip (or fail under CI=true) before any setup
	first := true
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		// The accessibility check and the screenshots do not depend on
		// the database: they run on the first one only, where each page
		// is checked in both languages and both scripting states.
		extra := first
		first = false
		srv := startServer(t, db)
		course := srv.e.NewCertificateCourse()
		var weights []pageWeight
		// The 2G phone spends its time waiting on the slow network: it
		// walks beside the others, which go one after the other (the
		// renderer needs the CPU).
		var wg sync.WaitGroup
		if extra {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t.Run("2G", func(t *testing.T) {
					tb := newTab(t, srv, tabOptions{lang: "en", scripts: true})
					throttle(tb, false)
					walkJourney(t, tb, course)
				})
			}()
		}
		for _, lang := range []string{"en", "hi"} {
			for _, scripts := range []bool{true, false} {
				if !extra && (lang == "en") != scripts {
					// The other databases walk two phones, both
					// languages and both scripting states, to keep the
					// run short on a small machine.
					continue
				}
				name := fmt.Sprintf("journey/%s/scripts-%s", lang, map[bool]string{true: "on", false: "off"}[scripts])
				t.Run(name, func(t *testing.T) {
					// The English phone with scripting on loads every
					// page as a first visit (the service worker bypassed)
					// and is weighed; the Hindi one goes through the worker.
					tb := newTab(t, srv, tabOptions{lang: lang, scripts: scripts, bypassWorker: lang == "en",
						audit: extra && (lang == "en") == scripts, screenshots: extra})
					w := walkJourney(t, tb, course)
					if lang == "en" && scripts {
						weights = w
					}
					if lang == "hi" && scripts && !slices.ContainsFunc(w, func(p pageWeight) bool { return p.viaWorker }) {
						t.Errorf("no page came through the service worker")
					}
				})
			}
		}
		if extra {
			// The accessibility check can fail: a page given an
			// unlabelled field and an image without text fails it.
			t.Run("axe-sees-violations", func(t *testing.T) {
				tb := newTab(t, srv, tabOptions{lang: "en", scripts: true})
				tb.open("/")
				tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("main").insertAdjacentHTML("beforeend",
					'<input name="nolabel"><img src="/static/none.png" width="40" height="40">')`))
				var ids []string
				for _, v := range tb.axeViolations() {
					ids = append(ids, v.ID)
				}
				if !slices.Contains(ids, "label") || !slices.Contains(ids, "image-alt") {
					t.Fatalf("axe-core missed the violations planted in the page: %v", ids)
				}
			})
		}
		t.Run("offline-during-the-final", func(t *testing.T) {
			offlineAttempt(t, newTab(t, srv, tabOptions{lang: "en", scripts: true, audit: extra, screenshots: extra}), course)
		})
		wg.Wait()
		if len(weights) > 0 {
			var b strings.Builder
			b.WriteString("page weights on a first visit, scripting on, from the browser's network events:\n")
			for _, w := range weights {
				fmt.Fprintf(&b, "  %-15s %5.1f KB  %d requests\n", w.name, w.bytes/1024, w.requests)
			}
			t.Log(b.String())
		}
	})
}

// learner is the account a journey makes.
type learner struct{ name, email string }

// walkJourney signs up, joins the course, reads and marks the lesson,
// fails the final once, reads the rules, passes, opens the certificate and
// the account page and signs out, checking each page on the way. It
// returns the weight of each page.
func walkJourney(t *testing.T, tb *tab, course *apptest.CertificateCourse) []pageWeight {
	l := tb.lang
	var weights []pageWeight
	pg := func(name string) { weights = append(weights, tb.page(name)) }

	// The catalogue, in the language asked for.
	q := ""
	if l != "en" {
		q = "?lang=" + l
	}
	tb.open("/" + q)
	tb.sees(msg(t, l, "catalogue.title"), "Safe Data", msg(t, l, "nav.login"))
	pg("catalogue")

	// Sign up.
	tb.click(`header a[href="/signup"]`)
	tb.sees(msg(t, l, "signup.title"))
	pg("signup")
	me := learner{name: map[string]string{"en": "Asha Devi", "hi": "आशा देवी"}[l],
		email: fmt.Sprintf("%s@example.org", strings.NewReplacer("/", ".", " ", ".").Replace(strings.ToLower(t.Name())))}
	tb.typeInto("#name", me.name)
	tb.typeInto("#email", me.email)
	tb.typeInto("#password", apptest.TestPassword)
	tb.click(`form[action="/signup"] button`)
	if tb.path() != "/" {
		tb.fatalf("after sign-up the learner is at %s, want /", tb.path())
	}
	tb.sees(msg(t, l, "flash.welcome"), msg(t, l, "nav.signed_in_as", "Name", me.name), msg(t, l, "nav.not_you"))
	pg("welcome")

	// The course: outline, join.
	tb.click(`.cards a[href^="/courses/"]`)
	tb.sees("Safe Data", msg(t, l, "course.outline"), msg(t, l, "course.enroll"))
	pg("course")
	tb.click(`form[action$="/enroll"] button`)

	// The lesson: read it, mark it done.
	if !strings.HasPrefix(tb.path(), "/lessons/") {
		tb.fatalf("joining led to %s, not the first lesson", tb.path())
	}
	tb.sees(msg(t, l, "flash.enrolled"), msg(t, l, "lesson.of", "N", 1, "Total", 1), "Read.", msg(t, l, "lesson.done"))
	pg("lesson")
	tb.click(`form[action$="/complete"] button`)
	tb.sees(msg(t, l, "flash.lesson_done"), "✓ "+msg(t, l, "course.lesson_done"), msg(t, l, "course.take_final"))
	pg("lesson-done")

	// The final's rules, then the first sitting: two of three wrong.
	tb.click(`a.btn[href^="/assessments/"]`)
	rules := func(used, left int) {
		tb.sees(msg(t, l, "exam.rules"), msg(t, l, "exam.pass_mark", "Percent", 60),
			msg(t, l, "exam.attempts_used", "Used", used, "Left", left), msg(t, l, "exam.server_clock"))
	}
	rules(0, 3)
	tb.doesNotSee(msg(t, l, "flash.lesson_done")) // a message is shown once
	pg("rules")
	tb.click(`form[action$="/start"] button`)
	first := tb.attempt()
	pg("attempt")
	tb.answer(first, 2, nil)
	tb.click(`button[name="action"][value="submit"]`)
	if tb.path() != "/attempts/"+first {
		tb.fatalf("after sending, the learner is at %s", tb.path())
	}
	tb.sees(msg(t, l, "flash.submitted"), msg(t, l, "exam.failed"), msg(t, l, "exam.attempts_used", "Used", 1, "Left", 2),
		msg(t, l, "exam.try_again"), msg(t, l, "exam.review_hidden"))
	if strings.Contains(tb.text(), msg(t, l, "exam.right_answer")+": ") {
		tb.fatalf("the review shows the right answers before a pass")
	}
	pg("result-failed")

	// See the rules again, then sit the final a second time: send it with
	// one question left, meet the confirm step, go back, answer it, pass.
	tb.click(`.crumb a`)
	tb.click(`a.btn[href^="/assessments/"]`)
	rules(1, 2)
	pg("rules-again")
	tb.click(`form[action$="/start"] button`)
	second := tb.attempt()
	if second == first {
		tb.fatalf("the second start returned the graded attempt")
	}
	skipped := tb.answer(second, 0, func(i int) bool { return i == 1 })
	tb.click(`button[name="action"][value="submit"]`)
	tb.sees(msg(t, l, "exam.confirm_title"), msg(t, l, "exam.unanswered.one", "Count", 1))
	pg("confirm")
	tb.click(`a.btn[href="/attempts/` + second + `"]`)
	tb.answerOnly(second, skipped)
	tb.click(`button[name="action"][value="submit"]`)
	tb.sees(msg(t, l, "exam.passed"), msg(t, l, "exam.see_certificate"))
	pg("result-passed")

	// The certificate: its code in large type, QR, PDF, verification.
	tb.click(`a.btn[href="/certificates"]`)
	tb.sees("Safe Data", msg(t, l, "certs.pdf"), msg(t, l, "certs.linkedin"))
	tb.doesNotSee(msg(t, l, "flash.submitted"))
	code := eval[string](tb, `document.querySelector(".cert .code").innerText`)
	if !strings.HasPrefix(code, "SG-") {
		tb.fatalf("certificate code %q", code)
	}
	if alt := tb.attr(".cert img", "alt"); alt == "" || !strings.HasPrefix(tb.attr(".cert img", "src"), "data:image/png;base64,") {
		tb.fatalf("the QR code is missing or has no text alternative")
	}
	pg("certificates")

	// The account page: tier, who checked, language, password, data.
	tb.click(`header a[href="/me"]`)
	tb.sees(msg(t, l, "me.title"), me.name, msg(t, l, "me.export"), msg(t, l, "me.delete"))
	pg("me")

	// Not you? Sign out: the next person finds nothing.
	tb.click(`form.who button`)
	tb.sees(msg(t, l, "flash.signed_out"), msg(t, l, "login.title"))
	pg("signed-out")
	tb.open("/me")
	if !strings.HasPrefix(tb.path(), "/login") {
		tb.fatalf("after sign-out /me shows %s", tb.path())
	}
	tb.takeRequests()
	return weights
}

var attemptAction = regexp.MustCompile(`^/attempts/([0-9a-f-]+)$`)

// attempt checks the attempt page just loaded and returns its id.
func (tb *tab) attempt() string {
	tb.t.Helper()
	t, l := tb.t, tb.lang
	m := attemptAction.FindStringSubmatch(tb.attr("form#exam", "action"))
	if m == nil {
		tb.fatalf("no attempt form on %s", tb.path())
	}
	if tb.attr("#timer", "role") != "timer" {
		tb.fatalf("no role=timer")
	}
	tb.sees(msg(t, l, "exam.save"), msg(t, l, "exam.submit"))
	shown := eval[bool](tb, `!document.getElementById("timer").hidden`)
	if shown != tb.scripts {
		tb.fatalf("the countdown is shown: %v, scripting on: %v", shown, tb.scripts)
	}
	if tb.scripts {
		// The countdown runs from the server's deadline: 10 minutes.
		left := run(tb, chromedp.Poll[string](`(t => /^(10:00|9:[0-5][0-9])$/.test(t) && t)(document.getElementById("timer").textContent)`,
			chromedp.WithPollingTimeout(actionTimeout)))
		if left == "" {
			tb.fatalf("countdown shows nothing")
		}
		tb.sees(msg(t, l, "exam.hide_timer"))
	}
	return m[1]
}

// answer fills the attempt's form as the learner would, from the answers
// the server's stored form says are right (the first `wrong` of them
// wrong), leaving out the questions skip names; it returns the answers
// left out. With scripting on it waits for autosave to store them.
func (tb *tab) answer(attemptID string, wrong int, skip func(i int) bool) []map[string]any {
	tb.t.Helper()
	var left, done []map[string]any
	for i, a := range tb.srv.e.Answers(attemptID, wrong) {
		if skip != nil && skip(i) {
			left = append(left, a)
			continue
		}
		done = append(done, a)
	}
	tb.fill(done)
	tb.autosaved(attemptID, done)
	return left
}

func (tb *tab) answerOnly(attemptID string, answers []map[string]any) {
	tb.t.Helper()
	tb.fill(answers)
	tb.autosaved(attemptID, answers)
}

func (tb *tab) fill(answers []map[string]any) {
	tb.t.Helper()
	for _, a := range answers {
		name := "q-" + a["question_id"].(string)
		if ids, ok := a["option_ids"].([]string); ok {
			for _, id := range ids {
				tb.do(tb.tap(fmt.Sprintf(`input[name=%q][value=%q]`, name, id)))
			}
			continue
		}
		v := a["value"].(string)
		if v == "true" || v == "false" {
			tb.do(tb.tap(fmt.Sprintf(`input[name=%q][value=%q]`, name, v)))
			continue
		}
		sel := fmt.Sprintf(`input[name=%q]`, name)
		tb.typeInto(sel, v)
		// A text field reports its change when it loses the focus.
		tb.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).blur()`, sel)))
	}
}

// autosaved waits, with scripting on, until the server has the answers
// (autosave sends each change after 400 ms) and the page says they are
// saved.
func (tb *tab) autosaved(attemptID string, answers []map[string]any) {
	tb.t.Helper()
	if !tb.scripts || len(answers) == 0 {
		return
	}
	deadline := time.Now().Add(actionTimeout)
	for {
		stored, missing := tb.storedAnswers(attemptID), ""
		for _, a := range answers {
			if _, ok := stored[a["question_id"].(string)]; !ok {
				missing = a["question_id"].(string)
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			tb.fatalf("autosave never sent the answer to %s (the server has %v)", missing, stored)
		}
		time.Sleep(100 * time.Millisecond)
	}
	ok := run(tb, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById("announce").textContent === %q && !localStorage.getItem("sg-queue:/attempts/%s")`,
		msg(tb.t, tb.lang, "exam.autosaved"), attemptID), chromedp.WithPollingTimeout(actionTimeout)))
	if !ok {
		tb.fatalf("the page does not say the answers are saved")
	}
}

// storedAnswers reads the attempt's answers as the server keeps them.
func (tb *tab) storedAnswers(attemptID string) map[string]string {
	tb.t.Helper()
	a, err := assessments.NewStore(tb.srv.e.DB).Attempt(context.Background(), attemptID)
	if err != nil {
		tb.t.Fatalf("attempt %s: %v", attemptID, err)
	}
	out := map[string]string{}
	for id, r := range a.Answers {
		switch {
		case len(r.OptionIDs) > 0:
			ids := slices.Clone(r.OptionIDs)
			sort.Strings(ids)
			out[id] = strings.Join(ids, ",")
		case r.Value != nil && strings.TrimSpace(*r.Value) != "":
			out[id] = *r.Value
		}
	}
	return out
}

// throttle makes the phone's connection 2G (250 kbit/s down, 50 up, 300 ms
// of latency), or takes it away.
func throttle(tb *tab, offline bool) {
	tb.t.Helper()
	c := network.Conditions{Latency: 300, DownloadThroughput: 250 * 1000 / 8, UploadThroughput: 50 * 1000 / 8,
		ConnectionType: network.ConnectionTypeCellular2g, Offline: offline}
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offline, MatchedNetworkConditions: []*network.Conditions{&c}}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline,
			Latency: c.Latency, DownloadThroughput: c.DownloadThroughput, UploadThroughput: c.UploadThroughput,
			ConnectionType: c.ConnectionType})
		return err
	}))
}

// unthrottle gives the phone its connection back.
func unthrottle(tb *tab) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{}}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: false,
			Latency: 0, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// offlineAttempt loses the connection in the middle of the final: the
// page says so, an answer given offline is kept on the phone and not yet
// on the server; when the connection returns it is sent, and the server
// has it before the deadline.
func offlineAttempt(t *testing.T, tb *tab, course *apptest.CertificateCourse) {
	l := tb.lang
	tb.open("/signup")
	tb.typeInto("#name", "Meena")
	tb.typeInto("#email", "meena."+url.PathEscape(strings.ToLower(strings.ReplaceAll(t.Name(), "/", ".")))+"@example.org")
	tb.typeInto("#password", apptest.TestPassword)
	tb.click(`form[action="/signup"] button`)
	tb.open("/courses/" + course.CourseID)
	tb.click(`form[action$="/enroll"] button`)
	lesson := tb.path()
	tb.click(`form[action$="/complete"] button`)
	tb.open("/assessments/" + course.FinalID)
	tb.click(`form[action$="/start"] button`)
	id := tb.attempt()
	tb.page("offline-attempt")

	answers := tb.srv.e.Answers(id, 0)
	tb.fill(answers[:1])
	tb.autosaved(id, answers[:1])

	throttle(tb, true)
	if !run(tb, chromedp.Poll[bool](`!document.getElementById("net").hidden`, chromedp.WithPollingTimeout(actionTimeout))) {
		tb.fatalf("the page does not say the connection is lost")
	}
	tb.sees(msg(t, l, "net.offline"))
	offline := answers[1:2]
	tb.fill(offline)
	key := "sg-queue:/attempts/" + id
	if !run(tb, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById("announce").textContent === %q && !!localStorage.getItem(%q)`,
		msg(t, l, "exam.queued"), key), chromedp.WithPollingTimeout(actionTimeout))) {
		tb.fatalf("the answer given offline is not queued")
	}
	qid := offline[0]["question_id"].(string)
	if _, ok := tb.storedAnswers(id)[qid]; ok {
		tb.fatalf("the server has an answer given offline")
	}
	tb.screenshot("offline-queued")

	unthrottle(tb)
	if !run(tb, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById("net").hidden && !localStorage.getItem(%q)`, key),
		chromedp.WithPollingTimeout(actionTimeout))) {
		tb.fatalf("the queued answer was not sent when the connection returned")
	}
	stored := tb.storedAnswers(id)
	if _, ok := stored[qid]; !ok {
		tb.fatalf("the answer given offline never reached the server: %v", stored)
	}
	a, err := assessments.NewStore(tb.srv.e.DB).Attempt(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !tb.srv.e.Clock.Now().Before(a.Deadline) {
		t.Fatalf("the answer arrived after the deadline")
	}
	// The page, reloaded from the server, shows both answers.
	tb.load(200, chromedp.Reload())
	tb.sees(msg(t, l, "exam.answered_count", "Answered", 2, "Total", 3))
	tb.page("offline-back")

	// With no signal again, the lesson opened earlier is still readable:
	// the service worker kept it.
	throttle(tb, true)
	tb.open(lesson)
	tb.sees("Read.", msg(t, l, "course.lesson_done"))
	if !slices.ContainsFunc(tb.takeRequests(), func(r netRequest) bool { return r.typ == network.ResourceTypeDocument && r.fromSW }) {
		tb.fatalf("the lesson did not come from the service worker")
	}
	tb.screenshot("offline-lesson")
}
