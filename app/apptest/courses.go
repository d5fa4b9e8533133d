package apptest

import (
	"fmt"
	"strings"
)

// CourseSpec is a small course for a test: one module of lessons, a GIFT
// bank and at most one assessment, authored through the API.
type CourseSpec struct {
	Slug         string   // "course-N" when empty
	Title        string   // "Course" when empty
	Summary      string   // optional
	ValidityDays int      // certificate_validity_days; the default when 0
	Lessons      []string // lesson titles; one lesson "L" when empty
	GIFT         string   // the question bank; none when empty
	// Assessment holds the assessment's settings as the API takes them;
	// there is none when it is nil.
	Assessment map[string]any
}

// Course is a course PublishCourse authored and published.
type Course struct {
	ID           string
	Slug         string
	AssessmentID string   // "" without an assessment
	LessonIDs    []string // in the order of CourseSpec.Lessons
}

// PublishCourse authors spec as trainer and publishes it, failing the test
// at the first step the API refuses.
func (e *Env) PublishCourse(trainer User, spec CourseSpec) Course {
	e.T.Helper()
	if spec.Slug == "" {
		spec.Slug = fmt.Sprintf("course-%d", e.seq.Add(1))
	}
	if spec.Title == "" {
		spec.Title = "Course"
	}
	if len(spec.Lessons) == 0 {
		spec.Lessons = []string{"L"}
	}
	must := func(res Response, status int, step string) Response {
		e.T.Helper()
		if res.Status != status {
			e.T.Fatalf("%s: %d %s", step, res.Status, res.Body)
		}
		return res
	}
	body := map[string]any{"slug": spec.Slug, "title": spec.Title, "language": "en"}
	if spec.Summary != "" {
		body["summary"] = spec.Summary
	}
	if spec.ValidityDays != 0 {
		body["certificate_validity_days"] = spec.ValidityDays
	}
	var c, m struct{ ID string }
	must(e.Call("POST", "/api/v1/courses", trainer.Token, body), 201, "create course").JSON(e.T, &c)
	must(e.Call("POST", "/api/v1/courses/"+c.ID+"/modules", trainer.Token, map[string]any{"title": "M"}), 201, "add module").JSON(e.T, &m)
	out := Course{ID: c.ID, Slug: spec.Slug}
	for _, title := range spec.Lessons {
		var l struct{ ID string }
		must(e.Call("POST", "/api/v1/modules/"+m.ID+"/lessons", trainer.Token, map[string]any{"title": title, "body_markdown": "Read."}),
			201, "add lesson").JSON(e.T, &l)
		out.LessonIDs = append(out.LessonIDs, l.ID)
	}
	if spec.GIFT != "" {
		res := must(e.Do(Request{Method: "POST", Path: "/api/v1/courses/" + c.ID + "/questions/import", Token: trainer.Token, Body: spec.GIFT,
			Headers: map[string]string{"Content-Type": "text/plain"}}), 201, "import questions")
		if strings.Contains(string(res.Body), `"imported":0`) {
			e.T.Fatalf("import questions: nothing imported: %s", res.Body)
		}
	}
	if spec.Assessment != nil {
		var a struct{ ID string }
		must(e.Call("POST", "/api/v1/courses/"+c.ID+"/assessments", trainer.Token, spec.Assessment), 201, "add assessment").JSON(e.T, &a)
		out.AssessmentID = a.ID
	}
	must(e.Call("POST", "/api/v1/courses/"+c.ID+"/publish", trainer.Token, nil), 200, "publish")
	return out
}
