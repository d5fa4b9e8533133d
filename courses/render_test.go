package courses_test

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"skillgate/courses"
)

func TestRenderMarkdownSanitises(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		must     []string
		mustNot  []string
	}{
		{"script tag", "Hello <script>alert(1)</script> world", []string{"Hello"}, []string{"<script"}},
		{"event handler", `<img src="x.png" onerror="alert(1)">`, nil, []string{"onerror"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"click"}, []string{"javascript:"}},
		{"javascript link with entity", "[click](jav&#x09;ascript:alert(1))", []string{"click"}, []string{"javascript:", "ascript:alert"}},
		{"raw html link", `<a href="javascript:alert(1)">x</a>`, nil, []string{"javascript:"}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, nil, []string{"<iframe"}},
		{"style attribute", `<p style="background:url(javascript:alert(1))">x</p>`, nil, []string{"javascript:", "style="}},
		{"links kept", "[Skillgate](https://skillgate.example/docs)", []string{`href="https://skillgate.example/docs"`, "rel="}, nil},
		{"remote image refused", "![a cat](https://img.example/cat.png)", nil, []string{"img.example"}},
		{"remote image as html refused", `<img src="http://tracker.example/p.gif?u=1">`, nil, []string{"tracker.example"}},
		{"protocol-relative image refused", "![x](//tracker.example/p.gif)", nil, []string{"tracker.example"}},
		{"backslash image stays on this site", `![x](/\tracker.example/p.gif)`, nil, []string{`src="//`, `src="/\`}},
		{"site image kept", "![a keyboard](/api/v1/courses/c/images/keyboard.svg?v=ab12)", []string{`<img src="/api/v1/courses/c/images/keyboard.svg?v=ab12"`, `alt="a keyboard"`}, nil},
		{"raster data image kept", "![dot](data:image/png;base64,iVBORw0KGgo=)", []string{`src="data:image/png;base64,iVBORw0KGgo="`}, nil},
		{"svg data image refused", "![x](data:image/svg+xml;base64,PHN2Zy8+)", nil, []string{"data:"}},
		{"html data image refused", `<img src="data:text/html;base64,PHNjcmlwdD4=">`, nil, []string{"data:"}},
		{"data link refused", "[x](data:image/png;base64,iVBORw0KGgo=)", []string{"x"}, []string{"data:"}},
		{"hindi alt text kept", "![कंप्यूटर कीबोर्ड: बायाँ हाथ A S D F पर; F व J](/api/v1/courses/c/images/k.svg)", []string{`alt="कंप्यूटर कीबोर्ड: बायाँ हाथ A S D F पर; F व J"`}, nil},
		{"alt cannot break out", "![a\" onerror=\"x](/api/v1/courses/c/images/k.svg)", nil, []string{"onerror=\"x"}},
		{"relative link kept", "[next](/courses/abc)", []string{`href="/courses/abc"`}, nil},
		{"data-like link kept", "[d](https://example.org/database)", []string{`href="https://example.org/database"`}, nil},
		{"headings lists tables", "## Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", []string{"<h2", "<li>one</li>", "<table>", "<td>1</td>"}, nil},
		{"emphasis", "**bold** and *italic*", []string{"<strong>bold</strong>", "<em>italic</em>"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := courses.RenderMarkdown(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.must {
				if !strings.Contains(out, s) {
					t.Errorf("%q not in %s", s, out)
				}
			}
			for _, s := range tc.mustNot {
				if strings.Contains(strings.ToLower(out), strings.ToLower(s)) {
					t.Errorf("%q survived in %s", s, out)
				}
			}
		})
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:b)", "<img onerror=x>", "# h\n\n*x*", "<a href=\"java\nscript:x\">y</a>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := courses.RenderMarkdown(in)
		if err != nil {
			t.Fatal(err)
		}
		if bad := unsafeMarkup(out); bad != "" {
			t.Fatalf("%s in output %q of %q", bad, out, in)
		}
	})
}

var rasterDataURI = regexp.MustCompile(`^data:image/(png|jpeg|gif|webp);base64,`)

// unsafeMarkup scans rendered HTML as a browser would and names the first
// dangerous element or attribute it finds.
func unsafeMarkup(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "script", "iframe", "object", "embed", "style", "form", "base", "meta":
				return "element " + string(name)
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				key := strings.ToLower(string(k))
				val := strings.ToLower(strings.Join(strings.Fields(string(v)), ""))
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" {
					return "attribute " + key
				}
				if (key == "href" || key == "src") && (strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:")) {
					return "url " + val
				}
				// The only data: URIs allowed are raster images in <img>.
				if (key == "href" || key == "src") && strings.HasPrefix(val, "data:") &&
					!(string(name) == "img" && key == "src" && rasterDataURI.MatchString(val)) {
					return "url " + val
				}
				// Images come from this site only: a remote one tracks readers.
				if string(name) == "img" && key == "src" && !strings.HasPrefix(val, "data:") &&
					(!strings.HasPrefix(val, "/") || strings.HasPrefix(val, "//") || strings.HasPrefix(val, "/\\")) {
					return "remote image " + val
				}
			}
		}
	}
}
