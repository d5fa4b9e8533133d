package assessments_test

import (
	"encoding/json"
	"io"
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

func TestBuiltInFinalFromStartToGrade(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		if err := e.Seed(apptest.Context(t), io.Discard); err != nil {
			t.Fatal(err)
		}
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

		if res := e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil); res.Status != 403 {
			t.Fatalf("not enrolled: %d %s", res.Status, res.Body)
		}
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

		// Someone else's attempt is 404 everywhere; roles are enforced.
		for _, tc := range []struct {
			method, path, token string
			body                any
			status              int
		}{
			{"GET", "/attempts/" + at.ID, other.Token, nil, 404},
			{"PUT", "/attempts/" + at.ID + "/answers", other.Token, map[string]any{"answers": []any{}}, 404},
			{"POST", "/attempts/" + at.ID + "/submit", other.Token, nil, 404},
			{"GET", "/attempts/" + at.ID, e.UserWithRole(web.RoleTrainer).Token, nil, 404},
			{"GET", "/attempts/" + at.ID, e.UserWithRole(web.RoleEmployer).Token, nil, 404},
			{"POST", "/attempts/" + at.ID + "/submit", trainer.Token, nil, 403},
			{"POST", "/assessments/" + quiz + "/attempts", trainer.Token, nil, 403},
			{"POST", "/assessments/" + quiz + "/attempts", "", nil, 401},
			{"POST", "/assessments/nope/attempts", learner.Token, nil, 404},
			{"PUT", "/attempts/" + at.ID + "/answers", learner.Token, map[string]any{"answers": []any{map[string]any{"question_id": "nope", "value": "x"}}}, 422},
			{"PUT", "/attempts/" + at.ID + "/answers", learner.Token, `{"answers":"x"}`, 400},
			{"PUT", "/attempts/" + at.ID + "/answers", learner.Token, `{"answers":[`, 400},
			{"PUT", "/attempts/" + at.ID + "/answers", learner.Token, `{"answers":[{"question_id":"` + strings.Repeat("x", 2<<20) + `"}]}`, 413},
		} {
			if r := e.Call(tc.method, api+tc.path, tc.token, tc.body); r.Status != tc.status {
				t.Errorf("%s %s: %d, want %d: %s", tc.method, tc.path, r.Status, tc.status, r.Body)
			}
		}
		// An option of another question is refused and changes nothing.
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
		if r := e.Call("PUT", api+"/attempts/"+at.ID+"/answers", learner.Token, map[string]any{"answers": []any{
			map[string]any{"question_id": otherQ, "option_ids": []string{choice.Options[0].ID}}}}); r.Status != 422 {
			t.Errorf("foreign option: %d %s", r.Status, r.Body)
		}
		if r := e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil); !strings.Contains(string(r.Body), `"answers":[]`) {
			t.Errorf("a refused save changed the attempt: %s", r.Body)
		}
		// The trainer who owns the course may read it.
		if r := e.Call("GET", api+"/attempts/"+at.ID, trainer.Token, nil); r.Status != 200 {
			t.Errorf("owning trainer: %d", r.Status)
		}

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
		res = e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil)
		if res.Status != 409 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("cooldown: %d %s", res.Status, res.Body)
		}
		retryAt, _ := time.Parse(time.RFC3339, res.Map(t)["retry_at"].(string))
		if !retryAt.Equal(e.Clock.Now().Add(time.Hour)) {
			t.Fatalf("retry_at %s, want %s", retryAt, e.Clock.Now().Add(time.Hour))
		}
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
		res = e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil)
		if res.Status != 409 || strings.Contains(string(res.Body), "retry_at") {
			t.Fatalf("attempts used up: %d %s", res.Status, res.Body)
		}
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
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		var at attemptJSON
		e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil).JSON(t, &at)
		right := e.Answers(at.ID, 0)
		wrong := e.Answers(at.ID, 3)
		// One right answer saved in time.
		if r := e.Call("PUT", api+"/attempts/"+at.ID+"/answers", learner.Token, map[string]any{"answers": right[:1]}); r.Status != 200 {
			t.Fatal(r.Status)
		}
		e.Clock.Advance(10*time.Minute + time.Second)
		if r := e.Call("PUT", api+"/attempts/"+at.ID+"/answers", learner.Token, map[string]any{"answers": right}); r.Status != 409 {
			t.Fatalf("save after the deadline: %d", r.Status)
		}
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
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		var at attemptJSON
		e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil).JSON(t, &at)
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
		for _, tc := range []struct {
			name   string
			token  string
			body   any
			status int
			field  string
		}{
			{"single choice", trainer.Token, map[string]any{"type": "single_choice", "prompt": "Pick", "explanation": "Because", "options": []any{
				map[string]any{"text": "A", "correct": true}, map[string]any{"text": "B"}}}, 201, ""},
			{"numeric", trainer.Token, map[string]any{"type": "numeric", "prompt": "How many?", "answer": map[string]any{"value": 42.5, "tolerance": 0.5}}, 201, ""},
			{"true false", trainer.Token, map[string]any{"type": "true_false", "prompt": "True?", "answer": map[string]any{"value": true}}, 201, ""},
			{"short text", trainer.Token, map[string]any{"type": "short_text", "prompt": "Capital?", "answer": map[string]any{"accepted": []string{"New Delhi"}}}, 201, ""},
			{"no correct option", trainer.Token, map[string]any{"type": "single_choice", "prompt": "Pick", "options": []any{
				map[string]any{"text": "A"}, map[string]any{"text": "B"}}}, 422, "options"},
			{"two correct in single choice", trainer.Token, map[string]any{"type": "single_choice", "prompt": "Pick", "options": []any{
				map[string]any{"text": "A", "correct": true}, map[string]any{"text": "B", "correct": true}}}, 422, "options"},
			{"empty prompt", trainer.Token, map[string]any{"type": "true_false", "prompt": "  ", "answer": map[string]any{"value": false}}, 422, "prompt"},
			{"negative tolerance", trainer.Token, map[string]any{"type": "numeric", "prompt": "N", "answer": map[string]any{"value": 1, "tolerance": -1}}, 422, "answer.tolerance"},
			{"numeric without value", trainer.Token, map[string]any{"type": "numeric", "prompt": "N"}, 422, "answer.value"},
			{"true false with a string", trainer.Token, map[string]any{"type": "true_false", "prompt": "N", "answer": map[string]any{"value": "yes"}}, 422, "answer.value"},
			{"unknown type", trainer.Token, map[string]any{"type": "essay", "prompt": "N"}, 422, "type"},
			{"negative points", trainer.Token, map[string]any{"type": "true_false", "prompt": "N", "points": -2, "answer": map[string]any{"value": true}}, 422, "points"},
			{"malformed", trainer.Token, `{"type":`, 400, ""},
			{"learner", learner.Token, map[string]any{"type": "true_false", "prompt": "N", "answer": map[string]any{"value": true}}, 403, ""},
			{"another trainer", other.Token, map[string]any{"type": "true_false", "prompt": "N", "answer": map[string]any{"value": true}}, 403, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := e.Call("POST", qpath, tc.token, tc.body)
				if r.Status != tc.status {
					t.Fatalf("%d, want %d: %s", r.Status, tc.status, r.Body)
				}
				if tc.field != "" && !strings.Contains(string(r.Body), `"field":"`+tc.field+`"`) {
					t.Fatalf("no error on %s: %s", tc.field, r.Body)
				}
				if tc.status == 201 && !strings.Contains(string(r.Body), `"answer"`) {
					t.Fatalf("trainer view lacks answer: %s", r.Body)
				}
			})
		}
		if got := count(); got != before+4 {
			t.Fatalf("%d questions, want %d", got, before+4)
		}
		if r := e.Call("GET", qpath, learner.Token, nil); r.Status != 403 {
			t.Fatalf("learner lists the bank: %d", r.Status)
		}
		if r := e.Call("GET", qpath, other.Token, nil); r.Status != 403 {
			t.Fatalf("another trainer lists the bank: %d", r.Status)
		}

		// GIFT: one bad question imports nothing.
		bad := "::A:: Good one {T}\n\n::B:: Broken {=x ~y\n\n::C:: Matching {=a -> b =c -> d}\n"
		r := e.Do(apptest.Request{Method: "POST", Path: qpath + "/import", Token: trainer.Token, Body: bad, Headers: map[string]string{"Content-Type": "text/plain"}})
		var imp struct {
			Imported int
			Errors   []struct {
				Line    int
				Message string
			}
		}
		r.JSON(t, &imp)
		if r.Status != 201 || imp.Imported != 0 || len(imp.Errors) < 2 || imp.Errors[0].Line != 3 {
			t.Fatalf("bad GIFT: %d %s", r.Status, r.Body)
		}
		if got := count(); got != before+4 {
			t.Fatalf("a failed import stored questions: %d", got)
		}
		r = e.Do(apptest.Request{Method: "POST", Path: qpath + "/import", Token: trainer.Token, Body: `{"gift":"x"}`})
		if r.Status != 415 {
			t.Fatalf("JSON to the import: %d", r.Status)
		}
		r = e.Do(apptest.Request{Method: "POST", Path: qpath + "/import", Token: learner.Token, Body: "::A:: x {T}", Headers: map[string]string{"Content-Type": "text/plain"}})
		if r.Status != 403 {
			t.Fatalf("learner imports: %d", r.Status)
		}
		r = e.Do(apptest.Request{Method: "POST", Path: qpath + "/import", Token: trainer.Token, Body: strings.Repeat("x", 3<<20), Headers: map[string]string{"Content-Type": "text/plain"}})
		if r.Status != 413 {
			t.Fatalf("3 MiB import: %d", r.Status)
		}

		// Assessment settings are validated; others may not add one.
		for _, tc := range []struct {
			token  string
			body   map[string]any
			status int
		}{
			{trainer.Token, map[string]any{"title": "T", "kind": "exam", "question_count": 1, "time_limit_seconds": 60, "pass_percent": 50, "max_attempts": 1}, 422},
			{trainer.Token, map[string]any{"title": "T", "kind": "quiz", "question_count": 0, "time_limit_seconds": 60, "pass_percent": 50, "max_attempts": 1}, 422},
			{trainer.Token, map[string]any{"title": "T", "kind": "quiz", "question_count": 1, "time_limit_seconds": 60, "pass_percent": 150, "max_attempts": 1}, 422},
			{other.Token, map[string]any{"title": "T", "kind": "quiz", "question_count": 1, "time_limit_seconds": 60, "pass_percent": 50, "max_attempts": 1}, 403},
			{learner.Token, map[string]any{"title": "T", "kind": "quiz", "question_count": 1, "time_limit_seconds": 60, "pass_percent": 50, "max_attempts": 1}, 403},
		} {
			if r := e.Call("POST", api+"/courses/"+courseID+"/assessments", tc.token, tc.body); r.Status != tc.status {
				t.Errorf("assessment %v: %d, want %d: %s", tc.body, r.Status, tc.status, r.Body)
			}
		}
		// Statistics: owning trainer only.
		if r := e.Call("GET", api+"/assessments/"+quiz+"/statistics", other.Token, nil); r.Status != 403 {
			t.Errorf("another trainer's statistics: %d", r.Status)
		}
		if r := e.Call("GET", api+"/assessments/"+quiz+"/statistics", learner.Token, nil); r.Status != 403 {
			t.Errorf("learner statistics: %d", r.Status)
		}
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
				l := e.Learner()
				enroll(t, e, l, courseID)
				var at attemptJSON
				e.Call("POST", api+"/assessments/"+quiz+"/attempts", l.Token, nil).JSON(t, &at)
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
