package site_test

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"net/url"
	"regexp"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// zipOf zips files (name → content) as a trainer would.
func zipOf(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func pagePack(gift string) map[string]string {
	return map[string]string{
		"wifi-safety/course.yaml": "slug: wifi-safety\ntitle: Wi-Fi Safety\nsummary: Public networks.\nlanguage: en\nestimated_minutes: 10\n" +
			"assessments:\n  - title: Wi-Fi final\n    kind: final\n    question_count: 2\n    time_limit_seconds: 600\n    pass_percent: 50\n    max_attempts: 3\n    cooldown_seconds: 0\n",
		"wifi-safety/lessons/01-open-networks.md": "---\nmodule: Networks\ntitle: Open networks\nminutes: 5\n---\nUse a **VPN** on open networks.\n",
		"wifi-safety/lessons/02-passwords.md":     "---\nmodule: Networks\ntitle: Router passwords\nminutes: 5\n---\nChange the default password.\n",
		"wifi-safety/questions.gift":              gift,
	}
}

// TestTrainerUploadsPackThroughPages: a trainer previews a zip (every
// error by line, nothing saved), imports it as a draft of their own by
// ticking the box, and publishes it; another trainer cannot take the slug.
func TestTrainerUploadsPackThroughPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		b := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		must(t, b.get("/staff/courses"), 200, `action="/staff/packs"`, "Upload a course pack")

		bad := zipOf(t, pagePack("::Q1:: ok {TRUE}\n\n::Q2:: broken {=a ~b\n"))
		p := b.upload("/staff/packs", "file", "wifi.zip", bad, url.Values{"confirm": {"yes"}})
		must(t, p, 422, "1 error", "questions.gift", "Line 3")
		mustNot(t, p, "checked>")

		good := zipOf(t, pagePack("::Q1:: Use a VPN on open Wi-Fi? {TRUE}\n\n::Q2:: Keep the default router password? {FALSE}\n"))
		p = b.upload("/staff/packs", "file", "wifi.zip", good, nil)
		must(t, p, 200, "Preview: nothing is saved yet", "wifi-safety", "Wi-Fi Safety", "Open networks", "Router passwords",
			"2 questions", "Wi-Fi final", "creates a new draft course")
		must(t, newBrowser(t, e).get("/courses/wifi-safety"), 404)
		must(t, b.get("/staff/courses"), 200)
		mustNot(t, b.get("/staff/courses"), "Wi-Fi Safety")

		p = b.upload("/staff/packs", "file", "wifi.zip", good, url.Values{"confirm": {"yes"}})
		if p.Status != 303 {
			t.Fatalf("import: %d %s", p.Status, p.Body)
		}
		p = b.get(p.Header.Get("Location"))
		must(t, p, 200, "Wi-Fi Safety", "Open networks", "Wi-Fi final", "Publish this version")
		must(t, newBrowser(t, e).get("/courses/wifi-safety"), 404)
		id := regexp.MustCompile(`action="/staff/courses/([^/"]+)/publish"`).FindStringSubmatch(p.Body)[1]

		// The same zip again: a preview that updates the trainer's own course.
		must(t, b.upload("/staff/packs", "file", "wifi.zip", good, nil), 200, "updates your course with this slug")

		p = b.submit("/staff/courses/"+id+"/publish", nil)
		must(t, p, 200, "version 1 published")
		must(t, newBrowser(t, e).get("/courses/wifi-safety"), 200, "Wi-Fi Safety", "Open networks")

		other := signInAs(t, e, e.UserWithRole(web.RoleTrainer))
		other.get("/staff/courses")
		p = other.upload("/staff/packs", "file", "wifi.zip", good, url.Values{"confirm": {"yes"}})
		must(t, p, 422, "is taken by another course")

		// Not a zip, and a zip-slip path: refused before anything is read.
		must(t, b.upload("/staff/packs", "file", "x.zip", "not a zip", url.Values{"confirm": {"yes"}}), 422, "not a zip file")
		must(t, b.upload("/staff/packs", "file", "x.zip", zipOf(t, map[string]string{"../course.yaml": "x"}), nil), 422, "unsafe path")

		// A zip over the pages' 1 MiB body limit is accepted on this route;
		// files that are not the pack's are never read.
		big := pagePack("::Q1:: ok {TRUE}\n")
		noise := make([]byte, 3<<19)
		_, _ = rand.Read(noise)
		big["wifi-safety/notes.bin"] = string(noise)
		must(t, b.upload("/staff/packs", "file", "big.zip", zipOf(t, big), nil), 200, "Preview: nothing is saved yet")
	})
}
