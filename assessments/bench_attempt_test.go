package assessments_test

import (
	"context"
	"net/http"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/dbx"
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
	eachFinal50(b, func(b *testing.B, _ dbx.Dialect, _ *gorm.DB, ctx context.Context, f final50) {
		u, p := f.readyUser(b)
		a, _, err := f.e.Assessments.Start(ctx, p, f.finalID)
		if err != nil {
			b.Fatal(err)
		}
		// Half the answers saved, as mid-exam.
		if _, err := f.e.Assessments.SaveAnswers(ctx, p, a.ID, f.responses(b, a.ID)[:25]); err != nil {
			b.Fatal(err)
		}
		b.Run("get", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := f.e.Assessments.Get(ctx, p, a.ID)
				if err != nil || len(r.Form) != 50 || len(r.Answers) != 25 {
					b.Fatal(err, len(r.Form), len(r.Answers))
				}
			}
		})
		b.Run("get-json", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := f.e.Call("GET", "/api/v1/attempts/"+a.ID, u.Token, nil)
				if res.Status != http.StatusOK {
					b.Fatal(res.Status, string(res.Body))
				}
			}
		})
	})
}
