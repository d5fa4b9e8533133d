package courses_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// A learner who has read 6 of 7 lessons sees 86 % and which six are done.
func TestProgressRoundsAndListsDoneLessons(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		learner := e.Learner()
		c, lessons := authorCourse(t, e, trainer, "seven-lessons", 7)
		publish(t, e, trainer, c.ID)
		res := e.Call("POST", api+"/courses/"+c.ID+"/enrollments", learner.Token, nil)
		if res.Status != 201 || !strings.Contains(string(res.Body), `"completed_lesson_ids":[]`) {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		// Done out of order; the list comes back in reading order.
		order := []int{5, 0, 1, 3, 2, 4}
		for _, i := range order {
			if res := e.Call("POST", api+"/lessons/"+lessons[i]+"/complete", learner.Token, nil); res.Status != 200 {
				t.Fatalf("complete: %d %s", res.Status, res.Body)
			}
		}
		res = e.Call("GET", api+"/me/enrollments", learner.Token, nil)
		var mine struct {
			Items []struct {
				ProgressPercent    int      `json:"progress_percent"`
				CompletedLessonIDs []string `json:"completed_lesson_ids"`
				CompletedAt        *string  `json:"completed_at"`
			}
		}
		res.JSON(t, &mine)
		if len(mine.Items) != 1 {
			t.Fatalf("my enrollments: %s", res.Body)
		}
		got := mine.Items[0]
		if got.ProgressPercent != 86 || got.CompletedAt != nil {
			t.Fatalf("6 of 7 lessons: %d %% completed_at %v", got.ProgressPercent, got.CompletedAt)
		}
		if !slices.Equal(got.CompletedLessonIDs, lessons[:6]) {
			t.Fatalf("done lessons %v, want %v", got.CompletedLessonIDs, lessons[:6])
		}
		res = e.Call("POST", api+"/lessons/"+lessons[6]+"/complete", learner.Token, nil)
		if !strings.Contains(string(res.Body), `"progress_percent":100`) {
			t.Fatalf("last lesson: %s", res.Body)
		}
	})
}

// Search matches the titles of lessons, in English and in Hindi, for
// learners (published versions) and for a trainer's own drafts.
func TestSearchFindsLessonTitles(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.NewSeeded(t, db)
		search := func(tok, q string) []string { return catalogueSlugs(t, e, tok, "?q="+url.QueryEscape(q)) }
		// "password" is in no course title, summary or tag: only in the
		// title of the foundations lesson "Strong passwords, ...".
		if got := search("", "password"); !slices.Contains(got, "digital-literacy-foundations") || slices.Contains(got, "annotation-quality-practices") {
			t.Fatalf("q=password: %v", got)
		}
		if got := search("", "Strong PASSWORDS"); !slices.Equal(got, []string{"digital-literacy-foundations"}) {
			t.Fatalf("q=Strong PASSWORDS: %v", got)
		}
		if got := search("", "पासवर्ड"); !slices.Contains(got, "digital-literacy-foundations-hi") || slices.Contains(got, "digital-literacy-foundations") {
			t.Fatalf("q=पासवर्ड: %v", got)
		}
		if got := search("", "no lesson is called this"); len(got) != 0 {
			t.Fatalf("nonsense query: %v", got)
		}
		trainer := e.UserWithRole(web.RoleTrainer)
		authorCourse(t, e, trainer, "draft-only", 3)
		if got := search(trainer.Token, "lesson 3"); !slices.Equal(got, []string{"draft-only"}) {
			t.Fatalf("trainer's draft by lesson title: %v", got)
		}
		if got := search("", "lesson 3"); len(got) != 0 {
			t.Fatalf("draft found by anonymous search: %v", got)
		}
	})
}
