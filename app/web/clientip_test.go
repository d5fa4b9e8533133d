package web_test

import (
	"io"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

func TestClientIP(t *testing.T) {
	// app.Test connects from 0.0.0.0: trust it to play the proxy.
	for _, tc := range []struct {
		name    string
		proxies []string
		xff     string
		want    string
	}{
		{"no proxies: the header is ignored", nil, "1.2.3.4", "0.0.0.0"},
		{"untrusted peer: the header is ignored", []string{"10.0.0.1"}, "1.2.3.4", "0.0.0.0"},
		{"trusted peer, one hop", []string{"0.0.0.0"}, "1.2.3.4", "1.2.3.4"},
		{"a client's forged entries on the left are not believed", []string{"0.0.0.0"}, "6.6.6.6, 7.7.7.7, 1.2.3.4", "1.2.3.4"},
		{"trusted hops on the right are skipped", []string{"0.0.0.0/32", "10.0.0.0/8"}, "1.2.3.4, 10.0.0.7", "1.2.3.4"},
		{"garbage stops the walk at the last good hop", []string{"0.0.0.0", "10.0.0.0/8"}, "nonsense, 10.0.0.7", "10.0.0.7"},
		{"no header from a trusted peer", []string{"0.0.0.0"}, "", "0.0.0.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxies, bad := web.ParseProxies(tc.proxies)
			if len(bad) > 0 {
				t.Fatal(bad)
			}
			app := fiber.New()
			app.Use(web.ClientIPMiddleware(proxies))
			app.Get("/", func(c *fiber.Ctx) error { return c.SendString(web.ClientIP(c)) })
			req := httptest.NewRequest("GET", "/", nil)
			if tc.xff != "" {
				req.Header.Set("X-Forwarded-For", tc.xff)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			if string(got) != tc.want {
				t.Fatalf("client %q, want %q", got, tc.want)
			}
		})
	}
}
