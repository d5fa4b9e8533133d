package main

import (
	"testing"
	"time"

	"skillgate/app/apptest"
)

// TestCoursesCoherentAcrossReplicas runs two processes of the service on
// one database (SQLite, and PostgreSQL when configured). Replica B serves
// the catalogue, an outline and a lesson from memory; replica A publishes
// a new version and endorses the course. B must show each change within
// 1 s (the change bus's bound when a notification is lost; on SQLite the
// poll of the change log is the only path). The test waits on the
// condition with a generous deadline and reports the measured delay.
func TestCoursesCoherentAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			a, b := twoReplicas(t, d)

			login := func(r *replica, email, pw string) string {
				st, m := r.call(t, "POST", "/api/v1/auth/login", "", map[string]any{"email": email, "password": pw})
				if st != 200 {
					t.Fatalf("login %s: %d %v", email, st, m)
				}
				return str(m, "access_token")
			}
			admin := login(a, "admin@example.org", "a long admin passphrase")
			a.call(t, "POST", "/api/v1/users", admin, map[string]any{"email": "t@example.org", "password": "a trainer passphrase", "name": "T", "role": "trainer"})
			trainer := login(a, "t@example.org", "a trainer passphrase")
			_, reg := b.call(t, "POST", "/api/v1/auth/register", "", map[string]any{"email": "l@example.org", "password": "a learner passphrase", "name": "L"})
			learner := str(reg, "access_token")

			_, c := a.call(t, "POST", "/api/v1/courses", trainer, map[string]any{"slug": "coherent", "title": "Coherent one", "language": "en"})
			id := str(c, "id")
			_, m := a.call(t, "POST", "/api/v1/courses/"+id+"/modules", trainer, map[string]any{"title": "M"})
			a.call(t, "POST", "/api/v1/modules/"+str(m, "id")+"/lessons", trainer, map[string]any{"title": "L1", "body_markdown": "one"})

			// B's view of the course, read from its caches.
			catalogue := func() map[string]any {
				st, l := b.call(t, "GET", "/api/v1/courses?limit=100", "", nil)
				if st != 200 {
					t.Fatalf("catalogue on B: %d %v", st, l)
				}
				items, _ := l["items"].([]any)
				for _, it := range items {
					if m, _ := it.(map[string]any); str(m, "id") == id {
						return m
					}
				}
				return nil
			}
			outline := func() map[string]any {
				_, o := b.call(t, "GET", "/api/v1/courses/coherent", "", nil)
				return o
			}
			// await polls B until cond holds and fails unless it held within 1 s.
			await := func(what string, cond func() bool) {
				t.Helper()
				start := time.Now()
				for !cond() {
					if time.Since(start) > 10*time.Second {
						t.Fatalf("%s: B still stale after 10 s", what)
					}
					<-time.After(10 * time.Millisecond) // how often to look again
				}
				delay := time.Since(start)
				t.Logf("%s: seen on B after %v", what, delay.Round(time.Millisecond))
				if delay > time.Second {
					t.Errorf("%s: seen on B after %v, want within 1 s", what, delay)
				}
			}

			// B caches "no such course" before the first publish.
			if catalogue() != nil {
				t.Fatal("draft in B's catalogue")
			}
			if st, _ := b.call(t, "GET", "/api/v1/courses/coherent", "", nil); st != 404 {
				t.Fatalf("draft outline on B: %d", st)
			}
			if st, p := a.call(t, "POST", "/api/v1/courses/"+id+"/publish", trainer, nil); st != 200 {
				t.Fatalf("publish on A: %d %v", st, p)
			}
			await("first publish in the catalogue", func() bool { return catalogue() != nil })
			await("first publish in the outline", func() bool { return outline()["version"] == 1.0 })

			// B now holds version 1; A publishes version 2.
			a.call(t, "PATCH", "/api/v1/courses/"+id, trainer, map[string]any{"title": "Coherent two"})
			_, l2 := a.call(t, "POST", "/api/v1/modules/"+str(m, "id")+"/lessons", trainer, map[string]any{"title": "L2", "body_markdown": "two"})
			if st, _ := b.call(t, "POST", "/api/v1/courses/"+id+"/enrollments", learner, nil); st != 201 {
				t.Fatalf("enroll on B: %d", st)
			}
			if st, _ := b.call(t, "GET", "/api/v1/lessons/"+str(l2, "id"), learner, nil); st != 404 {
				t.Fatalf("unpublished lesson on B: %d", st)
			}
			if st, p := a.call(t, "POST", "/api/v1/courses/"+id+"/publish", trainer, nil); st != 200 {
				t.Fatalf("publish 2 on A: %d %v", st, p)
			}
			await("second version in the catalogue", func() bool {
				c := catalogue()
				return c["version"] == 2.0 && c["title"] == "Coherent two"
			})
			await("second version in the outline", func() bool {
				o := outline()
				return o["version"] == 2.0 && o["title"] == "Coherent two"
			})
			await("second version's new lesson", func() bool {
				st, _ := b.call(t, "GET", "/api/v1/lessons/"+str(l2, "id"), learner, nil)
				return st == 200
			})

			// An endorsement on A changes B's catalogue.
			if c := catalogue(); c["endorsed"] != false {
				t.Fatalf("endorsed before endorsing: %v", c)
			}
			if st, _ := a.call(t, "POST", "/api/v1/courses/"+id+"/endorse", admin, nil); st != 200 {
				t.Fatalf("endorse on A: %d", st)
			}
			await("endorsement in the catalogue", func() bool { return catalogue()["endorsed"] == true })
		})
	}
}
