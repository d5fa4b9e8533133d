package courses

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var (
	// imageSrc is where a lesson's images may come from: a path on this
	// site (never "//host", which is another site) or a raster data: URI.
	// A remote image is refused: it tells its server who reads the lesson
	// and when (issue #10, item 11).
	imageSrc = regexp.MustCompile(`^(?:/[^/\\]|data:image/(?:png|jpeg|gif|webp);base64,)`)
	// rasterData is a data: URI a lesson may carry; anything else (HTML,
	// SVG that could script, plain text) is refused wherever it appears.
	rasterData = regexp.MustCompile(`^image/(?:png|jpeg|gif|webp);base64,`)
	// altText is a picture's description: any text without markup.
	altText = regexp.MustCompile(`^[^<>\x00-\x1f]{0,500}$`)
	// notData is a link that is not a data: URI (Go regexps have no
	// negative look-ahead, hence the spelling out).
	notData = regexp.MustCompile(`^\s*(?:[^dD\s]|[dD](?:[^aA]|[aA](?:[^tT]|[tT](?:[^aA]|[aA][^:]))))`)

	renderOnce sync.Once
	markdown   goldmark.Markdown
	sanitizer  *bluemonday.Policy
)

func renderer() (goldmark.Markdown, *bluemonday.Policy) {
	renderOnce.Do(func() {
		// CommonMark plus tables and strikethrough; raw HTML is escaped by
		// goldmark (no WithUnsafe) and the output is still sanitised.
		markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
		sanitizer = lessonPolicy()
	})
	return markdown, sanitizer
}

// lessonPolicy is bluemonday's UGC policy with links and images narrowed:
// links may not be data: URIs, and images come only from this site or as
// raster data: URIs. The UGC policy cannot be narrowed after the fact
// (bluemonday accepts an attribute if any of its rules allows it), so the
// policy is spelled out here.
func lessonPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardAttributes()
	p.AllowStandardURLs()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowURLSchemeWithCustomPolicy("data", func(u *url.URL) bool {
		m := rasterData.FindString(u.Opaque)
		if m == "" || u.RawQuery != "" || u.Fragment != "" {
			return false
		}
		_, err := base64.StdEncoding.DecodeString(u.Opaque[len(m):])
		return err == nil
	})
	p.AllowElements("article", "aside", "figure", "figcaption", "section", "summary", "details",
		"h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "blockquote", "br", "div", "hr", "p", "span", "wbr",
		"abbr", "acronym", "cite", "code", "dfn", "em", "mark", "s", "samp", "strong", "sub", "sup", "var",
		"b", "i", "pre", "small", "strike", "tt", "u", "del", "ins", "kbd")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowElements("q")
	p.AllowLists()
	p.AllowTables()
	p.AllowAttrs("href").Matching(notData).OnElements("a")
	// Alt text describes a picture to a reader who cannot see it, in any
	// language: bluemonday's Paragraph pattern drops Devanagari vowel signs
	// and ":" or ";", so any text without markup is kept (it is escaped on
	// output).
	p.AllowAttrs("alt", "title").Matching(altText).OnElements("img")
	p.AllowAttrs("height", "width").Matching(bluemonday.NumberOrPercent).OnElements("img")
	p.AllowAttrs("src").Matching(imageSrc).OnElements("img")
	return p
}

// RenderMarkdown turns a lesson body into safe HTML: CommonMark rendered,
// then sanitised with an allow-list (no script, no event handlers, no
// javascript: or data: links; links kept; images only from this site or
// as raster data: URIs).
func RenderMarkdown(src string) (string, error) {
	md, policy := renderer()
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("courses: render markdown: %w", err)
	}
	return policy.Sanitize(buf.String()), nil
}
