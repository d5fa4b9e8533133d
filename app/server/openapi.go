package server

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"gopkg.in/yaml.v3"
)

//go:embed openapi.yaml
var openAPIYAML []byte

var (
	openAPIOnce sync.Once
	openAPIDoc  map[string]any
	openAPIErr  error
)

// OpenAPI returns the API description, parsed once from the embedded YAML.
func OpenAPI() (map[string]any, error) {
	openAPIOnce.Do(func() {
		openAPIErr = yaml.Unmarshal(openAPIYAML, &openAPIDoc)
	})
	return openAPIDoc, openAPIErr
}

func openAPIHandler(baseURL string) fiber.Handler {
	var (
		once sync.Once
		body []byte
		err  error
	)
	return func(c *fiber.Ctx) error {
		once.Do(func() {
			var doc map[string]any
			if doc, err = OpenAPI(); err != nil {
				return
			}
			out := make(map[string]any, len(doc)+1)
			for k, v := range doc {
				out[k] = v
			}
			out["servers"] = []map[string]string{{"url": strings.TrimRight(baseURL, "/")}}
			body, err = json.Marshal(out)
		})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.Send(body)
	}
}
