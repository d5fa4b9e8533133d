package assessments_test

import (
	"fmt"
	"testing"
	"time"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/web"
	"skillgate/assessments"
)

// form50 is a 50-question attempt of mixed types with its responses
// (about four in five right).
func form50() ([]assessments.Question, map[string]assessments.Response, []assessments.Response) {
	var form []assessments.Question
	responses := map[string]assessments.Response{}
	var list []assessments.Response
	for i := 0; i < 50; i++ {
		id := fmt.Sprintf("q%02d", i)
		q := assessments.Question{ID: id, Points: 1, Prompt: "Question " + id}
		r := assessments.Response{QuestionID: id}
		right := i%5 != 0
		switch i % 5 {
		case 0, 1:
			q.Type = assessments.SingleChoice
			q.Options = []assessments.Option{{ID: id + "a", Text: "A", Correct: true}, {ID: id + "b", Text: "B"}, {ID: id + "c", Text: "C"}, {ID: id + "d", Text: "D"}}
			r.OptionIDs = []string{id + "a"}
			if !right {
				r.OptionIDs = []string{id + "b"}
			}
		case 2:
			q.Type = assessments.MultipleChoice
			q.Options = []assessments.Option{{ID: id + "a", Text: "A", Correct: true}, {ID: id + "b", Text: "B", Correct: true}, {ID: id + "c", Text: "C"}, {ID: id + "d", Text: "D"}}
			r.OptionIDs = []string{id + "a", id + "b"}
		case 3:
			v := 42.0
			q.Type, q.Answer = assessments.Numeric, assessments.Answer{Value: &v, Tolerance: 0.5}
			s := "42.25"
			r.Value = &s
		case 4:
			q.Type, q.Answer = assessments.ShortText, assessments.Answer{Accepted: []string{"New Delhi", "Delhi"}}
			s := "  new   DELHI "
			r.Value = &s
		}
		form = append(form, q)
		responses[id] = r
		list = append(list, r)
	}
	return form, responses, list
}

// BenchmarkGradeAttempt50 is the pure grading of a 50-question attempt.
func BenchmarkGradeAttempt50(b *testing.B) {
	form, responses, _ := form50()
	b.ReportAllocs()
	for b.Loop() {
		if o := assessments.GradeAttempt(form, responses, 80); o.MaxScore != 50 {
			b.Fatal(o)
		}
	}
}

// BenchmarkSubmit50 grades and stores a 50-question attempt through the
// service (answers saved, attempt graded, item scores written, one
// transaction) against a bare single-row insert measured by the same
// harness on the same database: read the two as a ratio.
func BenchmarkSubmit50(b *testing.B) {
	for _, d := range apptest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			db := apptest.NewDB(b, d)
			e := apptest.New(b, db, apptest.Options{RealClock: true})
			ctx := apptest.Context(b)
			form, _, list := form50()
			p := web.Principal{UserID: "bench-user", Role: web.RoleLearner}
			settings := assessments.Settings{ID: "bench", Kind: assessments.KindQuiz, PassPercent: 80, MaxAttempts: 1 << 30}
			if err := db.Exec("CREATE TABLE bench_rows (id VARCHAR(36) PRIMARY KEY, v INTEGER NOT NULL)").Error; err != nil {
				b.Fatal(err)
			}
			newAttempt := func() string {
				id := dbx.NewID()
				err := e.Assessments.Store().CreateAttempt(ctx, assessments.Attempt{ID: id, AssessmentID: "bench", CourseID: "c",
					UserID: p.UserID, Number: int(time.Now().UnixNano() % 1e15), Status: assessments.StatusOpen, StartedAt: time.Now(),
					Deadline: time.Now().Add(time.Hour), Form: form, Settings: settings})
				if err != nil {
					b.Fatal(err)
				}
				return id
			}
			b.Run("submit-50", func(b *testing.B) {
				ids := make([]string, b.N)
				for i := range ids {
					ids[i] = newAttempt()
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					a, err := e.Assessments.Submit(ctx, p, ids[i], list)
					if err != nil || a.MaxScore != 50 {
						b.Fatal(err, a.MaxScore)
					}
				}
			})
			b.Run("bare-insert", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if err := db.WithContext(ctx).Exec("INSERT INTO bench_rows (id, v) VALUES (?, ?)", dbx.NewID(), i).Error; err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
