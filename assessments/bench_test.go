package assessments_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/accounts"
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

// eachFinal50 runs fn on every database, on a wired platform with a
// published 50-question final.
func eachFinal50(b *testing.B, fn func(b *testing.B, d dbx.Dialect, db *gorm.DB, ctx context.Context, f final50)) {
	for _, d := range apptest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			db := apptest.NewDB(b, d)
			e := apptest.New(b, db, apptest.Options{RealClock: true})
			fn(b, d, db, apptest.Context(b), newFinal50(b, e))
		})
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
			// Attempts are written straight to the store: the benchmark
			// measures the submit, not how an attempt came to be.
			store := assessments.NewStore(db)
			if err := db.Exec("CREATE TABLE bench_rows (id VARCHAR(36) PRIMARY KEY, v INTEGER NOT NULL)").Error; err != nil {
				b.Fatal(err)
			}
			newAttempt := func() string {
				id := dbx.NewID()
				err := store.CreateAttempt(ctx, assessments.Attempt{ID: id, AssessmentID: "bench", CourseID: "c",
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

// learners makes n learners (class-card accounts: no password hash),
// enrolled in f's course with its lesson done, as principals.
func (f final50) learners(b testing.TB, n int) []web.Principal {
	b.Helper()
	ctx := apptest.Context(b)
	rows := make([]accounts.NewLearner, n)
	for i := range rows {
		rows[i] = accounts.NewLearner{Name: fmt.Sprintf("Bench Learner %d", i), Username: "bl" + dbx.NewID()[24:]}
	}
	users, err := f.e.Accounts.CreateLearners(ctx, rows)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]web.Principal, len(users))
	for i, u := range users {
		p := web.Principal{UserID: u.ID, Name: u.Name, Role: web.RoleLearner}
		if _, _, err := f.e.Courses.Enroll(ctx, p, f.courseID); err != nil {
			b.Fatal(err)
		}
		if _, err := f.e.Courses.Complete(ctx, p, f.lessonID); err != nil {
			b.Fatal(err)
		}
		out[i] = p
	}
	return out
}

// BenchmarkExam50 measures the two hot paths of an exam on a warm
// process, a 50-question final of a published course with a certificate
// for a pass, each beside its bare baseline run by the same harness on the
// same database in the same run (read the pairs as ratios, baseline
// ns/op over ours):
//
//   - start: a new attempt (the learner's standing, their attempts, the
//     form drawn from the bank, the insert); bare-start reads a stored
//     50-question form and inserts an attempt row with it.
//   - submit: a passing submit carrying its 50 answers (stored, graded,
//     item scores and a signed certificate); bare-submit decodes the 50
//     answers, grades them and inserts one row in a transaction.
//
// Run with a fixed count, e.g. -bench Exam50 -benchtime 300x.
func BenchmarkExam50(b *testing.B) {
	eachFinal50(b, func(b *testing.B, d dbx.Dialect, db *gorm.DB, ctx context.Context, f final50) {
		e := f.e
		sqlDB, err := db.DB()
		if err != nil {
			b.Fatal(err)
		}
		for _, stmt := range []string{
			"CREATE TABLE bench_attempts (id VARCHAR(36) PRIMARY KEY, user_id VARCHAR(36) NOT NULL, form TEXT NOT NULL)",
			"CREATE TABLE bench_grades (id VARCHAR(36) PRIMARY KEY, score DOUBLE PRECISION NOT NULL, results TEXT NOT NULL)",
		} {
			if err := db.Exec(stmt).Error; err != nil {
				b.Fatal(err)
			}
		}
		// A warm process: one learner has sat and passed already.
		warm := f.learners(b, 1)[0]
		first, _, err := e.Assessments.Start(ctx, warm, f.finalID)
		if err != nil {
			b.Fatal(err)
		}
		if g, err := e.Assessments.Submit(ctx, warm, first.ID, f.responses(b, first.ID)); err != nil || g.CertificateID == "" {
			b.Fatal(err, g.CertificateID)
		}
		q := "SELECT form FROM attempts WHERE id = ?"
		ins := "INSERT INTO bench_attempts (id, user_id, form) VALUES (?, ?, ?)"
		grade := "INSERT INTO bench_grades (id, score, results) VALUES (?, ?, ?)"
		if d == dbx.Postgres {
			q, ins, grade = "SELECT form FROM attempts WHERE id = $1", "INSERT INTO bench_attempts (id, user_id, form) VALUES ($1, $2, $3)",
				"INSERT INTO bench_grades (id, score, results) VALUES ($1, $2, $3)"
		}

		b.Run("start", func(b *testing.B) {
			ps := f.learners(b, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, created, err := e.Assessments.Start(ctx, ps[i], f.finalID); err != nil || !created {
					b.Fatal(created, err)
				}
			}
		})
		b.Run("bare-start", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var form string
				if err := sqlDB.QueryRowContext(ctx, q, first.ID).Scan(&form); err != nil {
					b.Fatal(err)
				}
				if _, err := sqlDB.ExecContext(ctx, ins, dbx.NewID(), warm.UserID, form); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("submit", func(b *testing.B) {
			ps := f.learners(b, b.N)
			ids := make([]string, b.N)
			answers := make([][]assessments.Response, b.N)
			for i, p := range ps {
				a, _, err := e.Assessments.Start(ctx, p, f.finalID)
				if err != nil {
					b.Fatal(err)
				}
				ids[i], answers[i] = a.ID, f.responses(b, a.ID)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				g, err := e.Assessments.Submit(ctx, ps[i], ids[i], answers[i])
				if err != nil || !g.Passed || g.CertificateID == "" {
					b.Fatal(err, g.Passed)
				}
			}
		})
		b.Run("bare-submit", func(b *testing.B) {
			stored, err := e.Assessments.StoredAttempt(ctx, first.ID)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := json.Marshal(f.responses(b, first.ID))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var rs []assessments.Response
				if err := json.Unmarshal(body, &rs); err != nil {
					b.Fatal(err)
				}
				byID := make(map[string]assessments.Response, len(rs))
				for _, r := range rs {
					byID[r.QuestionID] = r
				}
				o := assessments.GradeAttempt(stored.Form, byID, 60)
				results, _ := json.Marshal(o.Results)
				tx, err := sqlDB.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := tx.ExecContext(ctx, grade, dbx.NewID(), o.Score, string(results)); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
