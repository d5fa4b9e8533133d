package courses_test

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/courses"
	"skillgate/courses/packs"
)

const okSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/><text x="1" y="8">?123</text></svg>`

func TestValidateSVGRefusesAnythingActive(t *testing.T) {
	if err := courses.ValidateSVG([]byte(okSVG)); err != nil {
		t.Fatalf("plain picture refused: %v", err)
	}
	if err := courses.ValidateSVG([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + okSVG)); err != nil {
		t.Fatalf("XML declaration refused: %v", err)
	}
	for name, svg := range map[string]string{
		"script":            `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		"event handler":     `<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>`,
		"onload on root":    `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
		"external image":    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://tracker.example/p.gif"/></svg>`,
		"use elsewhere":     `<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/x.svg#a"/></svg>`,
		"link":              `<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>`,
		"foreignObject":     `<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>`,
		"style element":     `<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>`,
		"style attribute":   `<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://tracker.example/p)"/></svg>`,
		"remote fill":       `<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://tracker.example/p#a)"/></svg>`,
		"animate to script": `<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" to="javascript:alert(1)"/></svg>`,
		"doctype entity":    `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>`,
		"not svg":           `<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`,
		"no namespace":      `<svg><rect/></svg>`,
		"two roots":         okSVG + okSVG,
		"broken":            `<svg xmlns="http://www.w3.org/2000/svg"><rect>`,
		"too big":           `<svg xmlns="http://www.w3.org/2000/svg">` + strings.Repeat(`<rect width="1" height="1"/>`, 2000) + `</svg>`,
		"html namespace":    `<svg xmlns="http://www.w3.org/2000/svg"><rect xmlns="http://www.w3.org/1999/xhtml"/></svg>`,
	} {
		t.Run(name, func(t *testing.T) {
			if err := courses.ValidateSVG([]byte(svg)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestPackImagesAreCheckedAndLinked(t *testing.T) {
	pack := func(svg, body string) fstest.MapFS {
		return fstest.MapFS{
			"p/course.yaml":        {Data: []byte("slug: pics\ntitle: Pics\nlanguage: en\n")},
			"p/lessons/01-a.md":    {Data: []byte("---\nmodule: M\ntitle: T\n---\n" + body + "\n")},
			"p/images/the-key.svg": {Data: []byte(svg)},
		}
	}
	p, err := courses.ReadPack(pack(okSVG, "![The key](images/the-key.svg)"), "p")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Lessons[0].Body, "](/api/v1/courses/pics/images/the-key.svg?v=") {
		t.Fatalf("reference not linked: %s", p.Lessons[0].Body)
	}
	html, err := courses.RenderMarkdown(p.Lessons[0].Body)
	if err != nil || !strings.Contains(html, `<img src="/api/v1/courses/pics/images/the-key.svg?v=`) {
		t.Fatalf("the sanitiser dropped the picture: %s %v", html, err)
	}
	if _, err := courses.ReadPack(pack(`<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>`, "x"), "p"); err == nil {
		t.Fatal("a picture with a script was imported")
	}
	if _, err := courses.ReadPack(pack(okSVG, "![Gone](images/missing.svg)"), "p"); err == nil {
		t.Fatal("a lesson showing a picture the pack lacks was imported")
	}
	bad := pack(okSVG, "x")
	bad["p/images/Bad Name.svg"] = &fstest.MapFile{Data: []byte(okSVG)}
	if _, err := courses.ReadPack(bad, "p"); err == nil {
		t.Fatal("a badly named picture was imported")
	}
}

// Every picture a built-in lesson shows is in its pack, and every lesson
// that teaches a keyboard, a gesture or a tricky screen shows one.
func TestBuiltInPacksShowTheirPictures(t *testing.T) {
	list, err := courses.ReadPacks(packs.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"00-phone-basics": 2, "015-file-extensions": 1, "00-labelling-basics": 1,
		"02-keyboard-typing-shortcuts": 1, "03-web-browsers-search": 1, "05-passwords-two-factor": 1,
		"06-phishing-scams": 1, "03-clean-desk-and-screen-privacy": 1}
	for _, p := range list {
		for _, l := range p.Lessons {
			n := strings.Count(l.Body, "](/api/v1/courses/"+p.Meta.Slug+"/images/")
			if n < want[l.Key] {
				t.Errorf("%s/%s shows %d pictures, want %d", p.Meta.Slug, l.Key, n, want[l.Key])
			}
			// Each picture keeps its description, in the lesson's language.
			html, err := courses.RenderMarkdown(l.Body)
			if err != nil {
				t.Fatal(err)
			}
			if imgs, described := strings.Count(html, "<img "), strings.Count(html, `alt="`); imgs != n || described != n {
				t.Errorf("%s/%s: %d pictures, %d img elements, %d with alt text", p.Meta.Slug, l.Key, n, imgs, described)
			}
		}
	}
}

func TestImagesAreServedAndPackaged(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		if err := e.Seed(ctx, &strings.Builder{}); err != nil {
			t.Fatal(err)
		}
		slug := "digital-literacy-foundations-hi"
		res := e.Call("GET", api+"/courses/"+slug+"/images/phone-keyboard.svg", "", nil)
		if res.Status != 200 || res.Header.Get("Content-Type") != "image/svg+xml" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "max-age=31536000") ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(string(res.Body), "<svg") {
			t.Fatalf("picture: %d %v %.80s", res.Status, res.Header, res.Body)
		}
		etag := res.Header.Get("ETag")
		res = e.Do(apptest.Request{Method: "GET", Path: api + "/courses/" + slug + "/images/phone-keyboard.svg", Headers: map[string]string{"If-None-Match": etag}})
		if res.Status != 304 {
			t.Fatalf("revalidation: %d", res.Status)
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "an unknown picture", Method: "GET", Path: api + "/courses/" + slug + "/images/nothing.svg", Status: 404, Problem: "not-found"},
			{Name: "a path out of the pictures", Method: "GET", Path: api + "/courses/" + slug + "/images/..%2Fcourse.yaml", Status: 404, Problem: "not-found",
				Absent: []string{"slug:"}},
			{Name: "an unknown course", Method: "GET", Path: api + "/courses/no-such-course/images/phone-keyboard.svg", Status: 404, Problem: "not-found",
				Absent: []string{"<svg"}},
		})

		// The lesson and the offline package point at the same picture,
		// and the package carries it whole.
		learner := e.Learner()
		res = e.Call("GET", api+"/courses/"+slug, learner.Token, nil)
		var course courseJSON
		res.JSON(t, &course)
		if res := e.Call("POST", api+"/courses/"+course.ID+"/enrollments", learner.Token, nil); res.Status != 201 {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		res = e.Call("GET", api+"/courses/"+course.ID+"/package", learner.Token, nil)
		var pkg struct {
			Modules []struct {
				Lessons []struct {
					BodyHTML string `json:"body_html"`
				}
			}
			Images []struct {
				Name, URL, SVG string
				ContentType    string `json:"content_type"`
			}
		}
		if err := json.Unmarshal(res.Body, &pkg); err != nil {
			t.Fatal(err)
		}
		hi, err := courses.ReadPack(packs.FS, slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(pkg.Images) != len(hi.Images) || len(hi.Images) < 3 {
			t.Fatalf("package has %d images, the pack %d", len(pkg.Images), len(hi.Images))
		}
		first := pkg.Modules[0].Lessons[0].BodyHTML
		for _, im := range pkg.Images {
			if im.ContentType != "image/svg+xml" || courses.ValidateSVG([]byte(im.SVG)) != nil {
				t.Fatalf("packaged picture %s", im.Name)
			}
			if im.Name == "phone-keyboard.svg" && !strings.Contains(first, `src="`+im.URL+`"`) {
				t.Fatalf("lesson does not show %s: %s", im.URL, first)
			}
			if r := e.Call("GET", im.URL, "", nil); r.Status != 200 || string(r.Body) != im.SVG {
				t.Fatalf("%s: %d", im.URL, r.Status)
			}
		}
	})
}
