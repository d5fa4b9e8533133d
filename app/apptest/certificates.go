package apptest

import (
	"fmt"
	"slices"

	"skillgate/app/web"
	"skillgate/assessments"
)

// CertificateCourse is a trainer's published course with a final of three
// questions (pass mark 60%, certificates valid 365 days), for tests that
// need real certificates.
type CertificateCourse struct {
	env      *Env
	Trainer  User
	CourseID string
	FinalID  string
}

// NewCertificateCourse authors and publishes the course through the API.
func (e *Env) NewCertificateCourse() *CertificateCourse {
	e.T.Helper()
	f := &CertificateCourse{env: e, Trainer: e.UserWithRole(web.RoleTrainer)}
	c := e.PublishCourse(f.Trainer, CourseSpec{
		Slug: fmt.Sprintf("safe-data-%d", e.seq.Add(1)), Title: "Safe Data", Summary: "Keep task data safe.", ValidityDays: 365,
		GIFT: "::Q1:: Two plus two? {#4 ####Because.}\n\n::Q2:: The sky is green. {FALSE ####Blue.}\n\n" +
			"::Q3:: Pick the fruit. {=Mango ~Brick ~Chair ####Mango.}\n",
		Assessment: map[string]any{"title": "Final", "kind": "final", "question_count": 3, "time_limit_seconds": 600,
			"pass_percent": 60, "max_attempts": 3, "cooldown_seconds": 0},
	})
	f.CourseID, f.FinalID = c.ID, c.AssessmentID
	return f
}

// Earn takes the learner through the course, passes the final with full
// marks and returns the certificate id.
func (f *CertificateCourse) Earn(learner User) string {
	e := f.env
	e.T.Helper()
	e.Call("POST", "/api/v1/courses/"+f.CourseID+"/enrollments", learner.Token, nil)
	var pkg struct {
		Modules []struct{ Lessons []struct{ ID string } }
	}
	e.Call("GET", "/api/v1/courses/"+f.CourseID+"/package", learner.Token, nil).JSON(e.T, &pkg)
	for _, l := range pkg.Modules[0].Lessons {
		e.Call("POST", "/api/v1/lessons/"+l.ID+"/complete", learner.Token, nil)
	}
	res := e.Call("POST", "/api/v1/assessments/"+f.FinalID+"/attempts", learner.Token, nil)
	var at struct{ ID string }
	res.JSON(e.T, &at)
	a, err := e.Assessments.StoredAttempt(Context(e.T), at.ID)
	if err != nil {
		e.T.Fatalf("attempt: %v (%s)", err, res.Body)
	}
	if len(a.Form) == 0 {
		e.T.Fatalf("empty attempt: %s", res.Body)
	}
	res = e.Call("POST", "/api/v1/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, 0)})
	var g struct {
		Passed        bool
		CertificateID *string `json:"certificate_id"`
	}
	res.JSON(e.T, &g)
	if !g.Passed || g.CertificateID == nil {
		e.T.Fatalf("no certificate: %s", res.Body)
	}
	return *g.CertificateID
}

// Answers builds the answers of an attempt from the form the server stored
// (a test reads what the server keeps, never what learners get), answering
// the first `wrong` questions by id wrongly, so that several learners miss
// the same questions.
func (e *Env) Answers(attemptID string, wrong int) []map[string]any {
	e.T.Helper()
	a, err := e.Assessments.StoredAttempt(Context(e.T), attemptID)
	if err != nil {
		e.T.Fatalf("attempt %s: %v", attemptID, err)
	}
	ids := make([]string, len(a.Form))
	for i, q := range a.Form {
		ids[i] = q.ID
	}
	slices.Sort(ids)
	out := make([]map[string]any, 0, len(a.Form))
	for _, q := range a.Form {
		m := assessments.ModelResponse(q, slices.Index(ids, q.ID) >= wrong)
		r := map[string]any{"question_id": q.ID}
		if q.Type.IsChoice() {
			r["option_ids"] = m.OptionIDs
		} else if m.Value != nil {
			r["value"] = *m.Value
		}
		out = append(out, r)
	}
	return out
}
