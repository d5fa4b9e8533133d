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
		// A draft is invisible to learners and anonymous callers, and to other trainers.
		for _, tok := range []string{"", learner.Token, other.Token} {
			if res := e.Call("GET", api+"/courses/"+c.ID, tok, nil); res.Status != 404 {
				t.Fatalf("draft visible: %d", res.Status)
			}
			if res := e.Call("GET", api+"/courses/safe-work", tok, nil); res.Status != 404 {
				t.Fatalf("draft visible by slug: %d", res.Status)
			}
		}
		if res := e.Call("GET", api+"/courses", learner.Token, nil); strings.Contains(string(res.Body), c.ID) {
			t.Fatal("draft listed to a learner")
		}
		if res := e.Call("GET", api+"/courses", trainer.Token, nil); !strings.Contains(string(res.Body), c.ID) {
			t.Fatal("draft not listed to its trainer")
		}
		if res := e.Call("GET", api+"/lessons/"+lessons[0], learner.Token, nil); res.Status != 404 {
			t.Fatalf("draft lesson to learner: %d", res.Status)
		}
		// Another trainer cannot read or touch it: 404 while it is a draft.
		if res := e.Call("GET", api+"/lessons/"+lessons[0], other.Token, nil); res.Status != 404 {
			t.Fatalf("other trainer reads draft lesson: %d", res.Status)
		}
		if res := e.Call("PATCH", api+"/courses/"+c.ID, other.Token, map[string]any{"title": "Mine now"}); res.Status != 404 {
			t.Fatalf("other trainer patch draft: %d", res.Status)
		}
		if res := e.Call("POST", api+"/courses/"+c.ID+"/publish", other.Token, nil); res.Status != 404 {
			t.Fatalf("other trainer publish: %d", res.Status)
		}
		if res := e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil); res.Status != 404 {
			t.Fatalf("enroll in draft: %d", res.Status)
		}

		// Publish: version 1, visible to everyone.
		res := e.Call("POST", api+"/courses/"+c.ID+"/publish", trainer.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), `"status":"published"`) || !strings.Contains(string(res.Body), `"version":1`) {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		if res := e.Call("GET", api+"/courses/safe-work", "", nil); res.Status != 200 || !strings.Contains(string(res.Body), `"title":"Course safe-work"`) {
			t.Fatalf("published to anonymous: %d %s", res.Status, res.Body)
		}
		// Other trainers see it but may not change it: 403 now.
		if res := e.Call("PATCH", api+"/courses/"+c.ID, other.Token, map[string]any{"title": "Mine now"}); res.Status != 403 {
			t.Fatalf("other trainer patch published: %d", res.Status)
		}
		var full courseJSON
		e.Call("GET", api+"/courses/"+c.ID, trainer.Token, nil).JSON(t, &full)
		if res := e.Call("POST", api+"/modules/"+full.Modules[0].ID+"/lessons", other.Token, map[string]any{"title": "x", "body_markdown": "y"}); res.Status != 403 {
			t.Fatalf("other trainer add lesson: %d", res.Status)
		}

		// Edits after publishing make a draft; learners keep version 1.
		if res := e.Call("PATCH", api+"/courses/"+c.ID, trainer.Token, map[string]any{"title": "Course v2 title"}); res.Status != 200 || !strings.Contains(string(res.Body), `"status":"draft"`) {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
		if res := e.Call("PATCH", api+"/courses/"+c.ID, trainer.Token, map[string]any{"slug": "renamed"}); res.Status != 422 {
			t.Fatalf("slug change after publish: %d", res.Status)
		}
		res = e.Call("GET", api+"/courses/"+c.ID, learner.Token, nil)
		if !strings.Contains(string(res.Body), `"title":"Course safe-work"`) || !strings.Contains(string(res.Body), `"version":1`) {
			t.Fatalf("learner sees the edit: %s", res.Body)
		}

		// Learner journey.
		if res := e.Call("GET", api+"/lessons/"+lessons[0], learner.Token, nil); res.Status != 403 {
			t.Fatalf("lesson before enrolling: %d", res.Status)
		}
		if res := e.Call("POST", api+"/lessons/"+lessons[0]+"/complete", learner.Token, nil); res.Status != 403 {
			t.Fatalf("complete before enrolling: %d", res.Status)
		}
		res = e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil)
		if res.Status != 201 || !strings.Contains(string(res.Body), `"progress_percent":0`) {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		first := res.Map(t)["id"]
		res = e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil)
		if res.Status != 200 || res.Map(t)["id"] != first {
			t.Fatalf("enroll again: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/courses/"+c.ID+"/enrollments", trainer.Token, nil); res.Status != 403 {
			t.Fatalf("trainer enrolls: %d", res.Status)
		}
		if res := e.Call("POST", api+"/courses/"+c.ID+"/enrollments", employer.Token, nil); res.Status != 403 {
			t.Fatalf("employer enrolls: %d", res.Status)
		}
		if res := e.Call("POST", api+"/lessons/"+lessons[0]+"/complete", trainer.Token, nil); res.Status != 403 {
			t.Fatalf("trainer completes a lesson: %d", res.Status)
		}
		if res := e.Call("GET", api+"/lessons/"+lessons[0], stranger.Token, nil); res.Status != 403 {
			t.Fatalf("lesson for a learner not enrolled: %d", res.Status)
		}
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
		if res := e.Call("GET", api+"/me/enrollments", trainer.Token, nil); res.Status != 403 {
			t.Fatalf("trainer my enrollments: %d", res.Status)
		}

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
		if res := e.Call("GET", api+"/courses/"+c.ID+"/package", stranger.Token, nil); res.Status != 403 {
			t.Fatalf("package for a learner not enrolled: %d", res.Status)
		}

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
		if res := e.Call("POST", api+"/courses/"+c.ID+"/publish", trainer.Token, nil); res.Status != 200 {
			t.Fatal(res.Status)
		}
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
		for _, tc := range []struct {
			name, method, path, token string
			body                      any
			status                    int
			field                     string
		}{
			{"learner creates", "POST", api + "/courses", learner.Token, map[string]any{"slug": "x", "title": "X", "language": "en"}, 403, ""},
			{"employer creates", "POST", api + "/courses", employer.Token, map[string]any{"slug": "x", "title": "X", "language": "en"}, 403, ""},
			{"anonymous creates", "POST", api + "/courses", "", map[string]any{"slug": "x", "title": "X", "language": "en"}, 401, ""},
			{"slug taken", "POST", api + "/courses", trainer.Token, map[string]any{"slug": "unhappy", "title": "X", "language": "en"}, 409, ""},
			{"bad slug", "POST", api + "/courses", trainer.Token, map[string]any{"slug": "Bad Slug!", "title": "X", "language": "en"}, 422, "slug"},
			{"bad language", "POST", api + "/courses", trainer.Token, map[string]any{"slug": "ok-slug", "title": "X", "language": "english!"}, 422, "language"},
			{"bad tags", "POST", api + "/courses", trainer.Token, map[string]any{"slug": "ok-slug", "title": "X", "language": "en", "tags": []string{"Not OK"}}, 422, "tags"},
			{"missing title", "POST", api + "/courses", trainer.Token, map[string]any{"slug": "ok-slug", "language": "en"}, 422, "title"},
			{"malformed", "POST", api + "/courses", trainer.Token, `{"slug":`, 400, ""},
			{"wrong type", "POST", api + "/courses", trainer.Token, `{"slug":"a","title":"b","language":"en","tags":"x"}`, 400, "tags"},
			{"oversized", "POST", api + "/courses", trainer.Token, `{"summary":"` + strings.Repeat("a", 1<<20+10) + `"}`, 413, ""},
			{"publish without lessons", "POST", api + "/courses/" + c.ID + "/publish", trainer.Token, nil, 422, "modules"},
			{"learner patches", "PATCH", api + "/courses/" + c.ID, learner.Token, map[string]any{"title": "x"}, 403, ""},
			{"patch bad minutes", "PATCH", api + "/courses/" + c.ID, trainer.Token, map[string]any{"estimated_minutes": -5}, 422, "estimated_minutes"},
			{"module without title", "POST", api + "/courses/" + c.ID + "/modules", trainer.Token, map[string]any{}, 422, "title"},
			{"module bad position", "POST", api + "/courses/" + c.ID + "/modules", trainer.Token, map[string]any{"title": "x", "position": 0}, 422, "position"},
			{"module on unknown course", "POST", api + "/courses/nope/modules", trainer.Token, map[string]any{"title": "x"}, 404, ""},
			{"lesson on unknown module", "POST", api + "/modules/nope/lessons", trainer.Token, map[string]any{"title": "x", "body_markdown": "y"}, 404, ""},
			{"unknown lesson", "GET", api + "/lessons/nope", learner.Token, nil, 404, ""},
			{"lesson anonymous", "GET", api + "/lessons/nope", "", nil, 401, ""},
			{"complete unknown lesson", "POST", api + "/lessons/nope/complete", learner.Token, nil, 404, ""},
			{"enroll unknown course", "POST", api + "/courses/nope/enrollments", learner.Token, nil, 404, ""},
			{"package of draft", "GET", api + "/courses/" + c.ID + "/package", learner.Token, nil, 404, ""},
			{"catalogue bad limit", "GET", api + "/courses?limit=abc", "", nil, 400, ""},
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
		after := e.Call("GET", api+"/courses/"+c.ID, trainer.Token, nil)
		if string(before.Body) != string(after.Body) {
			t.Fatalf("refused requests changed the course:\n%s\n%s", before.Body, after.Body)
		}
	})
}

func TestCatalogueSearchFiltersAndPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		if err := e.Seed(apptest.Context(t), &strings.Builder{}); err != nil {
			t.Fatal(err)
		}
		get := func(q string) []string {
			res := e.Call("GET", api+"/courses"+q, "", nil)
			if res.Status != 200 {
				t.Fatalf("%s: %d %s", q, res.Status, res.Body)
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

// sorted is the slugs as the catalogue lists them: by course id, which is
// random, so tests compare sets.
func sorted(slugs ...string) []string {
	slices.Sort(slugs)
	return slugs
}
