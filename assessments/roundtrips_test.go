package assessments_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"skillgate/app/apptest"
	"skillgate/app/web"
	"skillgate/assessments"
)

// Round-trip budgets of the hot paths of an exam, counted at the
// database/sql boundary (every statement, BEGIN and COMMIT; see
// apptest.RoundTrips) on every database. They hold once the process is
// warm: another learner has already sat and passed the same final, as on
// an exam day, so the course, its bank and publisher, and a block of
// status-list indexes are in memory.
const (
	// startBudget: the learner's enrollment and lessons (courses), their
	// attempts, one insert.
	startBudget = 4
	// submitBudget is a passing submit of answers autosaved during the
	// exam: BEGIN, the locked load, the grade with its certificate id,
	// the item scores, the certificate (its "issued" event written by the
	// database), COMMIT.
	submitBudget = 6
	// submitWithAnswersBudget is a passing submit that carries its 50
	// answers: one more statement stores them.
	submitWithAnswersBudget = 7
)

// final50 is a published course with a 50-question final (pass mark 60%)
// and one lesson.
type final50 struct {
	e        *apptest.Env
	courseID string
	finalID  string
	lessonID string
}

func newFinal50(t testing.TB, e *apptest.Env) final50 {
	t.Helper()
	var gift strings.Builder
	for i := range 50 {
		switch i % 5 {
		case 0, 1:
			fmt.Fprintf(&gift, "::Q%d:: Pick the fruit %d. {=Mango ~Brick ~Chair ~Stone}\n\n", i, i)
		case 2:
			fmt.Fprintf(&gift, "::Q%d:: Sky %d is green. {FALSE}\n\n", i, i)
		case 3:
			fmt.Fprintf(&gift, "::Q%d:: Two plus %d? {#%d:0.5}\n\n", i, i, 2+i)
		case 4:
			fmt.Fprintf(&gift, "::Q%d:: Capital of India %d? {=New Delhi =Delhi}\n\n", i, i)
		}
	}
	c := e.PublishCourse(e.UserWithRole(web.RoleTrainer), apptest.CourseSpec{Slug: "rt-final", Title: "Round trips",
		Summary: "A final of fifty.", ValidityDays: 365, GIFT: gift.String(),
		Assessment: map[string]any{"title": "Final", "kind": "final", "question_count": 50, "time_limit_seconds": 3600,
			"pass_percent": 60, "max_attempts": 3, "cooldown_seconds": 0}})
	return final50{e: e, courseID: c.ID, finalID: c.AssessmentID, lessonID: c.LessonIDs[0]}
}

// ready enrolls a new learner and completes the lessons, returning the
// learner as the API authenticates them.
func (f final50) ready(t *testing.T) web.Principal {
	t.Helper()
	_, p := f.readyUser(t)
	return p
}

// readyUser is ready that also returns the learner, for calls over HTTP.
func (f final50) readyUser(t testing.TB) (apptest.User, web.Principal) {
	t.Helper()
	u := f.e.Learner()
	f.e.Call("POST", "/api/v1/courses/"+f.courseID+"/enrollments", u.Token, nil)
	var pkg struct {
		Modules []struct{ Lessons []struct{ ID string } }
	}
	f.e.Call("GET", "/api/v1/courses/"+f.courseID+"/package", u.Token, nil).JSON(t, &pkg)
	for _, l := range pkg.Modules[0].Lessons {
		f.e.Call("POST", "/api/v1/lessons/"+l.ID+"/complete", u.Token, nil)
	}
	p, err := f.e.Accounts.Authenticate(apptest.Context(t), u.Token)
	if err != nil {
		t.Fatal(err)
	}
	return u, p
}

// responses answers an attempt's form (all right), as a client would send.
func (f final50) responses(t testing.TB, attemptID string) []assessments.Response {
	t.Helper()
	var out []assessments.Response
	for _, m := range f.e.Answers(attemptID, 0) {
		r := assessments.Response{QuestionID: m["question_id"].(string)}
		if ids, ok := m["option_ids"].([]string); ok {
			r.OptionIDs = ids
		}
		if v, ok := m["value"].(string); ok {
			r.Value = &v
		}
		out = append(out, r)
	}
	return out
}

// pass starts, answers and submits a passing attempt with its answers in
// the submit, returning the graded attempt.
func (f final50) pass(t *testing.T, ctx context.Context, p web.Principal) assessments.Attempt {
	t.Helper()
	a, _, err := f.e.Assessments.Start(ctx, p, f.finalID)
	if err != nil {
		t.Fatal(err)
	}
	g, err := f.e.Assessments.Submit(ctx, p, a.ID, f.responses(t, a.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !g.Passed || g.CertificateID == "" || len(g.Results) != 50 {
		t.Fatalf("want a pass of 50 with a certificate, got passed=%v certificate=%q results=%d", g.Passed, g.CertificateID, len(g.Results))
	}
	return g
}

func TestRoundTripsOfStartAndPassingSubmit(t *testing.T) {
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			db := apptest.NewDB(t, d)
			rt := apptest.CountRoundTrips(db)
			e := apptest.New(t, db)
			ctx := apptest.Context(t)
			f := newFinal50(t, e)
			// Learners are registered, enrolled and through the lessons
			// first: those changes flush caches (an account change flushes
			// every publisher), which is not what is measured here.
			first, second, third := f.ready(t), f.ready(t), f.ready(t)
			// The change bus hears its own process's changes again from
			// the log (and on PostgreSQL from NOTIFY): wait until it has
			// read past them, so that none flushes a cache mid-count.
			for range 2 {
				select {
				case <-e.Changes.Seen():
				case <-time.After(30 * time.Second):
					t.Fatal("the change bus never read its log")
				}
			}
			f.pass(t, ctx, first) // another learner warms the process

			count := func(what string, budget int, fn func(ctx context.Context) assessments.Attempt) assessments.Attempt {
				t.Helper()
				rt.Reset()
				a := fn(rt.Counting(ctx))
				list := rt.Statements()
				for i, st := range list {
					list[i] = st[:min(len(st), 110)]
				}
				t.Logf("%s: %d round trips (budget %d)\n\t%s", what, len(list), budget, strings.Join(list, "\n\t"))
				if len(list) > budget {
					t.Errorf("%s made %d round trips, budget %d", what, len(list), budget)
				}
				return a
			}
			start := func(p web.Principal) func(ctx context.Context) assessments.Attempt {
				return func(ctx context.Context) assessments.Attempt {
					a, created, err := e.Assessments.Start(ctx, p, f.finalID)
					if err != nil || !created {
						t.Fatal(created, err)
					}
					return a
				}
			}
			submit := func(p web.Principal, id string, rs []assessments.Response) func(ctx context.Context) assessments.Attempt {
				return func(ctx context.Context) assessments.Attempt {
					g, err := e.Assessments.Submit(ctx, p, id, rs)
					if err != nil {
						t.Fatal(err)
					}
					if !g.Passed || g.CertificateID == "" || len(g.Results) != 50 {
						t.Fatalf("want a pass of 50 with a certificate, got passed=%v certificate=%q results=%d", g.Passed, g.CertificateID, len(g.Results))
					}
					return g
				}
			}

			p := second
			a := count("start", startBudget, start(p))
			if _, err := e.Assessments.SaveAnswers(ctx, p, a.ID, f.responses(t, a.ID)); err != nil {
				t.Fatal(err)
			}
			count("passing submit of 50 autosaved answers", submitBudget, submit(p, a.ID, nil))

			p = third
			a = count("start", startBudget, start(p))
			count("passing submit carrying 50 answers", submitWithAnswersBudget, submit(p, a.ID, f.responses(t, a.ID)))
		})
	}
}
