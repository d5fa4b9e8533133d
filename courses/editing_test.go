package courses_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

type outlineJSON struct {
	Status  string `json:"status"`
	Version int    `json:"version"`
	Modules []struct {
		ID       string `json:"id"`
		Title    string `json:"title"`
		Position int    `json:"position"`
		Lessons  []struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Position int    `json:"position"`
		} `json:"lessons"`
	} `json:"modules"`
}

// outline reads the course as token sees it, as "module:lesson lesson|..."
// with positions checked to run 1..n.
func outline(t *testing.T, e *apptest.Env, token, id string) (outlineJSON, string) {
	t.Helper()
	res := e.Call("GET", api+"/courses/"+id, token, nil)
	if res.Status != 200 {
		t.Fatalf("get course: %d %s", res.Status, res.Body)
	}
	var o outlineJSON
	res.JSON(t, &o)
	var parts []string
	for i, m := range o.Modules {
		if m.Position != i+1 {
			t.Errorf("module %s at position %d, want %d", m.Title, m.Position, i+1)
		}
		var ls []string
		for j, l := range m.Lessons {
			if l.Position != j+1 {
				t.Errorf("lesson %s at position %d, want %d", l.Title, l.Position, j+1)
			}
			ls = append(ls, l.Title)
		}
		parts = append(parts, m.Title+":"+strings.Join(ls, ","))
	}
	return o, strings.Join(parts, "|")
}

func TestEditingLessonsAndModulesInADraft(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		c, lessons := authorCourse(t, e, trainer, "editable", 3)
		publish(t, e, trainer, c.ID)
		if res := e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil); res.Status != 201 {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}

		// Reorder: the third lesson first.
		res := e.Call("PATCH", api+"/lessons/"+lessons[2], trainer.Token, map[string]any{"position": 1})
		if res.Status != 200 {
			t.Fatalf("move lesson: %d %s", res.Status, res.Body)
		}
		o, got := outline(t, e, trainer.Token, c.ID)
		if got != "Module one:Lesson 3,Lesson 1,Lesson 2" || o.Status != "draft" {
			t.Fatalf("after the move: %s (%s)", got, o.Status)
		}
		// Edit title and body: rendered and sanitised like a new lesson.
		res = e.Call("PATCH", api+"/lessons/"+lessons[0], trainer.Token, map[string]any{"title": "  Lesson one  ",
			"body_markdown": "New **text** <script>alert(1)</script>"})
		var edited struct {
			BodyHTML string `json:"body_html"`
		}
		res.JSON(t, &edited)
		if res.Status != 200 || !strings.Contains(edited.BodyHTML, "<strong>text</strong>") || strings.Contains(edited.BodyHTML, "<script") ||
			!strings.Contains(string(res.Body), `"title":"Lesson one"`) {
			t.Fatalf("edit lesson: %d %s", res.Status, res.Body)
		}
		// The learner still reads the published version.
		res = e.Call("GET", api+"/lessons/"+lessons[0], learner.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), `"title":"Lesson 1"`) || strings.Contains(string(res.Body), "New") {
			t.Fatalf("learner reads the draft: %d %s", res.Status, res.Body)
		}
		if _, got := outline(t, e, learner.Token, c.ID); got != "Module one:Lesson 1,Lesson 2,Lesson 3" {
			t.Fatalf("learner outline changed: %s", got)
		}

		// A second module, first; a lesson moved into it.
		res = e.Call("POST", api+"/courses/"+c.ID+"/modules", trainer.Token, map[string]any{"title": "Module two"})
		var m2 struct{ ID string }
		res.JSON(t, &m2)
		res = e.Call("PATCH", api+"/modules/"+m2.ID, trainer.Token, map[string]any{"title": "Start here", "position": 1})
		if res.Status != 200 || !strings.Contains(string(res.Body), `"position":1`) {
			t.Fatalf("move module: %d %s", res.Status, res.Body)
		}
		res = e.Call("PATCH", api+"/lessons/"+lessons[1], trainer.Token, map[string]any{"module_id": m2.ID})
		if res.Status != 200 {
			t.Fatalf("move lesson to module: %d %s", res.Status, res.Body)
		}
		if _, got := outline(t, e, trainer.Token, c.ID); got != "Start here:Lesson 2|Module one:Lesson 3,Lesson one" {
			t.Fatalf("after moving between modules: %s", got)
		}

		// A module with lessons is not deleted; an empty one is.
		o, _ = outline(t, e, trainer.Token, c.ID)
		e.Scenarios(t, []apptest.Scenario{{Name: "delete a module with lessons", Method: "DELETE", Path: api + "/modules/" + o.Modules[1].ID,
			Token: trainer.Token, Status: 409, Problem: "conflict", Contains: []string{"2 lesson"}}})
		if res := e.Call("DELETE", api+"/lessons/"+lessons[1], trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete lesson: %d %s", res.Status, res.Body)
		}
		if res := e.Call("DELETE", api+"/modules/"+m2.ID, trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete empty module: %d %s", res.Status, res.Body)
		}
		if _, got := outline(t, e, trainer.Token, c.ID); got != "Module one:Lesson 3,Lesson one" {
			t.Fatalf("after deletes: %s", got)
		}
		// What was deleted is gone for its trainer.
		gone, goneModule := api+"/lessons/"+lessons[1], api+"/modules/"+m2.ID
		e.Scenarios(t, []apptest.Scenario{
			{Name: "read a deleted lesson", Method: "GET", Path: gone, Token: trainer.Token, Status: 404, Problem: "not-found"},
			{Name: "edit a deleted lesson", Method: "PATCH", Path: gone, Token: trainer.Token, Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"},
			{Name: "delete a lesson twice", Method: "DELETE", Path: gone, Token: trainer.Token, Status: 404, Problem: "not-found"},
			{Name: "edit a deleted module", Method: "PATCH", Path: goneModule, Token: trainer.Token, Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"},
			{Name: "delete a module twice", Method: "DELETE", Path: goneModule, Token: trainer.Token, Status: 404, Problem: "not-found"},
		})
		// The published version keeps the deleted lesson for its learners.
		res = e.Call("GET", api+"/lessons/"+lessons[1], learner.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), "Lesson 2") {
			t.Fatalf("learner lost a published lesson: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/lessons/"+lessons[1]+"/complete", learner.Token, nil); res.Status != 200 {
			t.Fatalf("complete published lesson: %d %s", res.Status, res.Body)
		}

		// The next publish carries the edits.
		publish(t, e, trainer, c.ID)
		if o, got := outline(t, e, learner.Token, c.ID); got != "Module one:Lesson 3,Lesson one" || o.Version != 2 {
			t.Fatalf("published edits: %s v%d", got, o.Version)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "a lesson deleted and published away", Method: "GET", Path: api + "/lessons/" + lessons[1],
			Token: learner.Token, Status: 404, Problem: "not-found"}})
	})
}

func TestEditingUnhappyPaths(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		other := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		draft, lessons := authorCourse(t, e, trainer, "edit-draft", 2)
		pub, pubLessons := authorCourse(t, e, trainer, "edit-pub", 1)
		publish(t, e, trainer, pub.ID)
		foreign, _ := authorCourse(t, e, other, "edit-foreign", 1)
		draftO, _ := outline(t, e, trainer.Token, draft.ID)
		pubO, _ := outline(t, e, trainer.Token, pub.ID)
		foreignO, _ := outline(t, e, other.Token, foreign.ID)
		lesson, module := api+"/lessons/"+lessons[0], api+"/modules/"+draftO.Modules[0].ID
		beforeDraft := e.Call("GET", api+"/courses/"+draft.ID, trainer.Token, nil)
		beforePub := e.Call("GET", api+"/courses/"+pub.ID, trainer.Token, nil)
		beforeLesson := e.Call("GET", lesson, trainer.Token, nil)
		e.Scenarios(t, []apptest.Scenario{
			// Only a course's trainers edit it; another trainer's draft is not there for them.
			{Name: "anonymous", Method: "PATCH", Path: lesson, Body: map[string]any{"title": "x"}, Status: 401, Problem: "unauthenticated"},
			{Name: "learner edits lesson", Method: "PATCH", Path: lesson, Token: learner.Token, Body: map[string]any{"title": "x"}, Status: 403, Problem: "forbidden"},
			{Name: "learner deletes lesson", Method: "DELETE", Path: lesson, Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "learner edits module", Method: "PATCH", Path: module, Token: learner.Token, Body: map[string]any{"title": "x"}, Status: 403, Problem: "forbidden"},
			{Name: "other trainer's draft lesson", Method: "PATCH", Path: lesson, Token: other.Token, Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"},
			{Name: "other trainer deletes draft lesson", Method: "DELETE", Path: lesson, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer's draft module", Method: "DELETE", Path: module, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer's published lesson", Method: "PATCH", Path: api + "/lessons/" + pubLessons[0], Token: other.Token, Body: map[string]any{"title": "x"}, Status: 403, Problem: "forbidden"},
			{Name: "other trainer's published module", Method: "DELETE", Path: api + "/modules/" + pubO.Modules[0].ID, Token: other.Token, Status: 403, Problem: "forbidden"},
			// Unknown ids.
			{Name: "unknown lesson", Method: "PATCH", Path: api + "/lessons/nope", Token: trainer.Token, Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"},
			{Name: "unknown module", Method: "DELETE", Path: api + "/modules/nope", Token: trainer.Token, Status: 404, Problem: "not-found"},
			// Bodies are parsed and bounded, then validated.
			{Name: "malformed", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: `{"title":`, Status: 400, Problem: "bad-request"},
			{Name: "wrong type", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: `{"position":"first"}`, Status: 400, Problem: "bad-request", Contains: []string{`"field":"position"`}},
			{Name: "oversized", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: `{"body_markdown":"` + strings.Repeat("a", 1<<20+10) + `"}`, Status: 413, Problem: "too-large"},
			{Name: "blank title", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: map[string]any{"title": "  "}, Status: 422, Problem: "validation", Contains: []string{`"field":"title"`}},
			{Name: "position 0", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: map[string]any{"position": 0}, Status: 422, Problem: "validation", Contains: []string{`"field":"position"`}},
			{Name: "body too long", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: map[string]any{"body_markdown": strings.Repeat("a", 200_001)}, Status: 422, Problem: "validation", Contains: []string{`"field":"body_markdown"`}},
			// A lesson moves only within its own course.
			{Name: "module of another course", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: map[string]any{"module_id": pubO.Modules[0].ID}, Status: 422, Problem: "validation", Contains: []string{`"field":"module_id"`}},
			{Name: "module of another trainer", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: map[string]any{"module_id": foreignO.Modules[0].ID}, Status: 422, Problem: "validation", Contains: []string{`"field":"module_id"`}},
			{Name: "unknown target module", Method: "PATCH", Path: lesson, Token: trainer.Token, Body: map[string]any{"module_id": "nope"}, Status: 422, Problem: "validation", Contains: []string{`"field":"module_id"`}},
			// Modules likewise; one with lessons is not deleted.
			{Name: "module blank title", Method: "PATCH", Path: module, Token: trainer.Token, Body: map[string]any{"title": ""}, Status: 422, Problem: "validation", Contains: []string{`"field":"title"`}},
			{Name: "module position 0", Method: "PATCH", Path: module, Token: trainer.Token, Body: map[string]any{"position": 0}, Status: 422, Problem: "validation", Contains: []string{`"field":"position"`}},
			{Name: "module malformed", Method: "PATCH", Path: module, Token: trainer.Token, Body: `[1,2`, Status: 400, Problem: "bad-request"},
			{Name: "module with lessons", Method: "DELETE", Path: module, Token: trainer.Token, Status: 409, Problem: "conflict"},
		})
		for _, x := range []struct{ before, after apptest.Response }{
			{beforeDraft, e.Call("GET", api+"/courses/"+draft.ID, trainer.Token, nil)},
			{beforePub, e.Call("GET", api+"/courses/"+pub.ID, trainer.Token, nil)},
			{beforeLesson, e.Call("GET", lesson, trainer.Token, nil)},
		} {
			if string(x.before.Body) != string(x.after.Body) {
				t.Fatalf("refused requests changed something:\n%s\n%s", x.before.Body, x.after.Body)
			}
		}
		if !strings.Contains(string(beforePub.Body), `"status":"published"`) {
			t.Fatalf("refused edits marked the course changed: %s", beforePub.Body)
		}
	})
}
