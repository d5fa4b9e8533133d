package site_test

import (
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"skillgate/app/apptest"
)

// BenchmarkLessonPage compares the lesson page with the JSON lesson it is
// the sibling of, in the same run: the page costs the session lookup, the
// standing of the course and the template on top of the same service
// call. Report the ratio of the two ns/op, not either figure alone.
func BenchmarkLessonPage(b *testing.B) {
	e := apptest.New(b, apptest.NewDB(b, apptest.Dialects(b)[0]))
	course := e.NewCertificateCourse()
	learner := e.Learner()
	e.Call("POST", "/api/v1/courses/"+course.CourseID+"/enrollments", learner.Token, nil)
	var pkg struct {
		Modules []struct{ Lessons []struct{ ID string } }
	}
	e.Call("GET", "/api/v1/courses/"+course.CourseID+"/package", learner.Token, nil).JSON(b, &pkg)
	lessonID := pkg.Modules[0].Lessons[0].ID

	// A web session for the same learner, through the sign-in form.
	br := newBrowser(b, e)
	br.get("/login")
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(br.last)[1]
	br.do("POST", "/login", url.Values{"csrf": {token}, "login": {learner.Email}, "password": {apptest.TestPassword}})
	var cookie []string
	for k, v := range br.cookies {
		cookie = append(cookie, k+"="+v)
	}

	run := func(b *testing.B, path string, hdr map[string]string, want string) {
		for b.Loop() {
			r := httptest.NewRequest("GET", path, nil)
			for k, v := range hdr {
				r.Header.Set(k, v)
			}
			resp, err := e.App.Test(r, -1)
			if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), want) {
				b.Fatalf("%s: %v %v", path, err, resp)
			}
			resp.Body.Close()
		}
	}
	b.Run("json", func(b *testing.B) {
		run(b, "/api/v1/lessons/"+lessonID, map[string]string{"Authorization": "Bearer " + learner.Token}, "application/json")
	})
	b.Run("page", func(b *testing.B) {
		run(b, "/lessons/"+lessonID, map[string]string{"Cookie": strings.Join(cookie, "; ")}, "text/html")
	})
}
