package courses_test

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/apptest"
)

// BenchmarkCatalogue compares catalogue listing, package download and a
// lesson read with a bare Fiber handler sending a body of the same size,
// through the same app.Test harness in the same run: read the figures as
// ratios.
func BenchmarkCatalogue(b *testing.B) {
	for _, d := range apptest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			e := apptest.New(b, apptest.NewDB(b, d), apptest.Options{RealClock: true})
			ctx := apptest.Context(b)
			if err := e.Seed(ctx, io.Discard); err != nil {
				b.Fatal(err)
			}
			learner := e.Learner()
			res := e.Call("POST", api+"/courses/data-confidentiality-essentials/enrollments", learner.Token, nil)
			courseID := res.Map(b)["course_id"].(string)

			catalogue := e.Call("GET", api+"/courses", "", nil).Body
			pkg := e.Call("GET", api+"/courses/"+courseID+"/package", learner.Token, nil).Body
			var outline struct {
				Modules []struct {
					Lessons []struct {
						ID string `json:"id"`
					} `json:"lessons"`
				} `json:"modules"`
			}
			e.Call("GET", api+"/courses/"+courseID, "", nil).JSON(b, &outline)
			lessonPath := api + "/lessons/" + outline.Modules[0].Lessons[0].ID
			lesson := e.Call("GET", lessonPath, learner.Token, nil).Body
			bare := fiber.New(fiber.Config{DisableStartupMessage: true})
			bare.Get("/catalogue", func(c *fiber.Ctx) error { return c.Type("json").Send(catalogue) })
			bare.Get("/package", func(c *fiber.Ctx) error { return c.Type("json").Send(pkg) })
			bare.Get("/lesson", func(c *fiber.Ctx) error { return c.Type("json").Send(lesson) })

			run := func(b *testing.B, app *fiber.App, path, token string) {
				b.ReportAllocs()
				for b.Loop() {
					req := httptest.NewRequest("GET", path, nil)
					if token != "" {
						req.Header.Set("Authorization", "Bearer "+token)
					}
					resp, err := app.Test(req, -1)
					if err != nil || resp.StatusCode != 200 {
						b.Fatalf("%s: %v %v", path, err, resp.StatusCode)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}
			b.Run("catalogue", func(b *testing.B) { run(b, e.App, api+"/courses", "") })
			b.Run("bare-catalogue-body", func(b *testing.B) { run(b, bare, "/catalogue", "") })
			b.Run("package", func(b *testing.B) { run(b, e.App, api+"/courses/"+courseID+"/package", learner.Token) })
			b.Run("bare-package-body", func(b *testing.B) { run(b, bare, "/package", "") })
			b.Run("lesson", func(b *testing.B) { run(b, e.App, lessonPath, learner.Token) })
			b.Run("bare-lesson-body", func(b *testing.B) { run(b, bare, "/lesson", "") })
		})
	}
}
