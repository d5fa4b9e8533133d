package assessments_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

// forbiddenKeys may never reach a learner before the review rules allow.
var forbiddenKeys = []string{"correct", "answer", "accepted", "explanation", "right_answer"}

// assertNoAnswers fails if any object in body has a key that would give
// the answers away.
func assertNoAnswers(t *testing.T, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				for _, bad := range forbiddenKeys {
					if k == bad {
						t.Fatalf("learner-facing answer carries %q: %s", k, body)
					}
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(v)
}

type attemptJSON struct {
	ID        string    `json:"id"`
	Status    string    `json:"status"`
	Deadline  time.Time `json:"deadline"`
	Questions []struct {
		ID      string `json:"id"`
		Type    string `json:"type"`
		Options []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"options"`
	} `json:"questions"`
}

type gradeJSON struct {
	ID            string  `json:"id"`
	Status        string  `json:"status"`
	Score         float64 `json:"score"`
	MaxScore      float64 `json:"max_score"`
	Percent       float64 `json:"percent"`
	Passed        bool    `json:"passed"`
	CertificateID *string `json:"certificate_id"`
}

// bankGIFT is the bank of bankCourse: one question of each kind, with
// explanations for the review.
const bankGIFT = `::Q1:: Two plus two? {#4 ####Because.}

::Q2:: The sky is green. {FALSE ####It is blue.}

::Q3:: Pick the fruit. {=Mango ~Brick ~Chair ####A mango grows on a tree.}
`

// bankCourse is a trainer's published course of one lesson with bankGIFT
// and a quiz drawing all three questions (60% to pass, two attempts an
// hour apart); settings override the quiz's.
func bankCourse(e *apptest.Env, trainer apptest.User, settings map[string]any) (courseID, assessmentID string) {
	e.T.Helper()
	c := e.PublishCourse(trainer, apptest.CourseSpec{Title: "Bank", GIFT: bankGIFT, Assessment: withSettings(map[string]any{
		"title": "Quiz", "kind": "quiz", "question_count": 3, "time_limit_seconds": 600, "pass_percent": 60,
		"max_attempts": 2, "cooldown_seconds": 3600}, settings)})
	return c.ID, c.AssessmentID
}

// withSettings is an assessment's settings as the API takes them: the
// defaults with settings laid over them.
func withSettings(defaults, settings map[string]any) map[string]any {
	out := make(map[string]any, len(defaults)+len(settings))
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range settings {
		out[k] = v
	}
	return out
}

func enroll(t *testing.T, e *apptest.Env, learner apptest.User, courseID string) {
	t.Helper()
	if res := e.Call("POST", api+"/courses/"+courseID+"/enrollments", learner.Token, nil); res.Status != 201 {
		t.Fatalf("enroll: %d %s", res.Status, res.Body)
	}
}

// startAttempt enrolls a new learner in the course and starts the
// assessment for them.
func startAttempt(t *testing.T, e *apptest.Env, courseID, assessmentID string) (apptest.User, attemptJSON) {
	t.Helper()
	learner := e.Learner()
	enroll(t, e, learner, courseID)
	res := e.Call("POST", api+"/assessments/"+assessmentID+"/attempts", learner.Token, nil)
	if res.Status != 201 {
		t.Fatalf("start: %d %s", res.Status, res.Body)
	}
	var at attemptJSON
	res.JSON(t, &at)
	return learner, at
}

func TestBuiltInFinalFromStartToGrade(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.NewSeeded(t, db)
		learner := e.Learner()
		res := e.Call("GET", api+"/courses/data-confidentiality-essentials/assessments", "", nil)
		var list struct {
			Items []struct {
				ID            string  `json:"id"`
				Kind          string  `json:"kind"`
				QuestionCount int     `json:"question_count"`
				PassPercent   float64 `json:"pass_percent"`
			}
		}
		res.JSON(t, &list)
		if res.Status != 200 || len(list.Items) != 1 || list.Items[0].Kind != "final" || list.Items[0].QuestionCount != 20 {
			t.Fatalf("assessments: %d %s", res.Status, res.Body)
		}
		final := list.Items[0].ID

		e.Scenarios(t, []apptest.Scenario{{Name: "start without enrolling", Method: "POST", Path: api + "/assessments/" + final + "/attempts",
			Token: learner.Token, Status: 403, Problem: "forbidden"}})
		res = e.Call("POST", api+"/courses/data-confidentiality-essentials/enrollments", learner.Token, nil)
		courseID := res.Map(t)["course_id"].(string)
		var pkg struct {
			Modules []struct{ Lessons []struct{ ID string } }
		}
		e.Call("GET", api+"/courses/"+courseID+"/package", learner.Token, nil).JSON(t, &pkg)
		for _, m := range pkg.Modules {
			for _, l := range m.Lessons {
				e.Call("POST", api+"/lessons/"+l.ID+"/complete", learner.Token, nil)
			}
		}

		res = e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil)
		if res.Status != 201 {
			t.Fatalf("start: %d %s", res.Status, res.Body)
		}
		assertNoAnswers(t, res.Body)
		var at attemptJSON
		res.JSON(t, &at)
		if len(at.Questions) != 20 || at.Status != "open" || !at.Deadline.Equal(e.Clock.Now().Add(30*time.Minute)) {
			t.Fatalf("attempt: %d questions, %s, deadline %s", len(at.Questions), at.Status, at.Deadline)
		}
		again := e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil)
		if again.Status != 200 || again.Map(t)["id"] != at.ID {
			t.Fatalf("second start: %d %s", again.Status, again.Body)
		}
		assertNoAnswers(t, again.Body)

		answers := e.Answers(at.ID, 2)
		res = e.Call("PUT", api+"/attempts/"+at.ID+"/answers", learner.Token, map[string]any{"answers": answers[:10]})
		if res.Status != 200 {
			t.Fatalf("autosave: %d %s", res.Status, res.Body)
		}
		assertNoAnswers(t, res.Body)
		res = e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil)
		assertNoAnswers(t, res.Body)
		if !strings.Contains(string(res.Body), answers[5]["question_id"].(string)) {
			t.Fatalf("saved answers not shown back: %s", res.Body)
		}

		res = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": answers[10:]})
		var g gradeJSON
		res.JSON(t, &g)
		if res.Status != 200 || g.Status != "graded" || g.Percent != 90 || !g.Passed || g.MaxScore != 20 || g.Score != 18 {
			t.Fatalf("submit: %d %s", res.Status, res.Body)
		}
		// The pass of a final issued its certificate in the same transaction.
		if g.CertificateID == nil {
			t.Fatalf("a passed final without a certificate: %s", res.Body)
		}
		if r := e.Call("GET", api+"/certificates/"+*g.CertificateID, learner.Token, nil); r.Status != 200 {
			t.Fatalf("certificate: %d %s", r.Status, r.Body)
		}
		// Passed: the review shows right answers and explanations.
		res = e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil)
		if !strings.Contains(string(res.Body), `"right_answer":{`) || !strings.Contains(string(res.Body), `"explanation":"`) {
			t.Fatalf("review after a pass: %s", res.Body)
		}
	})
}

func TestAttemptRules(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, quiz := bankCourse(e, trainer, nil)
		learner, other := e.Learner(), e.Learner()
		enroll(t, e, learner, courseID)
		enroll(t, e, other, courseID)

		res := e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil)
		var at attemptJSON
		res.JSON(t, &at)
		assertNoAnswers(t, res.Body)

		// An option of another question of the same attempt.
		choice := at.Questions[0]
		for _, q := range at.Questions {
			if q.Type == "single_choice" {
				choice = q
			}
		}
		var otherQ string
		for _, q := range at.Questions {
			if q.ID != choice.ID {
				otherQ = q.ID
			}
		}
		attempt := api + "/attempts/" + at.ID
		start := api + "/assessments/" + quiz + "/attempts"
		e.Scenarios(t, []apptest.Scenario{
			// Someone else's attempt is 404 everywhere.
			{Name: "another learner reads it", Method: "GET", Path: attempt, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "another learner saves answers", Method: "PUT", Path: attempt + "/answers", Token: other.Token,
				Body: map[string]any{"answers": []any{}}, Status: 404, Problem: "not-found"},
			{Name: "another learner submits", Method: "POST", Path: attempt + "/submit", Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "a trainer of another course reads it", Method: "GET", Path: attempt, Token: e.UserWithRole(web.RoleTrainer).Token,
				Status: 404, Problem: "not-found"},
			{Name: "an employer reads it", Method: "GET", Path: attempt, Token: e.UserWithRole(web.RoleEmployer).Token, Status: 404, Problem: "not-found"},
			// Only learners sit assessments.
			{Name: "the trainer submits", Method: "POST", Path: attempt + "/submit", Token: trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "the trainer starts one", Method: "POST", Path: start, Token: trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "anonymous start", Method: "POST", Path: start, Status: 401, Problem: "unauthenticated"},
			{Name: "unknown assessment", Method: "POST", Path: api + "/assessments/nope/attempts", Token: learner.Token, Status: 404, Problem: "not-found"},
			// Answers must name the attempt's own questions and options.
			{Name: "unknown question", Method: "PUT", Path: attempt + "/answers", Token: learner.Token,
				Body: map[string]any{"answers": []any{map[string]any{"question_id": "nope", "value": "x"}}}, Status: 422, Problem: "validation"},
			{Name: "an option of another question", Method: "PUT", Path: attempt + "/answers", Token: learner.Token,
				Body:   map[string]any{"answers": []any{map[string]any{"question_id": otherQ, "option_ids": []string{choice.Options[0].ID}}}},
				Status: 422, Problem: "validation"},
			{Name: "answers of the wrong type", Method: "PUT", Path: attempt + "/answers", Token: learner.Token, Body: `{"answers":"x"}`,
				Status: 400, Problem: "bad-request"},
			{Name: "malformed answers", Method: "PUT", Path: attempt + "/answers", Token: learner.Token, Body: `{"answers":[`,
				Status: 400, Problem: "bad-request"},
			{Name: "2 MiB of answers", Method: "PUT", Path: attempt + "/answers", Token: learner.Token,
				Body: `{"answers":[{"question_id":"` + strings.Repeat("x", 2<<20) + `"}]}`, Status: 413, Problem: "too-large"},
			// None of that was saved; the trainer who owns the course may read it.
			{Name: "the refused saves changed nothing", Method: "GET", Path: attempt, Token: learner.Token, Status: 200,
				Contains: []string{`"answers":[]`}, Check: func(t *testing.T, res apptest.Response) { assertNoAnswers(t, res.Body) }},
			{Name: "the owning trainer reads it", Method: "GET", Path: attempt, Token: trainer.Token, Status: 200},
		})

		// Fail the first attempt: cooldown, then the limit.
		res = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, 3)})
		var g gradeJSON
		res.JSON(t, &g)
		if g.Passed || g.Percent != 0 {
			t.Fatalf("all wrong: %s", res.Body)
		}
		// Failed with an attempt left: no right answers yet.
		if r := e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil); !strings.Contains(string(r.Body), `"right_answer":null`) ||
			strings.Contains(string(r.Body), `"explanation":"`) {
			t.Fatalf("review with an attempt left: %s", r.Body)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "start again in the cooldown", Method: "POST", Path: api + "/assessments/" + quiz + "/attempts",
			Token: learner.Token, Status: 409, Problem: "conflict", Contains: []string{`"retry_at"`},
			Check: func(t *testing.T, res apptest.Response) {
				if res.Header.Get("Retry-After") == "" {
					t.Fatalf("no Retry-After: %v", res.Header)
				}
				retryAt, _ := time.Parse(time.RFC3339, res.Map(t)["retry_at"].(string))
				if !retryAt.Equal(e.Clock.Now().Add(time.Hour)) {
					t.Fatalf("retry_at %s, want %s", retryAt, e.Clock.Now().Add(time.Hour))
				}
			}}})
		e.Clock.Advance(time.Hour + time.Second)
		e.SignIn(&learner)
		res = e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil)
		if res.Status != 201 {
			t.Fatalf("after cooldown: %d %s", res.Status, res.Body)
		}
		var second attemptJSON
		res.JSON(t, &second)
		e.Call("POST", api+"/attempts/"+second.ID+"/submit", learner.Token, nil)
		e.Clock.Advance(2 * time.Hour)
		e.SignIn(&learner)
		e.Scenarios(t, []apptest.Scenario{{Name: "start with the attempts used up", Method: "POST", Path: api + "/assessments/" + quiz + "/attempts",
			Token: learner.Token, Status: 409, Problem: "conflict", Absent: []string{"retry_at"}}})
		// No attempt left: the first attempt's review now reveals.
		if r := e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil); !strings.Contains(string(r.Body), `"explanation":"`) {
			t.Fatalf("review with no attempt left: %s", r.Body)
		}
	})
}

func TestSubmitAfterDeadlineCountsOnlyAnswersSavedInTime(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, quiz := bankCourse(e, trainer, nil)
		learner, at := startAttempt(t, e, courseID, quiz)
		right := e.Answers(at.ID, 0)
		wrong := e.Answers(at.ID, 3)
		// One right answer saved in time.
		if r := e.Call("PUT", api+"/attempts/"+at.ID+"/answers", learner.Token, map[string]any{"answers": right[:1]}); r.Status != 200 {
			t.Fatal(r.Status)
		}
		e.Clock.Advance(10*time.Minute + time.Second)
		e.Scenarios(t, []apptest.Scenario{{Name: "save after the deadline", Method: "PUT", Path: api + "/attempts/" + at.ID + "/answers", Token: learner.Token,
			Body: map[string]any{"answers": right}, Status: 409, Problem: "conflict"}})
		// Late answers in the submit body are ignored, right or wrong.
		res := e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": append(right[1:], wrong[0])})
		var g gradeJSON
		res.JSON(t, &g)
		if res.Status != 200 || g.Score != 1 || g.MaxScore != 3 {
			t.Fatalf("late submit: %d %s", res.Status, res.Body)
		}
	})
}

func TestConcurrentSubmitsGradeOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, quiz := bankCourse(e, trainer, nil)
		learner, at := startAttempt(t, e, courseID, quiz)
		answers := e.Answers(at.ID, 1)

		const n = 6
		bodies := make([]string, n)
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": answers})
				bodies[i], statuses[i] = string(r.Body), r.Status
			}()
		}
		wg.Wait()
		for i := range bodies {
			if statuses[i] != 200 || bodies[i] != bodies[0] {
				t.Fatalf("submit %d: %d %s (first: %s)", i, statuses[i], bodies[i], bodies[0])
			}
		}
		var items int64
		db.Table("attempt_item_scores").Where("attempt_id = ?", at.ID).Count(&items)
		if items != 3 {
			t.Fatalf("%d item scores: graded more than once", items)
		}
		var g gradeJSON
		json.Unmarshal([]byte(bodies[0]), &g)
		if g.Score != 2 {
			t.Fatalf("score %v", g.Score)
		}
	})
}

func TestQuestionBankAuthoring(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		other := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		courseID, quiz := bankCourse(e, trainer, nil)
		qpath := api + "/courses/" + courseID + "/questions"
		count := func() int {
			var l struct{ Items []any }
			e.Call("GET", qpath+"?limit=100", trainer.Token, nil).JSON(t, &l)
			return len(l.Items)
		}
		before := count()
		// add is a question created through the API: the trainer gets it
		// back with its answer.
		add := func(name string, body map[string]any) apptest.Scenario {
			return apptest.Scenario{Name: name, Method: "POST", Path: qpath, Token: trainer.Token, Body: body, Status: 201, Contains: []string{`"answer"`}}
		}
		// refuse is a question the API refuses, naming the field at fault.
		refuse := func(name string, body map[string]any, field string) apptest.Scenario {
			return apptest.Scenario{Name: name, Method: "POST", Path: qpath, Token: trainer.Token, Body: body, Status: 422, Problem: "validation",
				Contains: []string{`"field":"` + field + `"`}}
		}
		tf := map[string]any{"type": "true_false", "prompt": "N", "answer": map[string]any{"value": true}}
		e.Scenarios(t, []apptest.Scenario{
			add("single choice", map[string]any{"type": "single_choice", "prompt": "Pick", "explanation": "Because", "options": []any{
				map[string]any{"text": "A", "correct": true}, map[string]any{"text": "B"}}}),
			add("numeric", map[string]any{"type": "numeric", "prompt": "How many?", "answer": map[string]any{"value": 42.5, "tolerance": 0.5}}),
			add("true false", map[string]any{"type": "true_false", "prompt": "True?", "answer": map[string]any{"value": true}}),
			add("short text", map[string]any{"type": "short_text", "prompt": "Capital?", "answer": map[string]any{"accepted": []string{"New Delhi"}}}),
			refuse("no correct option", map[string]any{"type": "single_choice", "prompt": "Pick", "options": []any{
				map[string]any{"text": "A"}, map[string]any{"text": "B"}}}, "options"),
			refuse("two correct in single choice", map[string]any{"type": "single_choice", "prompt": "Pick", "options": []any{
				map[string]any{"text": "A", "correct": true}, map[string]any{"text": "B", "correct": true}}}, "options"),
			refuse("empty prompt", map[string]any{"type": "true_false", "prompt": "  ", "answer": map[string]any{"value": false}}, "prompt"),
			refuse("negative tolerance", map[string]any{"type": "numeric", "prompt": "N", "answer": map[string]any{"value": 1, "tolerance": -1}}, "answer.tolerance"),
			refuse("numeric without value", map[string]any{"type": "numeric", "prompt": "N"}, "answer.value"),
			refuse("true false with a string", map[string]any{"type": "true_false", "prompt": "N", "answer": map[string]any{"value": "yes"}}, "answer.value"),
			refuse("unknown type", map[string]any{"type": "essay", "prompt": "N"}, "type"),
			refuse("negative points", map[string]any{"type": "true_false", "prompt": "N", "points": -2, "answer": map[string]any{"value": true}}, "points"),
			{Name: "malformed", Method: "POST", Path: qpath, Token: trainer.Token, Body: `{"type":`, Status: 400, Problem: "bad-request"},
			{Name: "learner", Method: "POST", Path: qpath, Token: learner.Token, Body: tf, Status: 403, Problem: "forbidden"},
			{Name: "another trainer", Method: "POST", Path: qpath, Token: other.Token, Body: tf, Status: 403, Problem: "forbidden"},
		})
		if got := count(); got != before+4 {
			t.Fatalf("%d questions, want %d", got, before+4)
		}

		// bankUnchanged re-reads the bank after a refused import.
		bankUnchanged := func(t *testing.T, _ apptest.Response) {
			if got := count(); got != before+4 {
				t.Fatalf("a refused import stored questions: %d, want %d", got, before+4)
			}
		}
		gift := map[string]string{"Content-Type": "text/plain"}
		settings := func(kind string, questions, passPercent int) map[string]any {
			return map[string]any{"title": "T", "kind": kind, "question_count": questions, "time_limit_seconds": 60, "pass_percent": passPercent, "max_attempts": 1}
		}
		assessmentsPath := api + "/courses/" + courseID + "/assessments"
		stats := api + "/assessments/" + quiz + "/statistics"
		e.Scenarios(t, []apptest.Scenario{
			// The bank is the owning trainer's to read.
			{Name: "a learner lists the bank", Method: "GET", Path: qpath, Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "another trainer lists the bank", Method: "GET", Path: qpath, Token: other.Token, Status: 403, Problem: "forbidden"},
			// GIFT: one bad question imports nothing, and says where.
			{Name: "GIFT with bad questions", Method: "POST", Path: qpath + "/import", Token: trainer.Token, Headers: gift,
				Body: "::A:: Good one {T}\n\n::B:: Broken {=x ~y\n\n::C:: Matching {=a -> b =c -> d}\n", Status: 201,
				Contains: []string{`"imported":0`}, Check: func(t *testing.T, res apptest.Response) {
					var imp struct {
						Imported int
						Errors   []struct {
							Line    int
							Message string
						}
					}
					res.JSON(t, &imp)
					if imp.Imported != 0 || len(imp.Errors) < 2 || imp.Errors[0].Line != 3 {
						t.Fatalf("bad GIFT: %s", res.Body)
					}
					bankUnchanged(t, res)
				}},
			{Name: "JSON to the import", Method: "POST", Path: qpath + "/import", Token: trainer.Token, Body: `{"gift":"x"}`,
				Status: 415, Problem: "unsupported-media-type", Check: bankUnchanged},
			{Name: "a learner imports", Method: "POST", Path: qpath + "/import", Token: learner.Token, Headers: gift, Body: "::A:: x {T}",
				Status: 403, Problem: "forbidden", Check: bankUnchanged},
			{Name: "3 MiB import", Method: "POST", Path: qpath + "/import", Token: trainer.Token, Headers: gift, Body: strings.Repeat("x", 3<<20),
				Status: 413, Problem: "too-large", Check: bankUnchanged},
			// Assessment settings are validated; others may not add one.
			{Name: "unknown kind", Method: "POST", Path: assessmentsPath, Token: trainer.Token, Body: settings("exam", 1, 50), Status: 422, Problem: "validation"},
			{Name: "no questions", Method: "POST", Path: assessmentsPath, Token: trainer.Token, Body: settings("quiz", 0, 50), Status: 422, Problem: "validation"},
			{Name: "pass mark over 100", Method: "POST", Path: assessmentsPath, Token: trainer.Token, Body: settings("quiz", 1, 150), Status: 422, Problem: "validation"},
			{Name: "another trainer adds one", Method: "POST", Path: assessmentsPath, Token: other.Token, Body: settings("quiz", 1, 50), Status: 403, Problem: "forbidden"},
			{Name: "a learner adds one", Method: "POST", Path: assessmentsPath, Token: learner.Token, Body: settings("quiz", 1, 50), Status: 403, Problem: "forbidden"},
			// Statistics: owning trainer only.
			{Name: "another trainer's statistics", Method: "GET", Path: stats, Token: other.Token, Status: 403, Problem: "forbidden"},
			{Name: "a learner's statistics", Method: "GET", Path: stats, Token: learner.Token, Status: 403, Problem: "forbidden"},
		})
	})
}

func TestItemStatistics(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, quiz := bankCourse(e, trainer, map[string]any{"max_attempts": 1})
		type statsJSON struct {
			Attempts    int     `json:"attempts"`
			PassRate    float64 `json:"pass_rate"`
			MeanPercent float64 `json:"mean_percent"`
			MinSample   int     `json:"min_sample"`
			Questions   []struct {
				QuestionID     string   `json:"question_id"`
				Prompt         string   `json:"prompt"`
				Attempts       int      `json:"attempts"`
				Facility       float64  `json:"facility"`
				Discrimination *float64 `json:"discrimination"`
				Flags          []string `json:"flags"`
			} `json:"questions"`
		}
		// Learner i gets i%4 of 3 questions wrong (0..3), in rounds of 4.
		sit := func(rounds int) statsJSON {
			for i := 0; i < 4*rounds; i++ {
				l, at := startAttempt(t, e, courseID, quiz)
				e.Call("POST", api+"/attempts/"+at.ID+"/submit", l.Token, map[string]any{"answers": e.Answers(at.ID, i%4)})
			}
			res := e.Call("GET", api+"/assessments/"+quiz+"/statistics", trainer.Token, nil)
			var st statsJSON
			res.JSON(t, &st)
			// Scores 3,2,1,0 of 3: mean 50%, pass (60%) only for 3/3 and 2/3.
			if res.Status != 200 || st.PassRate != 0.5 || st.MeanPercent != 50 || len(st.Questions) != 3 || st.MinSample != 10 {
				t.Fatalf("statistics: %d %s", res.Status, res.Body)
			}
			if !strings.Contains(string(res.Body), `"discrimination":`) {
				t.Fatalf("discrimination is left out instead of null: %s", res.Body)
			}
			var facilitySum float64
			for _, q := range st.Questions {
				facilitySum += q.Facility
				if q.Prompt == "" || strings.Contains(q.Prompt, "::") || q.Flags == nil {
					t.Errorf("question without its prompt or flags: %+v", q)
				}
				if (q.Facility < 0.2) != slices.Contains(q.Flags, "too_hard") || (q.Facility > 0.95) != slices.Contains(q.Flags, "too_easy") {
					t.Errorf("flags do not follow facility: %+v", q)
				}
			}
			// Total facility equals the mean share of marks: 6 of 12.
			if facilitySum < 1.4999 || facilitySum > 1.5001 {
				t.Errorf("facilities sum to %v, want 1.5", facilitySum)
			}
			return st
		}
		// Below the minimum sample discrimination is null, not a number
		// read from four people.
		for _, q := range sit(1).Questions {
			if q.Attempts != 4 || q.Discrimination != nil || slices.Contains(q.Flags, "not_discriminating") {
				t.Errorf("question %+v", q)
			}
		}
		st := sit(2)
		if st.Attempts != 12 {
			t.Fatalf("attempts %d", st.Attempts)
		}
		for _, q := range st.Questions {
			if q.Attempts != 12 || q.Discrimination == nil || *q.Discrimination <= 0 ||
				(*q.Discrimination < 0.2) != slices.Contains(q.Flags, "not_discriminating") {
				t.Errorf("question %+v", q)
			}
		}
	})
}
