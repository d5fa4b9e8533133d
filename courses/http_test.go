package courses_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

type courseJSON struct {
	ID      string `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Status  string `json:"status"`
	Version int    `json:"version"`
	Modules []struct {
		ID      string `json:"id"`
		Lessons []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"lessons"`
	} `json:"modules"`
}

// authorCourse creates a course with one module and n lessons as trainer.
func authorCourse(t *testing.T, e *apptest.Env, trainer apptest.User, slug string, n int) (courseJSON, []string) {
	t.Helper()
	res := e.Call("POST", api+"/courses", trainer.Token, map[string]any{"slug": slug, "title": "Course " + slug, "summary": "About " + slug,
		"language": "en", "tags": []string{"safety", "basics"}, "estimated_minutes": 30})
	if res.Status != 201 {
		t.Fatalf("create course: %d %s", res.Status, res.Body)
	}
	var c courseJSON
	res.JSON(t, &c)
	res = e.Call("POST", api+"/courses/"+c.ID+"/modules", trainer.Token, map[string]any{"title": "Module one"})
	if res.Status != 201 {
		t.Fatalf("create module: %d %s", res.Status, res.Body)
	}
	var m struct{ ID string }
	res.JSON(t, &m)
	var lessons []string
	for i := 0; i < n; i++ {
		res = e.Call("POST", api+"/modules/"+m.ID+"/lessons", trainer.Token, map[string]any{"title": fmt.Sprintf("Lesson %d", i+1), "body_markdown": "Read **this**."})
		if res.Status != 201 {
			t.Fatalf("create lesson: %d %s", res.Status, res.Body)
		}
		var l struct{ ID string }
		res.JSON(t, &l)
		lessons = append(lessons, l.ID)
	}
	return c, lessons
}

// publish publishes the course as trainer, failing the test if refused.
func publish(t *testing.T, e *apptest.Env, trainer apptest.User, courseID string) {
	t.Helper()
	if res := e.Call("POST", api+"/courses/"+courseID+"/publish", trainer.Token, nil); res.Status != 200 {
		t.Fatalf("publish %s: %d %s", courseID, res.Status, res.Body)
	}
}

func TestCourseJourney(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		other := e.UserWithRole(web.RoleTrainer)
		admin := e.UserWithRole(web.RoleAdmin)
		learner := e.Learner()
		employer := e.UserWithRole(web.RoleEmployer)
		stranger := e.Learner()

		c, lessons := authorCourse(t, e, trainer, "safe-work", 2)
		if c.Status != "draft" || c.Version != 0 {
			t.Fatalf("new course: %+v", c)
		}
		course, lesson := api+"/courses/"+c.ID, api+"/lessons/"+lessons[0]
		// A draft is invisible to learners and anonymous callers, and to
		// other trainers, who cannot touch it either: 404 while it is a draft.
		bySlug := api + "/courses/safe-work"
		e.Scenarios(t, []apptest.Scenario{
			{Name: "anonymous reads the draft", Method: "GET", Path: course, Status: 404, Problem: "not-found"},
			{Name: "anonymous reads it by slug", Method: "GET", Path: bySlug, Status: 404, Problem: "not-found"},
			{Name: "learner reads the draft", Method: "GET", Path: course, Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "learner reads it by slug", Method: "GET", Path: bySlug, Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer reads the draft", Method: "GET", Path: course, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer reads it by slug", Method: "GET", Path: bySlug, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "the catalogue of a learner", Method: "GET", Path: api + "/courses", Token: learner.Token, Status: 200, Absent: []string{c.ID}},
			{Name: "the catalogue of its trainer", Method: "GET", Path: api + "/courses", Token: trainer.Token, Status: 200, Contains: []string{c.ID}},
			{Name: "learner reads a draft lesson", Method: "GET", Path: lesson, Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer reads a draft lesson", Method: "GET", Path: lesson, Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "other trainer patches the draft", Method: "PATCH", Path: course, Token: other.Token, Body: map[string]any{"title": "Mine now"},
				Status: 404, Problem: "not-found"},
			{Name: "other trainer publishes it", Method: "POST", Path: course + "/publish", Token: other.Token, Status: 404, Problem: "not-found"},
			{Name: "learner enrolls in the draft", Method: "POST", Path: course + "/enrollments", Token: learner.Token, Status: 404, Problem: "not-found"},
		})

		// Publish: version 1, visible to everyone.
		res := e.Call("POST", api+"/courses/"+c.ID+"/publish", trainer.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), `"status":"published"`) || !strings.Contains(string(res.Body), `"version":1`) {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		if res := e.Call("GET", api+"/courses/safe-work", "", nil); res.Status != 200 || !strings.Contains(string(res.Body), `"title":"Course safe-work"`) {
			t.Fatalf("published to anonymous: %d %s", res.Status, res.Body)
		}
		// Other trainers see it but may not change it: 403 now.
		var full courseJSON
		e.Call("GET", api+"/courses/"+c.ID, trainer.Token, nil).JSON(t, &full)
		e.Scenarios(t, []apptest.Scenario{
			{Name: "other trainer patches the published course", Method: "PATCH", Path: course, Token: other.Token, Body: map[string]any{"title": "Mine now"},
				Status: 403, Problem: "forbidden"},
			{Name: "other trainer adds a lesson", Method: "POST", Path: api + "/modules/" + full.Modules[0].ID + "/lessons", Token: other.Token,
				Body: map[string]any{"title": "x", "body_markdown": "y"}, Status: 403, Problem: "forbidden"},
		})

		// Edits after publishing make a draft; learners keep version 1.
		if res := e.Call("PATCH", api+"/courses/"+c.ID, trainer.Token, map[string]any{"title": "Course v2 title"}); res.Status != 200 || !strings.Contains(string(res.Body), `"status":"draft"`) {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "slug change after publish", Method: "PATCH", Path: course, Token: trainer.Token,
			Body: map[string]any{"slug": "renamed"}, Status: 422, Problem: "validation"}})
		res = e.Call("GET", api+"/courses/"+c.ID, learner.Token, nil)
		if !strings.Contains(string(res.Body), `"title":"Course safe-work"`) || !strings.Contains(string(res.Body), `"version":1`) {
			t.Fatalf("learner sees the edit: %s", res.Body)
		}

		// Learner journey.
		e.Scenarios(t, []apptest.Scenario{
			{Name: "lesson before enrolling", Method: "GET", Path: lesson, Token: learner.Token, Status: 403, Problem: "forbidden"},
			{Name: "complete before enrolling", Method: "POST", Path: lesson + "/complete", Token: learner.Token, Status: 403, Problem: "forbidden"},
		})
		res = e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil)
		if res.Status != 201 || !strings.Contains(string(res.Body), `"progress_percent":0`) {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		first := res.Map(t)["id"]
		res = e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil)
		if res.Status != 200 || res.Map(t)["id"] != first {
			t.Fatalf("enroll again: %d %s", res.Status, res.Body)
		}
		// Only learners enroll and learn, each in their own courses.
		e.Scenarios(t, []apptest.Scenario{
			{Name: "trainer enrolls", Method: "POST", Path: course + "/enrollments", Token: trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "employer enrolls", Method: "POST", Path: course + "/enrollments", Token: employer.Token, Status: 403, Problem: "forbidden"},
			{Name: "trainer completes a lesson", Method: "POST", Path: lesson + "/complete", Token: trainer.Token, Status: 403, Problem: "forbidden"},
			{Name: "lesson for a learner not enrolled", Method: "GET", Path: lesson, Token: stranger.Token, Status: 403, Problem: "forbidden"},
		})
		res = e.Call("GET", api+"/lessons/"+lessons[0], learner.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), "<strong>this</strong>") {
			t.Fatalf("lesson: %d %s", res.Status, res.Body)
		}
		for i, want := range []int{50, 50, 100} {
			id := lessons[min(i, 1)]
			if i == 1 {
				id = lessons[0] // completing twice is idempotent
			}
			res = e.Call("POST", api+"/lessons/"+id+"/complete", learner.Token, nil)
			if res.Status != 200 || !strings.Contains(string(res.Body), fmt.Sprintf(`"progress_percent":%d`, want)) {
				t.Fatalf("complete %d: %d %s", i, res.Status, res.Body)
			}
		}
		res = e.Call("GET", api+"/me/enrollments", learner.Token, nil)
		var mine struct {
			Items []struct {
				CourseID        string  `json:"course_id"`
				CourseSlug      string  `json:"course_slug"`
				ProgressPercent int     `json:"progress_percent"`
				CompletedAt     *string `json:"completed_at"`
			}
		}
		res.JSON(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].ProgressPercent != 100 || mine.Items[0].CompletedAt == nil || mine.Items[0].CourseSlug != "safe-work" {
			t.Fatalf("my enrollments: %s", res.Body)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "a trainer's own enrollments", Method: "GET", Path: api + "/me/enrollments", Token: trainer.Token,
			Status: 403, Problem: "forbidden"}})

		// Package with ETag and 304.
		res = e.Call("GET", api+"/courses/"+c.ID+"/package", learner.Token, nil)
		etag := res.Header.Get("ETag")
		if res.Status != 200 || etag == "" || strings.HasPrefix(etag, "W/") || !strings.Contains(string(res.Body), "body_html") {
			t.Fatalf("package: %d %q %s", res.Status, etag, res.Body)
		}
		for _, forbidden := range []string{`"correct"`, `"answer"`, `"accepted"`, `"explanation"`} {
			if strings.Contains(string(res.Body), forbidden) {
				t.Fatalf("package carries %s", forbidden)
			}
		}
		res = e.Do(apptest.Request{Method: "GET", Path: api + "/courses/" + c.ID + "/package", Token: learner.Token, Headers: map[string]string{"If-None-Match": etag}})
		if res.Status != 304 || len(res.Body) != 0 {
			t.Fatalf("package revalidation: %d", res.Status)
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "package for a learner not enrolled", Method: "GET", Path: course + "/package", Token: stranger.Token,
			Status: 403, Problem: "forbidden"}})

		// Publishing v2 makes a new version; v1's ETag no longer matches.
		res = e.Call("POST", api+"/courses/"+c.ID+"/publish", trainer.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), `"version":2`) {
			t.Fatalf("publish v2: %d %s", res.Status, res.Body)
		}
		res = e.Do(apptest.Request{Method: "GET", Path: api + "/courses/" + c.ID + "/package", Token: learner.Token, Headers: map[string]string{"If-None-Match": etag}})
		if res.Status != 200 || !strings.Contains(string(res.Body), "Course v2 title") {
			t.Fatalf("package after v2: %d %s", res.Status, res.Body)
		}
		// Admins may act on any course.
		if res := e.Call("PATCH", api+"/courses/"+c.ID, admin.Token, map[string]any{"summary": "Edited by an admin"}); res.Status != 200 {
			t.Fatalf("admin patch: %d", res.Status)
		}
	})
}

func TestPublishedVersionIsImmutable(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		c, lessons := authorCourse(t, e, trainer, "immutable", 1)
		publish(t, e, trainer, c.ID)
		e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil)
		before := e.Call("GET", api+"/courses/"+c.ID+"/package", learner.Token, nil)
		// Add a module and lesson and change the title: the published version stays.
		e.Call("PATCH", api+"/courses/"+c.ID, trainer.Token, map[string]any{"title": "Changed", "tags": []string{"new"}})
		res := e.Call("POST", api+"/courses/"+c.ID+"/modules", trainer.Token, map[string]any{"title": "Extra", "position": 1})
		var m struct{ ID string }
		res.JSON(t, &m)
		e.Call("POST", api+"/modules/"+m.ID+"/lessons", trainer.Token, map[string]any{"title": "Secret draft lesson", "body_markdown": "draft"})
		after := e.Call("GET", api+"/courses/"+c.ID+"/package", learner.Token, nil)
		if string(before.Body) != string(after.Body) || before.Header.Get("ETag") != after.Header.Get("ETag") {
			t.Fatalf("published version changed:\n%s\n%s", before.Body, after.Body)
		}
		if strings.Contains(string(e.Call("GET", api+"/courses/"+c.ID, learner.Token, nil).Body), "Secret draft lesson") {
			t.Fatal("draft lesson leaked to a learner")
		}
		// Progress counts the published lessons only.
		res = e.Call("POST", api+"/lessons/"+lessons[0]+"/complete", learner.Token, nil)
		if !strings.Contains(string(res.Body), `"progress_percent":100`) {
			t.Fatalf("progress: %s", res.Body)
		}
	})
}

func TestCourseAuthoringUnhappyPaths(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		employer := e.UserWithRole(web.RoleEmployer)
		c, _ := authorCourse(t, e, trainer, "unhappy", 0)
		before := e.Call("GET", api+"/courses/"+c.ID, trainer.Token, nil)
		list, course := api+"/courses", api+"/courses/"+c.ID
		newCourse := map[string]any{"slug": "x", "title": "X", "language": "en"}
		e.Scenarios(t, []apptest.Scenario{
			// Only trainers (and admins) author courses.
			{Name: "learner creates", Method: "POST", Path: list, Token: learner.Token, Body: newCourse, Status: 403, Problem: "forbidden"},
			{Name: "employer creates", Method: "POST", Path: list, Token: employer.Token, Body: newCourse, Status: 403, Problem: "forbidden"},
			{Name: "anonymous creates", Method: "POST", Path: list, Body: newCourse, Status: 401, Problem: "unauthenticated"},
			// A course's fields are parsed, bounded and validated.
			{Name: "slug taken", Method: "POST", Path: list, Token: trainer.Token, Body: map[string]any{"slug": "unhappy", "title": "X", "language": "en"}, Status: 409, Problem: "conflict"},
			{Name: "bad slug", Method: "POST", Path: list, Token: trainer.Token, Body: map[string]any{"slug": "Bad Slug!", "title": "X", "language": "en"}, Status: 422, Problem: "validation", Contains: []string{`"field":"slug"`}},
			{Name: "bad language", Method: "POST", Path: list, Token: trainer.Token, Body: map[string]any{"slug": "ok-slug", "title": "X", "language": "english!"}, Status: 422, Problem: "validation", Contains: []string{`"field":"language"`}},
			{Name: "bad tags", Method: "POST", Path: list, Token: trainer.Token, Body: map[string]any{"slug": "ok-slug", "title": "X", "language": "en", "tags": []string{"Not OK"}}, Status: 422, Problem: "validation", Contains: []string{`"field":"tags"`}},
			{Name: "missing title", Method: "POST", Path: list, Token: trainer.Token, Body: map[string]any{"slug": "ok-slug", "language": "en"}, Status: 422, Problem: "validation", Contains: []string{`"field":"title"`}},
			{Name: "malformed", Method: "POST", Path: list, Token: trainer.Token, Body: `{"slug":`, Status: 400, Problem: "bad-request"},
			{Name: "wrong type", Method: "POST", Path: list, Token: trainer.Token, Body: `{"slug":"a","title":"b","language":"en","tags":"x"}`, Status: 400, Problem: "bad-request", Contains: []string{`"field":"tags"`}},
			{Name: "oversized", Method: "POST", Path: list, Token: trainer.Token, Body: `{"summary":"` + strings.Repeat("a", 1<<20+10) + `"}`, Status: 413, Problem: "too-large"},
			// Editing a course.
			{Name: "publish without lessons", Method: "POST", Path: course + "/publish", Token: trainer.Token, Status: 422, Problem: "validation", Contains: []string{`"field":"modules"`}},
			{Name: "learner patches", Method: "PATCH", Path: course, Token: learner.Token, Body: map[string]any{"title": "x"}, Status: 403, Problem: "forbidden"},
			{Name: "patch bad minutes", Method: "PATCH", Path: course, Token: trainer.Token, Body: map[string]any{"estimated_minutes": -5}, Status: 422, Problem: "validation", Contains: []string{`"field":"estimated_minutes"`}},
			{Name: "module without title", Method: "POST", Path: course + "/modules", Token: trainer.Token, Body: map[string]any{}, Status: 422, Problem: "validation", Contains: []string{`"field":"title"`}},
			{Name: "module bad position", Method: "POST", Path: course + "/modules", Token: trainer.Token, Body: map[string]any{"title": "x", "position": 0}, Status: 422, Problem: "validation", Contains: []string{`"field":"position"`}},
			// Unknown ids, and drafts, are not there for learners.
			{Name: "module on unknown course", Method: "POST", Path: api + "/courses/nope/modules", Token: trainer.Token, Body: map[string]any{"title": "x"}, Status: 404, Problem: "not-found"},
			{Name: "lesson on unknown module", Method: "POST", Path: api + "/modules/nope/lessons", Token: trainer.Token, Body: map[string]any{"title": "x", "body_markdown": "y"}, Status: 404, Problem: "not-found"},
			{Name: "unknown lesson", Method: "GET", Path: api + "/lessons/nope", Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "lesson anonymous", Method: "GET", Path: api + "/lessons/nope", Status: 401, Problem: "unauthenticated"},
			{Name: "complete unknown lesson", Method: "POST", Path: api + "/lessons/nope/complete", Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "enroll unknown course", Method: "POST", Path: api + "/courses/nope/enrollments", Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "package of draft", Method: "GET", Path: course + "/package", Token: learner.Token, Status: 404, Problem: "not-found"},
			{Name: "catalogue bad limit", Method: "GET", Path: api + "/courses?limit=abc", Status: 400, Problem: "bad-request"},
		})
		after := e.Call("GET", api+"/courses/"+c.ID, trainer.Token, nil)
		if string(before.Body) != string(after.Body) {
			t.Fatalf("refused requests changed the course:\n%s\n%s", before.Body, after.Body)
		}
	})
}

func TestCatalogueSearchFiltersAndPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.NewSeeded(t, db)
		get := func(q string) []string { return catalogueSlugs(t, e, "", q) }
		if got := get(""); len(got) < 6 {
			t.Fatalf("catalogue: %v", got)
		}
		if got := get("?language=hi"); len(got) != 3 || !slices.Contains(got, "digital-literacy-foundations-hi") {
			t.Fatalf("language filter: %v", got)
		}
		if got := get("?q=CONFIDENTIAL"); !slices.Equal(sorted(got...), sorted("data-confidentiality-essentials", "data-confidentiality-essentials-hi")) {
			t.Fatalf("search: %v", got)
		}
		if got := get("?tag=annotation"); !slices.Equal(sorted(got...), sorted("annotation-quality-practices", "annotation-quality-practices-hi")) {
			t.Fatalf("tag filter: %v", got)
		}
		if got := get("?q=%25"); len(got) != 0 {
			t.Fatalf("a %% must not match everything: %v", got)
		}
		// Pages of 3 with a cursor, until the whole catalogue is seen once.
		all := get("")
		var seen []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > len(all) {
				t.Fatal("the cursor never ends")
			}
			res := e.Call("GET", api+"/courses?limit=3"+cursor, "", nil)
			var page struct {
				Items      []struct{ Slug string }
				NextCursor *string `json:"next_cursor"`
			}
			res.JSON(t, &page)
			if len(page.Items) > 3 || (page.NextCursor != nil && len(page.Items) != 3) {
				t.Fatalf("page %d: %s", pages, res.Body)
			}
			for _, it := range page.Items {
				seen = append(seen, it.Slug)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = "&cursor=" + *page.NextCursor
		}
		if !slices.Equal(seen, all) {
			t.Fatalf("paged %v, whole %v", seen, all)
		}
		// Big answers are compressed.
		res := e.Do(apptest.Request{Method: "GET", Path: api + "/courses", Headers: map[string]string{"Accept-Encoding": "gzip"}})
		if res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("catalogue not compressed: %v", res.Header)
		}
	})
}

// catalogueSlugs is the slugs of the catalogue page that query (such as
// "?q=x", or "") gives to token, in the catalogue's order.
func catalogueSlugs(t *testing.T, e *apptest.Env, token, query string) []string {
	t.Helper()
	res := e.Call("GET", api+"/courses"+query, token, nil)
	if res.Status != 200 {
		t.Fatalf("catalogue %s: %d %s", query, res.Status, res.Body)
	}
	var l struct {
		Items []struct{ Slug string }
	}
	res.JSON(t, &l)
	var slugs []string
	for _, it := range l.Items {
		slugs = append(slugs, it.Slug)
	}
	return slugs
}

// sorted is the slugs as the catalogue lists them: by course id, which is
// random, so tests compare sets.
func sorted(slugs ...string) []string {
	slices.Sort(slugs)
	return slugs
}
