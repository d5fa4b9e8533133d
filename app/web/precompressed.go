package web

import (
	"bytes"
	"compress/gzip"

	"github.com/gofiber/fiber/v2"
)

// Precompressed is a response body kept beside its gzip encoding, so that
// an answer served from memory is compressed once, when it is made, and
// not again on every request (a profile of the catalogue showed gzip
// costing more than all the rest of the request).
type Precompressed struct {
	Plain []byte
	Gzip  []byte // nil when the body is too small to be worth it
}

// MinCompressSize is the smallest body worth compressing: below about a
// kilobyte gzip saves a few hundred bytes at most and costs more time
// than the rest of a small answer (nginx and CDNs draw a similar line).
const MinCompressSize = 1024

// Precompress encodes body once, at the best compression.
func Precompress(body []byte) Precompressed {
	if len(body) < MinCompressSize {
		return Precompressed{Plain: body}
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	if err := zw.Close(); err != nil || buf.Len() >= len(body) {
		return Precompressed{Plain: body}
	}
	return Precompressed{Plain: body, Gzip: buf.Bytes()}
}

// Send writes the body, gzipped when the client accepts it. The server's
// compression leaves a body that already has a Content-Encoding alone.
// The caller sets the content type.
func (p Precompressed) Send(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderAcceptEncoding)
	if p.Gzip != nil && c.Request().Header.HasAcceptEncoding("gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(p.Gzip)
	}
	return c.Send(p.Plain)
}
