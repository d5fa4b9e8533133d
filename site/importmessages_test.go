package site_test

import (
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestGIFTErrorsInThePagesLanguage: the errors of a GIFT file's preview,
// and of an import the trainer confirmed, are said in the course page's
// language, each with its line, the question's title and its values,
// never in the API's English; the English page says the API's words.
func TestGIFTErrorsInThePagesLanguage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		broken := "::Fine:: Lock your phone? {TRUE}\n\n::Open block:: Share your PIN? {=no ~yes\n\n::Sum:: Pick the safe ones {~%30%PIN ~%30%lock ~none}\n"
		for _, tc := range []struct {
			lang      string
			want, not []string
		}{
			{"hi", []string{`<html lang="hi"`, "2 गलतियाँ", "लाइन 3 · <b>Open block</b>: जवाबों वाला हिस्सा &#34;{&#34; से खुलता है, पर &#34;}&#34; से बंद नहीं होता।",
				"लाइन 5 · <b>Sum</b>: सही जवाबों के अंकों का जोड़ 60% है, पर यह 100% होना चाहिए।",
				"लाइन 1: फ़ाइल में कोई सवाल नहीं मिला।"},
				[]string{"is not closed", "add up to", "no questions found", "Line 3"}},
			{"en", []string{`<html lang="en"`, "Line 3 · <b>Open block</b>: the answer block &#34;{&#34; is not closed with &#34;}&#34;",
				"Line 5 · <b>Sum</b>: the weights of the right answers add up to 60%, not 100%", "Line 1: no questions found"},
				[]string{"खुलता", "जोड़", "सवाल नहीं मिला"}},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
				course := newCourseOnPage(t, b, "gift-"+tc.lang)
				b.get(course + "?lang=" + tc.lang)
				p := b.upload(course+"/gift", "file", "bank.gift", broken, nil)
				must(t, p, 200)
				mustNot(t, p, `<textarea name="gift" hidden`) // no import button while errors stand
				// A confirmed import of a file with no question is refused
				// by the service, not the parser.
				p2 := b.submit(course+"/gift", url.Values{"confirm": {"yes"}, "gift": {"// only a comment\n"}})
				if p2.Status != 422 {
					t.Fatalf("empty import: %d", p2.Status)
				}
				p.Body += p2.Body
				must(t, p, 200, tc.want...)
				mustNot(t, p, tc.not...)
				// A file over the API's 2 MiB limit is refused on the page,
				// in its language; one under it (but over the 1 MiB of
				// other forms) is read.
				p4 := b.upload(course+"/gift", "file", "bank.gift", strings.Repeat("x", 2<<20+1), nil)
				must(t, p4, 413, map[string]string{"hi": "ज़्यादा से ज़्यादा 2 MB", "en": "2 MB at most"}[tc.lang])
				must(t, b.upload(course+"/gift", "file", "bank.gift", strings.Repeat("x", 3<<19), nil), 200)
				// Another trainer, and a learner, get no preview of the
				// course, nor its parse of their file.
				for who, status := range map[web.Role]int{web.RoleTrainer: 404, web.RoleLearner: 403} {
					other := signInAs(t, e, e.UserWithRole(who))
					p3 := other.upload(course+"/gift", "file", "bank.gift", broken, nil)
					if p3.Status != status {
						t.Fatalf("%s previews another's course: %d, want %d", who, p3.Status, status)
					}
					mustNot(t, p3, "Open block", "Lock your phone")
				}
			})
		}
	})
}

// TestPackErrorsInThePagesLanguage: the problems of an uploaded course
// pack — a setting course.yaml may not have, a broken GIFT question — are
// said in the upload page's language, each with its file, its line and
// the question's title, never in the English the command line prints.
func TestPackErrorsInThePagesLanguage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		files := pagePack("::Q1:: ok {TRUE}\n\n::Q2:: broken {=a ~b\n")
		files["wifi-safety/course.yaml"] += "price: 3\n"
		bad := zipOf(t, files)
		for _, tc := range []struct {
			lang      string
			want, not []string
		}{
			{"hi", []string{`<html lang="hi"`, "<b>course.yaml</b> लाइन 14: course.yaml में price नाम की कोई सेटिंग नहीं होती।",
				"<b>questions.gift</b> लाइन 3 · <b>Q2</b>: जवाबों वाला हिस्सा &#34;{&#34; से खुलता है, पर &#34;}&#34; से बंद नहीं होता।"},
				[]string{"is not a setting", "is not closed", "not found in type"}},
			{"en", []string{`<html lang="en"`, "<b>course.yaml</b> Line 14: price is not a setting of course.yaml",
				"<b>questions.gift</b> Line 3 · <b>Q2</b>: the answer block &#34;{&#34; is not closed with &#34;}&#34;"},
				[]string{"सेटिंग", "खुलता"}},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
				b.get("/staff/courses?lang=" + tc.lang)
				p := b.upload("/staff/packs", "file", "wifi.zip", bad, url.Values{"confirm": {"yes"}})
				must(t, p, 422, tc.want...)
				mustNot(t, p, tc.not...)
				mustNot(t, p, "checked>")
			})
		}
	})
}
