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
		// An inconsistent edit is refused and changes nothing.
		res = e.Call("PATCH", api+"/questions/"+fruit.ID, trainer.Token, map[string]any{"options": []any{
			map[string]any{"text": "Mango"}, map[string]any{"text": "Stone"}}})
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"options"`) {
			t.Fatalf("inconsistent edit: %d %s", res.Status, res.Body)
		}
		if again := byName(bank(t, e, trainer.Token, courseID), "Q3"); len(again.Options) != 2 || !again.Options[0].Correct {
			t.Fatalf("refused edit changed the question: %+v", again)
		}

		// Deleting a question leaves the attempt already drawn intact.
		sky := byName(qs, "Q2")
		if res := e.Call("DELETE", api+"/questions/"+sky.ID, trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete question: %d %s", res.Status, res.Body)
		}
		if res := e.Call("DELETE", api+"/questions/"+sky.ID, trainer.Token, nil); res.Status != 404 {
			t.Fatalf("delete twice: %d %s", res.Status, res.Body)
		}
		res = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": answers})
		if res.Status != 200 || !strings.Contains(string(res.Body), `"percent":100`) {
			t.Fatalf("attempt drawn before the edits: %d %s", res.Status, res.Body)
		}

		// The quiz asks for 3 but only 2 remain: edit, and publish, are 422.
		res = e.Call("PATCH", api+"/assessments/"+quiz, trainer.Token, map[string]any{"pass_percent": 70})
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"question_count"`) {
			t.Fatalf("edit beyond the bank: %d %s", res.Status, res.Body)
		}
		res = e.Call("POST", api+"/courses/"+courseID+"/publish", trainer.Token, nil)
		if res.Status != 422 || !strings.Contains(string(res.Body), "Quiz") {
			t.Fatalf("publish beyond the bank: %d %s", res.Status, res.Body)
		}
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
		if res := e.Call("PATCH", api+"/assessments/"+quiz, trainer.Token, map[string]any{"title": "x"}); res.Status != 404 {
			t.Fatalf("edit deleted assessment: %d %s", res.Status, res.Body)
		}
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
		with := func(kv ...any) map[string]any {
			m := map[string]any{}
			for k, v := range base {
				m[k] = v
			}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		path := api + "/courses/" + courseID + "/assessments"
		count := func() int {
			var l struct{ Items []any }
			e.Call("GET", path, trainer.Token, nil).JSON(t, &l)
			return len(l.Items)
		}
		before := count()
		for _, tc := range []struct {
			name   string
			body   map[string]any
			status int
		}{
			{"four of three", with("question_count", 4), 422},
			{"tag nobody has", with("question_count", 1, "tags", []string{"nothing"}), 422},
			{"three of three", with("question_count", 3), 201},
		} {
			res := e.Call("POST", path, trainer.Token, tc.body)
			if res.Status != tc.status {
				t.Fatalf("%s: %d %s", tc.name, res.Status, res.Body)
			}
			if tc.status == 422 && (!strings.Contains(string(res.Body), `"field":"question_count"`) || !strings.Contains(string(res.Body), "only")) {
				t.Fatalf("%s: %s", tc.name, res.Body)
			}
		}
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
		for _, tc := range []struct {
			name, method, path, token string
			body                      any
			status                    int
			field                     string
		}{
			{"anonymous", "PATCH", qp, "", map[string]any{"prompt": "x"}, 401, ""},
			{"learner edits question", "PATCH", qp, learner.Token, map[string]any{"prompt": "x"}, 403, ""},
			{"learner deletes assessment", "DELETE", ap, learner.Token, nil, 403, ""},
			{"other trainer, published course", "PATCH", qp, other.Token, map[string]any{"prompt": "x"}, 403, ""},
			{"other trainer, draft question", "PATCH", api + "/questions/" + dq.ID, other.Token, map[string]any{"prompt": "x"}, 404, ""},
			{"other trainer deletes draft question", "DELETE", api + "/questions/" + dq.ID, other.Token, nil, 404, ""},
			{"other trainer, draft assessment", "PATCH", api + "/assessments/" + da.ID, other.Token, map[string]any{"title": "x"}, 404, ""},
			{"other trainer deletes draft assessment", "DELETE", api + "/assessments/" + da.ID, other.Token, nil, 404, ""},
			{"unknown question", "PATCH", api + "/questions/nope", trainer.Token, map[string]any{"prompt": "x"}, 404, ""},
			{"unknown assessment", "DELETE", api + "/assessments/nope", trainer.Token, nil, 404, ""},
			{"malformed question", "PATCH", qp, trainer.Token, `{"prompt":`, 400, ""},
			{"wrong type", "PATCH", qp, trainer.Token, `{"points":"many"}`, 400, "points"},
			{"oversized", "PATCH", qp, trainer.Token, `{"prompt":"` + strings.Repeat("a", 1<<20+10) + `"}`, 413, ""},
			{"empty prompt", "PATCH", qp, trainer.Token, map[string]any{"prompt": " "}, 422, "prompt"},
			{"unknown type", "PATCH", qp, trainer.Token, map[string]any{"type": "essay"}, 422, "type"},
			{"malformed assessment", "PATCH", ap, trainer.Token, `{"title":1}`, 400, "title"},
			{"bad pass percent", "PATCH", ap, trainer.Token, map[string]any{"pass_percent": 0}, 422, "pass_percent"},
			{"more than the bank", "PATCH", ap, trainer.Token, map[string]any{"question_count": 9}, 422, "question_count"},
			{"bad kind", "PATCH", ap, trainer.Token, map[string]any{"kind": "exam"}, 422, "kind"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := e.Call(tc.method, tc.path, tc.token, tc.body)
				if res.Status != tc.status {
					t.Fatalf("%d, want %d: %s", res.Status, tc.status, res.Body)
				}
				if res.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("content type %q", res.Header.Get("Content-Type"))
				}
				if tc.field != "" && !strings.Contains(string(res.Body), `"field":"`+tc.field+`"`) {
					t.Errorf("no error for field %s: %s", tc.field, res.Body)
				}
			})
		}
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
