package site_test

import (
	"net/url"
	"regexp"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// newCourseOnPage makes a draft course through the trainer's page and
// returns its page's address.
func newCourseOnPage(t *testing.T, b *browser, slug string) string {
	t.Helper()
	b.get("/staff/courses")
	p := b.submit("/staff/courses", url.Values{"title": {"Phone Safety"}, "slug": {slug}, "summary": {"Stay safe."}, "language": {"en"}})
	m := regexp.MustCompile(`action="/staff/courses/([^/"]+)/publish"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("course %s not made: %d\n%s", slug, p.Status, p.Body)
	}
	return "/staff/courses/" + m[1]
}

// TestConflictsInThePagesLanguage: a conflict a staff page shows (a slug
// taken, a module that still holds lessons) is said from the page's
// catalogue, with its values, never in the API's English; the English
// page says the API's words.
func TestConflictsInThePagesLanguage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		for _, tc := range []struct {
			lang      string
			want, not []string
		}{
			{"hi", []string{`<html lang="hi"`, "इस छोटे नाम (पते) वाला कोर्स पहले से है। कोई दूसरा छोटा नाम चुनें।",
				"इस मॉड्यूल में अभी 1 पाठ हैं। पहले उन्हें किसी दूसरे मॉड्यूल में ले जाएँ या हटाएँ।"},
				[]string{"a course with this slug already exists", "the module still holds", "move or delete them first", "Please fix"}},
			{"en", []string{`<html lang="en"`, "a course with this slug already exists",
				"the module still holds 1 lesson(s): move or delete them first"},
				[]string{"पहले से", "मॉड्यूल में अभी"}},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
				course := newCourseOnPage(t, b, "taken-"+tc.lang)
				b.get("/staff/courses?lang=" + tc.lang)
				p := b.submit("/staff/courses", url.Values{"title": {"Again"}, "slug": {"taken-" + tc.lang}, "summary": {"s"}, "language": {"en"}})
				must(t, p, 422, `value="Again"`) // the form keeps what was typed
				p2 := b.submit(course+"/modules", url.Values{"title": {"Basics"}})
				moduleID := regexp.MustCompile(`name="module_id"><option value="([^"]+)"`).FindStringSubmatch(p2.Body)[1]
				b.submit(course+"/lessons", url.Values{"module_id": {moduleID}, "title": {"One"}, "body_markdown": {"x"}, "action": {"save"}})
				p2 = b.submit(course+"/modules/"+moduleID+"/delete", url.Values{"confirm": {"yes"}})
				if p2.Status != 422 {
					t.Fatalf("module delete: %d", p2.Status)
				}
				p.Body += p2.Body
				must(t, p, 422, tc.want...)
				mustNot(t, p, tc.not...)
			})
		}
	})
}

// TestClassRowErrorsInThePagesLanguage: the rows of a refused learners
// file are said in the class page's language, each with its line, its
// column's heading and its values, never in the API's English.
func TestClassRowErrorsInThePagesLanguage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		b.get("/staff/classes?lang=hi")
		p := b.submit("/staff/classes", url.Values{"name": {"Batch 7"}, "locale": {"hi"}})
		class := regexp.MustCompile(`action="(/staff/classes/[^/"]+)/learners"`).FindStringSubmatch(p.Body)
		if class == nil {
			t.Fatalf("class not made: %d\n%s", p.Status, p.Body)
		}
		for _, tc := range []struct {
			name, csv string
			want, not []string
		}{
			{"rows", "name,username,email\nAsha,asha.k,\nRekha,asha.k,not-an-email\n",
				[]string{"लाइन 3 (यूज़र नेम): यह लाइन 2 में पहले आ चुका है।", "लाइन 3 (ईमेल): सही ईमेल पता लिखें, जैसे asha@example.org।"},
				[]string{"repeats line", "must be an email address", "(username)", "(email)"}},
			{"not CSV", "name\nAsha \"K\" Devi\n",
				[]string{"यह फ़ाइल सही CSV नहीं है: किसी खाने के बीच में"},
				[]string{"is not valid CSV", "bare", "non-quoted-field"}},
			{"no name column", "username\nasha.k\n",
				[]string{"पहली लाइन में कॉलम के नाम हों, और उनमें name कॉलम ज़रूर हो।"},
				[]string{"the first line must name the columns"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := b.upload(class[1]+"/learners", "file", "batch.csv", tc.csv, nil)
				must(t, p, 422, append([]string{`<html lang="hi"`}, tc.want...)...)
				mustNot(t, p, tc.not...)
			})
		}
	})
}
