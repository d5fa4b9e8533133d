package site_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestFieldErrorsInThePagesLanguage: a refused form says what to fix in
// the page's language, with the rule's detail (the maximum, the field's
// label), never the API's English; the English page says the API's words.
func TestFieldErrorsInThePagesLanguage(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))

	for _, tc := range []struct {
		lang      string
		want, not []string
	}{
		{"hi", []string{`<html lang="hi"`, "कृपया ठीक करें: सिर्फ़ छोटे अंग्रेज़ी अक्षर, अंक और बीच में एक-एक डैश (-) लिखें।",
			"कृपया ठीक करें: 200 अक्षरों से ज़्यादा नहीं होना चाहिए।",
			// A form whose messages are shown together names each field.
			"कृपया ठीक करें: कितने सवाल निकाले जाएँ: 1 से 200 के बीच होना चाहिए।"},
			[]string{"must be lowercase letters", "must be at most 200 characters", "must be between", "question_count: ", "Please fix"}},
		{"en", []string{`<html lang="en"`, "Please fix: must be lowercase letters, digits and single hyphens",
			"Please fix: must be at most 200 characters", "Please fix: Questions drawn: must be between 1 and 200"},
			[]string{"कृपया", "question_count: "}},
	} {
		t.Run("staff "+tc.lang, func(t *testing.T) {
			b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
			b.get("/staff/courses?lang=" + tc.lang)
			p := b.submit("/staff/courses", url.Values{"title": {strings.Repeat("t", 201)}, "slug": {"Not A Slug"},
				"summary": {"Stay safe."}, "language": {"en"}})
			// An assessment drawing no question, on the course's page.
			p2 := b.submit("/staff/courses", url.Values{"title": {"Phone Safety"}, "slug": {"phone-safety-" + tc.lang}, "summary": {"s"}, "language": {"en"}})
			id := regexp.MustCompile(`action="/staff/courses/([^/"]+)/publish"`).FindStringSubmatch(p2.Body)[1]
			p2 = b.submit("/staff/courses/"+id+"/assessments", url.Values{"title": {"Final"}, "kind": {"final"}, "question_count": {"0"},
				"time_limit_minutes": {"10"}, "pass_percent": {"60"}, "max_attempts": {"3"}, "cooldown_minutes": {"0"}})
			if p2.Status != 422 {
				t.Fatalf("assessment: %d", p2.Status)
			}
			p.Body += p2.Body
			must(t, p, 422, tc.want...)
			mustNot(t, p, tc.not...)
		})
	}

	for _, tc := range []struct {
		lang      string
		want, not []string
	}{
		{"hi", []string{`<html lang="hi"`, "इसमें एक ही अक्षर बार-बार है या 1234 जैसा सीधा क्रम है। कोई दूसरा चुनें।"},
			[]string{"is one repeated character", "choose another"}},
		{"en", []string{`<html lang="en"`, "is one repeated character or a simple sequence; choose another"}, []string{"कोई दूसरा"}},
	} {
		t.Run("learner "+tc.lang, func(t *testing.T) {
			b := newBrowser(t, e)
			b.get("/signup?lang=" + tc.lang)
			p := b.submit("/signup", url.Values{"name": {"Asha"}, "email": {"asha-" + tc.lang + "@example.org"}, "password": {"aaaaaaaaaaaa"}})
			must(t, p, 422, tc.want...)
			mustNot(t, p, tc.not...)
		})
	}
}
