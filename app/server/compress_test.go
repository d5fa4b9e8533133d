package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
)

// Answers served from memory go out precompressed when the client takes
// gzip, and decode to exactly the plain answer; answers under a kilobyte
// are not compressed at all; larger ones are compressed by the server.
func TestCompression(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, dbx.SQLite))
	if err := e.Seed(apptest.Context(t), io.Discard); err != nil {
		t.Fatal(err)
	}
	gz := map[string]string{"Accept-Encoding": "gzip"}
	for _, path := range []string{"/api/v1/courses", "/.well-known/jwks.json", "/openapi.json"} {
		plain := e.Do(apptest.Request{Method: "GET", Path: path})
		packed := e.Do(apptest.Request{Method: "GET", Path: path, Headers: gz})
		if plain.Status != 200 || packed.Status != 200 {
			t.Fatalf("%s: %d / %d", path, plain.Status, packed.Status)
		}
		if plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: compressed for a client that did not ask", path)
		}
		if len(plain.Body) < 1024 {
			if packed.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: %d bytes compressed", path, len(plain.Body))
			}
			continue
		}
		if got := packed.Header.Get("Content-Encoding"); got != "gzip" {
			t.Fatalf("%s: Content-Encoding %q", path, got)
		}
		zr, err := gzip.NewReader(bytes.NewReader(packed.Body))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, plain.Body) {
			t.Errorf("%s: the gzipped answer differs from the plain one", path)
		}
	}
	small := e.Do(apptest.Request{Method: "GET", Path: "/healthz", Headers: gz})
	if small.Header.Get("Content-Encoding") != "" {
		t.Errorf("/healthz (%d bytes) compressed", len(small.Body))
	}
}
