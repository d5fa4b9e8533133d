package assessments_test

import (
	"net/http"
	"testing"

	"skillgate/app/apptest"
)

// BenchmarkAttempt50 measures reading an open 50-question attempt of a
// published final, as a learner's page polls it during an exam, on a warm
// process:
//
//   - get: the service's Get (the attempt with its answers, and the
//     learner's standing);
//   - get-json: GET /api/v1/attempts/{id} through the real Fiber app
//     (authentication, Get, the JSON response).
func BenchmarkAttempt50(b *testing.B) {
	for _, d := range apptest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			db := apptest.NewDB(b, d)
			e := apptest.New(b, db, apptest.Options{RealClock: true})
			ctx := apptest.Context(b)
			f := newFinal50(b, e)
			u := e.Learner()
			e.Call("POST", "/api/v1/courses/"+f.courseID+"/enrollments", u.Token, nil)
			p, err := e.Accounts.Authenticate(ctx, u.Token)
			if err != nil {
				b.Fatal(err)
			}
			a, _, err := e.Assessments.Start(ctx, p, f.finalID)
			if err != nil {
				b.Fatal(err)
			}
			// Half the answers saved, as mid-exam.
			rs := f.responses(b, a.ID)
			if _, err := e.Assessments.SaveAnswers(ctx, p, a.ID, rs[:25]); err != nil {
				b.Fatal(err)
			}
			b.Run("get", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					r, err := e.Assessments.Get(ctx, p, a.ID)
					if err != nil || len(r.Form) != 50 || len(r.Answers) != 25 {
						b.Fatal(err, len(r.Form), len(r.Answers))
					}
				}
			})
			b.Run("get-json", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res := e.Call("GET", "/api/v1/attempts/"+a.ID, u.Token, nil)
					if res.Status != http.StatusOK {
						b.Fatal(res.Status, string(res.Body))
					}
				}
			})
		})
	}
}
