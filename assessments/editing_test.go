package assessments_test

import (
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

type bankQuestion struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Type        string `json:"type"`
	Prompt      string `json:"prompt"`
	Points      float64
	Explanation string `json:"explanation"`
	Options     []struct {
		ID      string `json:"id"`
		Text    string `json:"text"`
		Correct bool   `json:"correct"`
	} `json:"options"`
}

func bank(t *testing.T, e *apptest.Env, token, courseID string) []bankQuestion {
	t.Helper()
	var l struct{ Items []bankQuestion }
	res := e.Call("GET", api+"/courses/"+courseID+"/questions?limit=100", token, nil)
	if res.Status != 200 {
		t.Fatalf("bank: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &l)
	return l.Items
}

func byName(qs []bankQuestion, name string) bankQuestion {
	for _, q := range qs {
		if q.Name == name {
			return q
		}
	}
	return bankQuestion{}
}

func TestEditingQuestionsAndAssessments(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, quiz := bankCourse(e, trainer, nil)
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		// An attempt drawn before the edits keeps its form.
		var at attemptJSON
		if res := e.Call("POST", api+"/assessments/"+quiz+"/attempts", learner.Token, nil); res.Status != 201 {
			t.Fatalf("start: %d %s", res.Status, res.Body)
		} else {
			res.JSON(t, &at)
		}
		answers := e.Answers(at.ID, 0)

		qs := bank(t, e, trainer.Token, courseID)
		fruit := byName(qs, "Q3")
		res := e.Call("PATCH", api+"/questions/"+fruit.ID, trainer.Token, map[string]any{"prompt": "Pick the <b>fruit</b><script>x()</script>",
			"explanation": "Mangoes grow on trees.", "points": 2})
		if res.Status != 200 || !strings.Contains(string(res.Body), "<b>fruit</b>") || strings.Contains(string(res.Body), "<script") ||
			!strings.Contains(string(res.Body), `"points":2`) || !strings.Contains(string(res.Body), "Mangoes") {
			t.Fatalf("edit question: %d %s", res.Status, res.Body)
		}
		// Options replaced: kept texts keep their ids.
		res = e.Call("PATCH", api+"/questions/"+fruit.ID, trainer.Token, map[string]any{"options": []any{
			map[string]any{"text": "Mango", "correct": true}, map[string]any{"text": "Stone"}}})
		if res.Status != 200 {
			t.Fatalf("edit options: %d %s", res.Status, res.Body)
		}
		after := byName(bank(t, e, trainer.Token, courseID), "Q3")
		if len(after.Options) != 2 || after.Options[0].ID != fruit.Options[0].ID || after.Options[0].Text != "Mango" {
			t.Fatalf("options after edit: %+v (before %+v)", after.Options, fruit.Options)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "an edit leaving no correct option is refused and changes nothing",
			Method: "PATCH", Path: api + "/questions/" + fruit.ID, Token: trainer.Token,
			Body:   map[string]any{"options": []any{map[string]any{"text": "Mango"}, map[string]any{"text": "Stone"}}},
			Status: 422, Problem: "validation", Contains: []string{`"field":"options"`},
			Check: func(t *testing.T, _ apptest.Response) {
				if again := byName(bank(t, e, trainer.Token, courseID), "Q3"); len(again.Options) != 2 || !again.Options[0].Correct {
					t.Fatalf("refused edit changed the question: %+v", again)
				}
			}}})

		// Deleting a question leaves the attempt already drawn intact.
		sky := byName(qs, "Q2")
		if res := e.Call("DELETE", api+"/questions/"+sky.ID, trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete question: %d %s", res.Status, res.Body)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "delete a question twice", Method: "DELETE", Path: api + "/questions/" + sky.ID, Token: trainer.Token,
			Status: 404, Problem: "not-found"}})
		res = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": answers})
		if res.Status != 200 || !strings.Contains(string(res.Body), `"percent":100`) {
			t.Fatalf("attempt drawn before the edits: %d %s", res.Status, res.Body)
		}

		// The quiz asks for 3 but only 2 remain: edit, and publish, are 422.
		e.Scenarios(t, []apptest.Scenario{
			{Name: "edit beyond the bank", Method: "PATCH", Path: api + "/assessments/" + quiz, Token: trainer.Token, Body: map[string]any{"pass_percent": 70},
				Status: 422, Problem: "validation", Contains: []string{`"field":"question_count"`}},
			{Name: "publish beyond the bank", Method: "POST", Path: api + "/courses/" + courseID + "/publish", Token: trainer.Token,
				Status: 422, Problem: "validation", Contains: []string{"Quiz"}},
		})
		res = e.Call("PATCH", api+"/assessments/"+quiz, trainer.Token, map[string]any{"question_count": 2, "title": "Short quiz", "pass_percent": 50})
		if res.Status != 200 || !strings.Contains(string(res.Body), `"question_count":2`) || !strings.Contains(string(res.Body), `"title":"Short quiz"`) ||
			!strings.Contains(string(res.Body), `"max_attempts":2`) {
			t.Fatalf("edit assessment: %d %s", res.Status, res.Body)
		}
		// Learners keep the published settings until the next publish.
		res = e.Call("GET", api+"/courses/"+courseID+"/assessments", learner.Token, nil)
		if !strings.Contains(string(res.Body), `"question_count":3`) {
			t.Fatalf("learner sees unpublished settings: %s", res.Body)
		}
		if res := e.Call("POST", api+"/courses/"+courseID+"/publish", trainer.Token, nil); res.Status != 200 {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		res = e.Call("GET", api+"/courses/"+courseID+"/assessments", learner.Token, nil)
		if !strings.Contains(string(res.Body), `"question_count":2`) {
			t.Fatalf("learner misses published settings: %s", res.Body)
		}

		// Deleting the assessment keeps it for the published version.
		if res := e.Call("DELETE", api+"/assessments/"+quiz, trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete assessment: %d %s", res.Status, res.Body)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "edit a deleted assessment", Method: "PATCH", Path: api + "/assessments/" + quiz, Token: trainer.Token,
			Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"}})
		res = e.Call("GET", api+"/courses/"+courseID+"/assessments", trainer.Token, nil)
		if strings.Contains(string(res.Body), quiz) {
			t.Fatalf("deleted assessment still listed for its trainer: %s", res.Body)
		}
		if res := e.Call("GET", api+"/courses/"+courseID, trainer.Token, nil); !strings.Contains(string(res.Body), `"status":"draft"`) {
			t.Fatalf("delete did not mark the course changed: %s", res.Body)
		}
		second := e.Learner()
		enroll(t, e, second, courseID)
		if res := e.Call("POST", api+"/assessments/"+quiz+"/attempts", second.Token, nil); res.Status != 201 {
			t.Fatalf("published assessment gone: %d %s", res.Status, res.Body)
		}
		if res := e.Call("GET", api+"/assessments/"+quiz+"/statistics", trainer.Token, nil); res.Status != 200 ||
			!strings.Contains(string(res.Body), "The sky is green") {
			t.Fatalf("statistics lost a deleted question's prompt: %d %s", res.Status, res.Body)
		}
	})
}

func TestAssessmentAskingMoreThanTheBankIs422(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, _ := bankCourse(e, trainer, nil)
		base := map[string]any{"title": "Final", "kind": "final", "time_limit_seconds": 600, "pass_percent": 60, "max_attempts": 2, "cooldown_seconds": 0}
		path := api + "/courses/" + courseID + "/assessments"
		count := func() int {
			var l struct{ Items []any }
			e.Call("GET", path, trainer.Token, nil).JSON(t, &l)
			return len(l.Items)
		}
		before := count()
		tooMany := func(name string, body map[string]any) apptest.Scenario {
			return apptest.Scenario{Name: name, Method: "POST", Path: path, Token: trainer.Token, Body: body, Status: 422, Problem: "validation",
				Contains: []string{`"field":"question_count"`, "only"}}
		}
		e.Scenarios(t, []apptest.Scenario{
			tooMany("four of three", withSettings(base, map[string]any{"question_count": 4})),
			tooMany("tag nobody has", withSettings(base, map[string]any{"question_count": 1, "tags": []string{"nothing"}})),
			{Name: "three of three", Method: "POST", Path: path, Token: trainer.Token, Body: withSettings(base, map[string]any{"question_count": 3}),
				Status: 201},
		})
		if got := count(); got != before+1 {
			t.Fatalf("refused assessments were stored: %d, want %d", got, before+1)
		}
	})
}

func TestEditingBankUnhappyPaths(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		other := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		courseID, quiz := bankCourse(e, trainer, nil) // published
		q := bank(t, e, trainer.Token, courseID)[0]
		// A draft never published: another trainer may not even see it.
		res := e.Call("POST", api+"/courses", trainer.Token, map[string]any{"slug": "bank-draft-x", "title": "Draft", "language": "en"})
		var d struct{ ID string }
		res.JSON(t, &d)
		res = e.Call("POST", api+"/courses/"+d.ID+"/questions", trainer.Token, map[string]any{"type": "true_false", "prompt": "Draft?",
			"answer": map[string]any{"value": true}})
		var dq struct{ ID string }
		res.JSON(t, &dq)
		res = e.Call("POST", api+"/courses/"+d.ID+"/assessments", trainer.Token, map[string]any{"title": "D", "kind": "quiz", "question_count": 1,
			"time_limit_seconds": 600, "pass_percent": 50, "max_attempts": 1})
		var da struct{ ID string }
		res.JSON(t, &da)
		if dq.ID == "" || da.ID == "" {
			t.Fatalf("draft fixtures: %s", res.Body)
		}
		qp, ap := api+"/questions/"+q.ID, api+"/assessments/"+quiz
		reads := func() string {
			return string(e.Call("GET", api+"/courses/"+courseID+"/questions?limit=100", trainer.Token, nil).Body) +
				string(e.Call("GET", api+"/courses/"+courseID+"/assessments", trainer.Token, nil).Body) +
				string(e.Call("GET", api+"/courses/"+d.ID+"/questions", trainer.Token, nil).Body) +
				string(e.Call("GET", api+"/courses/"+d.ID+"/assessments", trainer.Token, nil).Body) +
				string(e.Call("GET", api+"/courses/"+courseID, trainer.Token, nil).Body)
		}
		before := reads()
		draftQ, draftA := api+"/questions/"+dq.ID, api+"/assessments/"+da.ID
		e.Scenarios(t, []apptest.Scenario{
			// Only the course's trainers edit its bank; a draft is not even
			// there for anyone else.
			{Name: "anonymous", Method: "PATCH", Path: qp, Body: map[string]any{"prompt": "x"}, Status: 401, Problem: "unauthenticated"},
			{Name: "learner edits question", Method: "PATCH", Path: qp, Token: learner.Token, Body: map[string]any{"prompt": "x"}, Status: 403, Problem: "forbidden"},
			{Name: "learner deletes assessment", Method: "DELETE", Path: ap, Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "other trainer, published course", Method: "PATCH", Path: qp, Token: other.Token, Body: map[string]any{"prompt": "x"}, Status: 403, Problem: "forbidden"},
			{Name: "other trainer, draft question", Method: "PATCH", Path: draftQ, Token: other.Token, Body: map[string]any{"prompt": "x"}, Status: 404, Problem: "not-found"},
			{Name: "other trainer deletes draft question", Method: "DELETE", Path: draftQ, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer, draft assessment", Method: "PATCH", Path: draftA, Token: other.Token, Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"},
			{Name: "other trainer deletes draft assessment", Method: "DELETE", Path: draftA, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "unknown question", Method: "PATCH", Path: api + "/questions/nope", Token: trainer.Token, Body: map[string]any{"prompt": "x"}, Status: 404, Problem: "not-found"},
			{Name: "unknown assessment", Method: "DELETE", Path: api + "/assessments/nope", Token: trainer.Token, Status: 404, Problem: "not-found"},
			// Bodies are parsed, bounded and validated.
			{Name: "malformed question", Method: "PATCH", Path: qp, Token: trainer.Token, Body: `{"prompt":`, Status: 400, Problem: "bad-request"},
			{Name: "wrong type", Method: "PATCH", Path: qp, Token: trainer.Token, Body: `{"points":"many"}`, Status: 400, Problem: "bad-request",
				Contains: []string{`"field":"points"`}},
			{Name: "oversized", Method: "PATCH", Path: qp, Token: trainer.Token, Body: `{"prompt":"` + strings.Repeat("a", 1<<20+10) + `"}`, Status: 413, Problem: "too-large"},
			{Name: "empty prompt", Method: "PATCH", Path: qp, Token: trainer.Token, Body: map[string]any{"prompt": " "}, Status: 422, Problem: "validation",
				Contains: []string{`"field":"prompt"`}},
			{Name: "unknown type", Method: "PATCH", Path: qp, Token: trainer.Token, Body: map[string]any{"type": "essay"}, Status: 422, Problem: "validation",
				Contains: []string{`"field":"type"`}},
			{Name: "malformed assessment", Method: "PATCH", Path: ap, Token: trainer.Token, Body: `{"title":1}`, Status: 400, Problem: "bad-request",
				Contains: []string{`"field":"title"`}},
			{Name: "bad pass percent", Method: "PATCH", Path: ap, Token: trainer.Token, Body: map[string]any{"pass_percent": 0}, Status: 422, Problem: "validation",
				Contains: []string{`"field":"pass_percent"`}},
			{Name: "more than the bank", Method: "PATCH", Path: ap, Token: trainer.Token, Body: map[string]any{"question_count": 9}, Status: 422, Problem: "validation",
				Contains: []string{`"field":"question_count"`}},
			{Name: "bad kind", Method: "PATCH", Path: ap, Token: trainer.Token, Body: map[string]any{"kind": "exam"}, Status: 422, Problem: "validation",
				Contains: []string{`"field":"kind"`}},
		})
		if after := reads(); after != before {
			t.Fatalf("refused requests changed something:\n%s\n%s", before, after)
		}
		if !strings.Contains(before, `"status":"published"`) {
			t.Fatalf("fixture course not published: %s", before)
		}
	})
}

func TestGIFTReimportChangesNothing(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		res := e.Call("POST", api+"/courses", trainer.Token, map[string]any{"slug": "gift-twice", "title": "Gift", "language": "en"})
		var c struct{ ID string }
		res.JSON(t, &c)
		imp := func(gift string) string {
			t.Helper()
			res := e.Do(apptest.Request{Method: "POST", Path: api + "/courses/" + c.ID + "/questions/import", Token: trainer.Token, Body: gift,
				Headers: map[string]string{"Content-Type": "text/plain"}})
			if res.Status != 201 {
				t.Fatalf("import: %d %s", res.Status, res.Body)
			}
			return string(res.Body)
		}
		snapshot := func() string {
			var out []map[string]any
			if err := db.Table("questions").Select("id, name, prompt, options, answer, updated_at").Order("id").Find(&out).Error; err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(out)
		}
		gift := "::Sum:: Two plus two? {#4}\n\nThe  sky is <b>green</b>. {FALSE}\n\nPick the fruit. {=Mango ~Brick}\n"
		if body := imp(gift); !strings.Contains(body, `"imported":3`) || !strings.Contains(body, `"created":3`) {
			t.Fatalf("first import: %s", body)
		}
		before := snapshot()
		if body := imp(gift); !strings.Contains(body, `"imported":0`) || !strings.Contains(body, `"unchanged":3`) {
			t.Fatalf("second import: %s", body)
		}
		if after := snapshot(); after != before {
			t.Fatalf("the second import changed the bank:\n%s\n%s", before, after)
		}
		// Content is matched with case and spacing folded (the sky question
		// is matched, and its new wording stored in place); a named question
		// whose content changed is updated in place; a new one is added.
		changed := "::Sum:: Two plus three? {#5}\n\nthe sky is <b>GREEN</b>. {FALSE}\n\nPick the fruit. {=Mango ~Brick}\n\nPick the tool. {=Hammer ~Cloud}\n"
		if body := imp(changed); !strings.Contains(body, `"created":1`) || !strings.Contains(body, `"updated":2`) || !strings.Contains(body, `"unchanged":1`) {
			t.Fatalf("changed import: %s", body)
		}
		qs := bank(t, e, trainer.Token, c.ID)
		if len(qs) != 4 {
			t.Fatalf("bank has %d questions, want 4", len(qs))
		}
		sum := byName(qs, "Sum")
		if !strings.Contains(sum.Prompt, "three") || !strings.Contains(before, sum.ID) {
			t.Fatalf("named question not updated in place: %+v", sum)
		}
		// A true/false and a choice with the same prompt are different questions.
		if body := imp("Pick the fruit. {TRUE}\n"); !strings.Contains(body, `"created":1`) {
			t.Fatalf("type is part of the content: %s", body)
		}
	})
}
