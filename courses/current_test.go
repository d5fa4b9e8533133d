package courses_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
	"skillgate/app/web"
)

// catalogueEntry is what these tests read of a catalogue item.
type catalogueEntry struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Version  int    `json:"version"`
	Endorsed bool   `json:"endorsed"`
}

func catalogueOf(t *testing.T, e *apptest.Env, token string) map[string]catalogueEntry {
	t.Helper()
	res := e.Call("GET", api+"/courses?limit=100", token, nil)
	if res.Status != 200 {
		t.Fatalf("catalogue: %d %s", res.Status, res.Body)
	}
	var l struct{ Items []catalogueEntry }
	res.JSON(t, &l)
	out := map[string]catalogueEntry{}
	for _, it := range l.Items {
		out[it.ID] = it
	}
	return out
}

// TestPublishIsSeenAtOnce reads the catalogue, an outline, a lesson and
// the package from memory, then changes what they show (a publish, a new
// version, an endorsement) and reads again at once, with no wait: the
// process that made a change never answers with what it replaced. A
// publish rolled back after being read inside its transaction leaves
// nothing behind.
func TestPublishIsSeenAtOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		admin := e.UserWithRole(web.RoleAdmin)
		learner := e.Learner()
		c, lessons := authorCourse(t, e, trainer, "seen-at-once", 1)

		// Warm every cache while the course is a draft: nothing to show.
		if _, ok := catalogueOf(t, e, "")[c.ID]; ok {
			t.Fatal("a draft is in the catalogue")
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "draft outline for a learner", Method: "GET", Path: api + "/courses/" + c.ID, Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "draft lesson for a learner", Method: "GET", Path: api + "/lessons/" + lessons[0], Token: learner.Token, Status: 404, Problem: "not-found"},
		})

		publish(t, e, trainer, c.ID)
		if got := catalogueOf(t, e, "")[c.ID]; got.Version != 1 || got.Endorsed {
			t.Fatalf("catalogue right after publish: %+v", got)
		}
		if res := e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil); res.Status != 201 {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		if res := e.Call("GET", api+"/lessons/"+lessons[0], learner.Token, nil); res.Status != 200 {
			t.Fatalf("lesson right after publish: %d %s", res.Status, res.Body)
		}
		pkg1 := e.Call("GET", api+"/courses/"+c.ID+"/package", learner.Token, nil)

		// A second version: new title, a second lesson.
		e.Call("PATCH", api+"/courses/"+c.ID, trainer.Token, map[string]any{"title": "Seen at once, again"})
		var draft courseJSON
		e.Call("GET", api+"/courses/"+c.ID, trainer.Token, nil).JSON(t, &draft)
		res := e.Call("POST", api+"/modules/"+draft.Modules[0].ID+"/lessons", trainer.Token, map[string]any{"title": "Second", "body_markdown": "two"})
		var second struct{ ID string }
		res.JSON(t, &second)
		e.Scenarios(t, []apptest.Scenario{{Name: "unpublished lesson for a learner", Method: "GET", Path: api + "/lessons/" + second.ID,
			Token: learner.Token, Status: 404, Problem: "not-found"}})
		publish(t, e, trainer, c.ID)
		if got := catalogueOf(t, e, "")[c.ID]; got.Version != 2 || got.Title != "Seen at once, again" {
			t.Fatalf("catalogue right after the second publish: %+v", got)
		}
		var outline courseJSON
		e.Call("GET", api+"/courses/seen-at-once", "", nil).JSON(t, &outline)
		if outline.Version != 2 || len(outline.Modules[0].Lessons) != 2 {
			t.Fatalf("outline right after the second publish: %+v", outline)
		}
		if res := e.Call("GET", api+"/lessons/"+second.ID, learner.Token, nil); res.Status != 200 || !strings.Contains(string(res.Body), "two") {
			t.Fatalf("new lesson right after publish: %d %s", res.Status, res.Body)
		}
		pkg2 := e.Call("GET", api+"/courses/"+c.ID+"/package", learner.Token, nil)
		if pkg2.Header.Get("ETag") == pkg1.Header.Get("ETag") || !strings.Contains(string(pkg2.Body), `"version":2`) {
			t.Fatalf("package right after the second publish: %s", pkg2.Body)
		}

		// An endorsement shows at once, and so does its withdrawal.
		if res := e.Call("POST", api+"/courses/"+c.ID+"/endorse", admin.Token, nil); res.Status != 200 {
			t.Fatalf("endorse: %d %s", res.Status, res.Body)
		}
		if got := catalogueOf(t, e, "")[c.ID]; !got.Endorsed {
			t.Fatalf("catalogue right after endorsing: %+v", got)
		}
		e.Call("POST", api+"/courses/"+c.ID+"/endorse", admin.Token, map[string]any{"endorsed": false})
		if got := catalogueOf(t, e, learner.Token)[c.ID]; got.Endorsed {
			t.Fatalf("catalogue right after withdrawing: %+v", got)
		}

		// A publish read inside its own transaction, then rolled back.
		ctx := apptest.Context(t)
		e.Call("PATCH", api+"/courses/"+c.ID, trainer.Token, map[string]any{"title": "Never published"})
		rollback := errors.New("roll back")
		err := dbx.WithTx(ctx, db, func(ctx context.Context) error {
			p := web.Principal{UserID: trainer.ID, Role: web.RoleTrainer}
			if _, err := e.Courses.Publish(ctx, p, c.ID); err != nil {
				return err
			}
			v, err := e.Courses.CurrentVersion(ctx, c.ID)
			if err != nil || v.Number != 3 || v.Title != "Never published" {
				t.Errorf("inside the transaction: version %d %q, %v", v.Number, v.Title, err)
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if got := catalogueOf(t, e, "")[c.ID]; got.Version != 2 || got.Title != "Seen at once, again" {
			t.Fatalf("catalogue after a rolled-back publish: %+v", got)
		}
		if v, err := e.Courses.CurrentVersion(ctx, c.ID); err != nil || v.Number != 2 {
			t.Fatalf("current version after a rolled-back publish: %d %v", v.Number, err)
		}
	})
}

// queryCounter counts the statements that read or write the tables of
// courses and enrollments.
type queryCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func countQueries(t *testing.T, db *gorm.DB) *queryCounter {
	t.Helper()
	qc := &queryCounter{n: map[string]int{}}
	count := func(tx *gorm.DB) {
		table := tx.Statement.Table
		if strings.HasPrefix(table, "course") || table == "enrollments" || table == "lesson_completions" {
			qc.mu.Lock()
			qc.n[table]++
			qc.mu.Unlock()
		}
	}
	if err := db.Callback().Query().After("gorm:query").Register("courses_test:count", count); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Row().After("gorm:row").Register("courses_test:count", count); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Raw().After("gorm:raw").Register("courses_test:count", count); err != nil {
		t.Fatal(err)
	}
	return qc
}

func (qc *queryCounter) take() map[string]int {
	qc.mu.Lock()
	defer qc.mu.Unlock()
	out := qc.n
	qc.n = map[string]int{}
	return out
}

// TestHotReadsComeFromMemory counts the database reads of the hot paths
// once their caches are warm: none for the catalogue and an outline
// (anonymous or a learner), and only the learner's own enrollment for a
// lesson and the package.
func TestHotReadsComeFromMemory(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.NewSeeded(t, db)
		learner := e.Learner()
		res := e.Call("POST", api+"/courses/data-confidentiality-essentials/enrollments", learner.Token, nil)
		courseID := res.Map(t)["course_id"].(string)
		var outline courseJSON
		e.Call("GET", api+"/courses/"+courseID, "", nil).JSON(t, &outline)
		lesson := outline.Modules[0].Lessons[0].ID
		reads := []struct {
			name, path, token string
			want              map[string]int
		}{
			{"catalogue", api + "/courses", "", map[string]int{}},
			{"catalogue as a learner", api + "/courses?q=data&limit=5", learner.Token, map[string]int{}},
			{"outline", api + "/courses/data-confidentiality-essentials", "", map[string]int{}},
			// The learner's enrollment, once seen, is remembered.
			{"lesson", api + "/lessons/" + lesson, learner.Token, map[string]int{}},
			{"package", api + "/courses/" + courseID + "/package", learner.Token, map[string]int{"enrollments": 1}},
		}
		for _, r := range reads {
			if res := e.Call("GET", r.path, r.token, nil); res.Status != 200 { // warm
				t.Fatalf("%s: %d %s", r.name, res.Status, res.Body)
			}
		}
		qc := countQueries(t, db)
		for _, r := range reads {
			qc.take()
			if res := e.Call("GET", r.path, r.token, nil); res.Status != 200 {
				t.Fatalf("%s: %d %s", r.name, res.Status, res.Body)
			}
			got := qc.take()
			if len(got) != len(r.want) {
				t.Errorf("%s read %v, want %v", r.name, got, r.want)
				continue
			}
			for table, n := range r.want {
				if got[table] != n {
					t.Errorf("%s read %v, want %v", r.name, got, r.want)
				}
			}
		}
	})
}
