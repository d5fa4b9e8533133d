package site_test

// The staff pages in a real browser (see e2e_browser_test.go): a trainer at
// a desktop makes a class from a CSV file and prints its sign-in cards; a
// learner signs in with her card on a 360×740 phone, passes the final and
// appears in the trainer's progress table; an employer checks her
// certificate by a code read aloud and by a CSV file of codes. The class,
// the progress table and the employer's result are saved as screenshots
// ($SKILLGATE_SCREENSHOTS, or a temporary folder named when a test fails).

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

func TestE2EStaff(t *testing.T) {
	browserContext(t) // skip (or fail under CI=true) before any setup
	srv := startServer(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	course := srv.e.NewCertificateCourse()

	// The trainer, at a desktop: a class with the course ticked, its
	// learners from a CSV file, and their sign-in cards as a PDF.
	tr := desktopTab(t, srv, "trainer")
	tr.signIn(course.Trainer)
	tr.open("/staff/classes")
	tr.sees("New class")
	tr.typeInto("#name", "Batch 9")
	tr.do(tr.tap(fmt.Sprintf(`input[name="course_ids"][value=%q]`, course.CourseID)))
	if !eval[bool](tr, fmt.Sprintf(`document.querySelector('input[name="course_ids"][value=%q]').checked`, course.CourseID)) {
		tr.fatalf("the course is not ticked")
	}
	tr.click(`form[action="/staff/classes"] button`)
	tr.sees("Class created", "Batch 9", "No learner yet.")
	classPath := tr.path()
	if !strings.HasPrefix(classPath, "/staff/classes/") {
		tr.fatalf("creating the class led to %s", classPath)
	}

	tr.upload(`form[action$="/learners"] input[type="file"]`, "batch.csv", "name,username\nSunita Kumari,\nRekha Devi,rekha.d\n")
	tr.click(`form[action$="/learners"] button`)
	tr.sees("2 learners added and enrolled.", "Sunita Kumari", "Rekha Devi", "rekha.d", "Print sign-in cards (PDF)")
	tr.screenshot("class")

	// None ticked: a card for every learner, as a download.
	pdf := tr.download(`form[action$="/cards"] button`, "/cards")
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		tr.fatalf("the cards are no PDF: %q", pdf[:min(len(pdf), 20)])
	}

	// Rekha's card, issued again through the API to read its secret (the
	// PDF draws it as a QR code): she opens its link on her phone.
	id := strings.TrimPrefix(classPath, "/staff/classes/")
	var class struct {
		Learners []struct{ ID, Username string }
	}
	srv.e.Call("GET", "/api/v1/classes/"+id, course.Trainer.Token, nil).JSON(t, &class)
	var rekha string
	for _, l := range class.Learners {
		if l.Username == "rekha.d" {
			rekha = l.ID
		}
	}
	var cards struct {
		Cards []struct {
			SignInURL string `json:"sign_in_url"`
		}
	}
	srv.e.Do(apptest.Request{Method: "POST", Path: "/api/v1/classes/" + id + "/cards", Token: course.Trainer.Token,
		Body: map[string]any{"learner_ids": []string{rekha}}, Headers: map[string]string{"Accept": "application/json"}}).JSON(t, &cards)
	if rekha == "" || len(cards.Cards) != 1 || !strings.HasPrefix(cards.Cards[0].SignInURL, srv.origin+"/card/") {
		t.Fatalf("no card for rekha.d (%q): %+v", rekha, cards)
	}
	code := learnByCard(t, newTab(t, srv, tabOptions{lang: "hi", scripts: true}), strings.TrimPrefix(cards.Cards[0].SignInURL, srv.origin), course)

	// Her line in the trainer's progress table.
	tr.click(`a.btn[href$="/progress"]`)
	tr.sees("Progress table", "Rekha Devi", "rekha.d", "100%", "✓ certificate", "Sunita Kumari", "0%")
	tr.screenshot("progress")

	// The employer checks the code as the worker reads it out, then a
	// CSV file of codes.
	em := desktopTab(t, srv, "employer")
	em.signIn(srv.e.UserWithRole(web.RoleEmployer))
	em.open("/staff/verify")
	spoken := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	em.typeInto("#code", spoken)
	em.click(`form[action="/staff/verify"] button`)
	em.sees("VALID", "Rekha Devi", "Safe Data", "Published by", code)
	em.screenshot("verify")
	em.upload(`form[action="/staff/verify/batch"] input[type="file"]`, "codes.csv", "code\n"+code+"\nSG-0000-0000\n")
	em.click(`form[action="/staff/verify/batch"] button:not([name])`)
	em.sees("Results, in the order given", "VALID", "UNKNOWN", "Rekha Devi")
	rows := eval[[]string](em, `[...document.querySelectorAll("table tbody tr")].map(r => r.className + " " + r.cells[0].innerText + " " + r.cells[1].innerText)`)
	if len(rows) != 2 || rows[0] != "ok "+code+" VALID" || !strings.HasPrefix(rows[1], "bad SG-0000-0000 UNKNOWN") {
		em.fatalf("the results table: %q", rows)
	}
	em.screenshot("verify-batch")
}

// learnByCard signs the learner in by her card's link on her phone, reads
// the lesson, marks it done, passes the final and returns her certificate's
// code, as her phone shows it.
func learnByCard(t *testing.T, tb *tab, cardPath string, course *apptest.CertificateCourse) string {
	l := tb.lang
	tb.open(cardPath)
	if tb.path() != "/" {
		tb.fatalf("the card led to %s, want /", tb.path())
	}
	tb.sees(msg(t, l, "flash.card_signed_in"), msg(t, l, "nav.signed_in_as", "Name", "Rekha Devi"))
	tb.page("card-signed-in")

	// The class enrolled her: the course opens on its lessons.
	tb.open("/courses/" + course.CourseID)
	tb.sees("Safe Data", msg(t, l, "course.outline"))
	tb.doesNotSee(msg(t, l, "course.enroll"))
	tb.page("course")
	tb.click(`a[href^="/lessons/"]`)
	tb.sees("Read.", msg(t, l, "lesson.done"))
	tb.page("lesson")
	tb.click(`form[action$="/complete"] button`)
	tb.sees(msg(t, l, "flash.lesson_done"), msg(t, l, "course.take_final"))

	tb.click(`a.btn[href^="/assessments/"]`)
	tb.click(`form[action$="/start"] button`)
	attempt := tb.attempt()
	tb.answer(attempt, 0, nil)
	tb.click(`button[name="action"][value="submit"]`)
	tb.sees(msg(t, l, "exam.passed"), msg(t, l, "exam.see_certificate"))
	tb.page("passed")

	tb.click(`a.btn[href="/certificates"]`)
	code := eval[string](tb, `document.querySelector(".cert .code").innerText`)
	if !strings.HasPrefix(code, "SG-") {
		tb.fatalf("certificate code %q", code)
	}
	return code
}

// desktopTab is a staff member's desktop: 1280×900, no touch, scripting on,
// every page kept as a screenshot when asked.
func desktopTab(t *testing.T, srv *server, who string) *tab {
	t.Helper()
	tb := newTab(t, srv, tabOptions{lang: "en", scripts: true, screenshots: true})
	tb.name += "-" + who
	tb.do(chromedp.EmulateViewport(1280, 900), chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent:      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
			AcceptLanguage: "en-US,en", Platform: "Linux x86_64"})
		return err
	}))
	return tb
}

// signIn signs a staff account in through the sign-in page.
func (tb *tab) signIn(u apptest.User) {
	tb.t.Helper()
	tb.open("/login")
	tb.typeInto("#login", u.Email)
	tb.typeInto("#password", u.Password)
	tb.click(`form[action="/login"] button`)
	if strings.HasPrefix(tb.path(), "/login") {
		tb.fatalf("%s could not sign in", u.Email)
	}
}

// upload chooses a file, written with the content given, in a file input,
// as the file picker would.
func (tb *tab) upload(sel, name, content string) {
	tb.t.Helper()
	p := filepath.Join(tb.t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.do(chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		input, err := chromedp.Evaluate[*runtime.RemoteObject](fmt.Sprintf(`document.querySelector(%q)`, sel))(ctx, target)
		if err != nil {
			return err
		}
		if input.ObjectID == "" {
			return fmt.Errorf("no file input %s", sel)
		}
		_, err = chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{p}, ObjectID: input.ObjectID})
		return err
	}))
	if got := eval[string](tb, fmt.Sprintf(`document.querySelector(%q).files[0].name`, sel)); got != name {
		tb.fatalf("the file input holds %q, want %q", got, name)
	}
}

// download presses a button whose answer is a file to save, and returns
// the file once the browser has saved it; the answer, to a URL ending with
// urlSuffix, must be a PDF (from the network events).
func (tb *tab) download(sel, urlSuffix string) []byte {
	tb.t.Helper()
	dir := tb.t.TempDir()
	var mu sync.Mutex
	var mime string
	ctx, cancel := context.WithCancel(tb.ctx)
	defer cancel()
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventResponseReceived); ok && strings.HasSuffix(ev.Response.URL, urlSuffix) {
			mu.Lock()
			mime = ev.Response.MimeType
			mu.Unlock()
		}
	}); err != nil {
		tb.t.Fatalf("listen: %v", err)
	}
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		return err
	}), tb.tap(sel))
	deadline := time.Now().Add(actionTimeout)
	for {
		mu.Lock()
		m := mime
		mu.Unlock()
		if m != "" && m != "application/pdf" {
			tb.fatalf("%s answered %s, want application/pdf", sel, m)
		}
		if entries, _ := os.ReadDir(dir); m != "" && len(entries) == 1 && !strings.HasSuffix(entries[0].Name(), ".crdownload") {
			b, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
			if err == nil && bytes.Contains(b[max(0, len(b)-1024):], []byte("%%EOF")) {
				return b
			}
		}
		if time.Now().After(deadline) {
			tb.fatalf("%s: no PDF downloaded (answer %q)", sel, m)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
