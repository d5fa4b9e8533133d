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
		if res := e.Call("POST", api+"/courses/"+c.ID+"/publish", trainer.Token, nil); res.Status != 200 {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
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
		res = e.Call("DELETE", api+"/modules/"+o.Modules[1].ID, trainer.Token, nil)
		if res.Status != 409 || !strings.Contains(string(res.Body), "2 lesson") {
			t.Fatalf("delete full module: %d %s", res.Status, res.Body)
		}
		if res := e.Call("DELETE", api+"/lessons/"+lessons[1], trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete lesson: %d %s", res.Status, res.Body)
		}
		if res := e.Call("DELETE", api+"/modules/"+m2.ID, trainer.Token, nil); res.Status != 204 {
			t.Fatalf("delete empty module: %d %s", res.Status, res.Body)
		}
		if _, got := outline(t, e, trainer.Token, c.ID); got != "Module one:Lesson 3,Lesson one" {
			t.Fatalf("after deletes: %s", got)
		}
		for _, tc := range []struct{ method, path string }{{"GET", "/lessons/" + lessons[1]}, {"PATCH", "/lessons/" + lessons[1]},
			{"DELETE", "/lessons/" + lessons[1]}, {"PATCH", "/modules/" + m2.ID}, {"DELETE", "/modules/" + m2.ID}} {
			if res := e.Call(tc.method, api+tc.path, trainer.Token, map[string]any{"title": "x"}); res.Status != 404 {
				t.Errorf("%s %s after delete: %d %s", tc.method, tc.path, res.Status, res.Body)
			}
		}
		// The published version keeps the deleted lesson for its learners.
		res = e.Call("GET", api+"/lessons/"+lessons[1], learner.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), "Lesson 2") {
			t.Fatalf("learner lost a published lesson: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/lessons/"+lessons[1]+"/complete", learner.Token, nil); res.Status != 200 {
			t.Fatalf("complete published lesson: %d %s", res.Status, res.Body)
		}

		// The next publish carries the edits.
		if res := e.Call("POST", api+"/courses/"+c.ID+"/publish", trainer.Token, nil); res.Status != 200 {
			t.Fatalf("publish again: %d %s", res.Status, res.Body)
		}
		if o, got := outline(t, e, learner.Token, c.ID); got != "Module one:Lesson 3,Lesson one" || o.Version != 2 {
			t.Fatalf("published edits: %s v%d", got, o.Version)
		}
		if res := e.Call("GET", api+"/lessons/"+lessons[1], learner.Token, nil); res.Status != 404 {
			t.Fatalf("a lesson deleted and published away: %d %s", res.Status, res.Body)
		}
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
		if res := e.Call("POST", api+"/courses/"+pub.ID+"/publish", trainer.Token, nil); res.Status != 200 {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		foreign, _ := authorCourse(t, e, other, "edit-foreign", 1)
		draftO, _ := outline(t, e, trainer.Token, draft.ID)
		pubO, _ := outline(t, e, trainer.Token, pub.ID)
		foreignO, _ := outline(t, e, other.Token, foreign.ID)
		lesson, module := api+"/lessons/"+lessons[0], api+"/modules/"+draftO.Modules[0].ID
		beforeDraft := e.Call("GET", api+"/courses/"+draft.ID, trainer.Token, nil)
		beforePub := e.Call("GET", api+"/courses/"+pub.ID, trainer.Token, nil)
		beforeLesson := e.Call("GET", lesson, trainer.Token, nil)
		for _, tc := range []struct {
			name, method, path, token string
			body                      any
			status                    int
			field                     string
		}{
			{"anonymous", "PATCH", lesson, "", map[string]any{"title": "x"}, 401, ""},
			{"learner edits lesson", "PATCH", lesson, learner.Token, map[string]any{"title": "x"}, 403, ""},
			{"learner deletes lesson", "DELETE", lesson, learner.Token, nil, 403, ""},
			{"learner edits module", "PATCH", module, learner.Token, map[string]any{"title": "x"}, 403, ""},
			{"other trainer's draft lesson", "PATCH", lesson, other.Token, map[string]any{"title": "x"}, 404, ""},
			{"other trainer deletes draft lesson", "DELETE", lesson, other.Token, nil, 404, ""},
			{"other trainer's draft module", "DELETE", module, other.Token, nil, 404, ""},
			{"other trainer's published lesson", "PATCH", api + "/lessons/" + pubLessons[0], other.Token, map[string]any{"title": "x"}, 403, ""},
			{"other trainer's published module", "DELETE", api + "/modules/" + pubO.Modules[0].ID, other.Token, nil, 403, ""},
			{"unknown lesson", "PATCH", api + "/lessons/nope", trainer.Token, map[string]any{"title": "x"}, 404, ""},
			{"unknown module", "DELETE", api + "/modules/nope", trainer.Token, nil, 404, ""},
			{"malformed", "PATCH", lesson, trainer.Token, `{"title":`, 400, ""},
			{"wrong type", "PATCH", lesson, trainer.Token, `{"position":"first"}`, 400, "position"},
			{"oversized", "PATCH", lesson, trainer.Token, `{"body_markdown":"` + strings.Repeat("a", 1<<20+10) + `"}`, 413, ""},
			{"blank title", "PATCH", lesson, trainer.Token, map[string]any{"title": "  "}, 422, "title"},
			{"position 0", "PATCH", lesson, trainer.Token, map[string]any{"position": 0}, 422, "position"},
			{"body too long", "PATCH", lesson, trainer.Token, map[string]any{"body_markdown": strings.Repeat("a", 200_001)}, 422, "body_markdown"},
			{"module of another course", "PATCH", lesson, trainer.Token, map[string]any{"module_id": pubO.Modules[0].ID}, 422, "module_id"},
			{"module of another trainer", "PATCH", lesson, trainer.Token, map[string]any{"module_id": foreignO.Modules[0].ID}, 422, "module_id"},
			{"unknown target module", "PATCH", lesson, trainer.Token, map[string]any{"module_id": "nope"}, 422, "module_id"},
			{"module blank title", "PATCH", module, trainer.Token, map[string]any{"title": ""}, 422, "title"},
			{"module position 0", "PATCH", module, trainer.Token, map[string]any{"position": 0}, 422, "position"},
			{"module malformed", "PATCH", module, trainer.Token, `[1,2`, 400, ""},
			{"module with lessons", "DELETE", module, trainer.Token, nil, 409, ""},
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
