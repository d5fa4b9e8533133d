package courses

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	renderOnce sync.Once
	markdown   goldmark.Markdown
	sanitizer  *bluemonday.Policy
)

func renderer() (goldmark.Markdown, *bluemonday.Policy) {
	renderOnce.Do(func() {
		// CommonMark plus tables and strikethrough; raw HTML is escaped by
		// goldmark (no WithUnsafe) and the output is still sanitised.
		markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoReferrerOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		sanitizer = p
	})
	return markdown, sanitizer
}

// RenderMarkdown turns a lesson body into safe HTML: CommonMark rendered,
// then sanitised with an allow-list (no script, no event handlers, no
// javascript: links; links and images kept).
func RenderMarkdown(src string) (string, error) {
	md, policy := renderer()
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("courses: render markdown: %w", err)
	}
	return policy.Sanitize(buf.String()), nil
}
