package courses

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"skillgate/app/web"
)

// Pictures in lessons. A pack may carry small hand-written SVG files in
// images/; a lesson shows one with ![what it shows](images/name.svg). The
// import checks every picture (ValidateSVG), keeps it with the course, and
// rewrites the reference to the public URL that serves it, with a hash of
// the picture so that browsers and offline packages may cache it for ever.

// MaxImageBytes bounds one picture: illustrations are a few KB.
const MaxImageBytes = 24 << 10

// ImagePathPrefix is where pictures are served, under the API root.
const ImagePathPrefix = "/api/v1/courses/"

var (
	imageNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,80}\.svg$`)
	// imageRefRe finds a Markdown image whose target is in the pack's
	// images folder.
	imageRefRe = regexp.MustCompile(`(!\[[^\]]*\]\()images/([^)\s]+)(\))`)
)

// Image is one picture of a course.
type Image struct {
	Name   string
	SVG    []byte
	SHA256 string // hex
}

// URL is where the picture of the course with this slug is served.
func (im Image) URL(slug string) string {
	return ImagePathPrefix + slug + "/images/" + im.Name + "?v=" + im.SHA256[:12]
}

func newImage(name string, svg []byte) Image {
	sum := sha256.Sum256(svg)
	return Image{Name: name, SVG: svg, SHA256: hex.EncodeToString(sum[:])}
}

// svgElements are the SVG elements a picture may use: shapes, groups,
// gradients and text. Anything that can run script, load another
// document or reach the network (script, foreignObject, image, use, a,
// style, animate, ...) is refused.
var svgElements = map[string]bool{
	"svg": true, "g": true, "path": true, "rect": true, "circle": true, "ellipse": true, "line": true,
	"polyline": true, "polygon": true, "text": true, "tspan": true, "title": true, "desc": true,
	"defs": true, "linearGradient": true, "radialGradient": true, "stop": true, "clipPath": true,
}

// svgAttributes are the attributes a picture may use: geometry and
// presentation. No event handlers, no href, no style attribute (whose
// url() and @import could fetch).
var svgAttributes = map[string]bool{
	"xmlns": true, "viewBox": true, "width": true, "height": true, "x": true, "y": true, "x1": true, "y1": true,
	"x2": true, "y2": true, "cx": true, "cy": true, "r": true, "rx": true, "ry": true, "d": true, "points": true,
	"fill": true, "fill-opacity": true, "fill-rule": true, "stroke": true, "stroke-width": true,
	"stroke-linecap": true, "stroke-linejoin": true, "stroke-dasharray": true, "stroke-opacity": true,
	"opacity": true, "transform": true, "id": true, "offset": true, "stop-color": true, "stop-opacity": true,
	"gradientUnits": true, "clip-path": true, "clip-rule": true, "font-size": true, "font-family": true,
	"font-weight": true, "text-anchor": true, "dominant-baseline": true, "role": true, "aria-label": true,
	"aria-hidden": true, "preserveAspectRatio": true, "lang": true,
}

// localRef is the only url() a picture may hold: a gradient or clip path
// of the same document.
var localRef = regexp.MustCompile(`^url\(#[A-Za-z][A-Za-z0-9_-]*\)$`)

// ValidateSVG accepts a picture only if it is a small, well-formed SVG
// document made of allowed elements and attributes: no script, no event
// handler, no link or reference outside the document, no DTD or entity.
// Served as image/svg+xml from this site, it must be as inert as a PNG.
func ValidateSVG(data []byte) error {
	if len(data) > MaxImageBytes {
		return fmt.Errorf("%d bytes, more than %d", len(data), MaxImageBytes)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if t.Name.Local != "svg" || t.Name.Space != "http://www.w3.org/2000/svg" {
					return fmt.Errorf("the root must be <svg xmlns=\"http://www.w3.org/2000/svg\">")
				}
			}
			if t.Name.Space != "http://www.w3.org/2000/svg" || !svgElements[t.Name.Local] {
				return fmt.Errorf("element <%s> is not allowed", t.Name.Local)
			}
			for _, a := range t.Attr {
				name := a.Name.Local
				if a.Name.Space != "" && a.Name.Space != "xmlns" {
					return fmt.Errorf("attribute %s:%s on <%s> is not allowed", a.Name.Space, name, t.Name.Local)
				}
				if a.Name.Space == "xmlns" || (name == "xmlns" && a.Value != "http://www.w3.org/2000/svg") {
					return fmt.Errorf("namespace %q is not allowed", a.Value)
				}
				if !svgAttributes[name] {
					return fmt.Errorf("attribute %s on <%s> is not allowed", name, t.Name.Local)
				}
				v := strings.ToLower(strings.Join(strings.Fields(a.Value), ""))
				if strings.Contains(v, "url(") && !localRef.MatchString(v) {
					return fmt.Errorf("attribute %s on <%s> refers outside the picture", name, t.Name.Local)
				}
				if strings.Contains(v, "javascript:") || strings.Contains(v, "data:") || strings.Contains(v, "http:") || strings.Contains(v, "https:") {
					if name != "xmlns" {
						return fmt.Errorf("attribute %s on <%s> holds a URL", name, t.Name.Local)
					}
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.Directive:
			return fmt.Errorf("<!%s> is not allowed (no DOCTYPE or ENTITY)", firstWord(string(t)))
		case xml.ProcInst:
			if t.Target != "xml" {
				return fmt.Errorf("processing instruction <?%s?> is not allowed", t.Target)
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("text outside <svg>")
			}
		}
	}
	if roots != 1 {
		return fmt.Errorf("want one <svg> element, found %d", roots)
	}
	return nil
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// readPackImages reads and checks the pictures in dir/images, if any.
func readPackImages(fsys fs.FS, dir string) (map[string]Image, error) {
	entries, err := fs.ReadDir(fsys, path.Join(dir, "images"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, fault("images", 0, web.RulePackUnreadable, "Err", err.Error()))
	}
	out := map[string]Image{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if !imageNameRe.MatchString(e.Name()) {
			return nil, fmt.Errorf("pack %s: %w", dir, fault("images/"+e.Name(), 0, web.RulePackImageName))
		}
		raw, err := fs.ReadFile(fsys, path.Join(dir, "images", e.Name()))
		if err != nil {
			return nil, err
		}
		if err := ValidateSVG(raw); err != nil {
			return nil, fmt.Errorf("pack %s: %w", dir, fault("images/"+e.Name(), 0, web.RulePackImageUnsafe, "Err", err.Error()))
		}
		out[e.Name()] = newImage(e.Name(), raw)
	}
	return out, nil
}

// linkImages points a lesson's images/name.svg references at the served
// pictures of the course with this slug, or names the first picture it
// refers to that the pack does not have.
func linkImages(body, slug string, images map[string]Image) (string, string) {
	var missing []string
	out := imageRefRe.ReplaceAllStringFunc(body, func(m string) string {
		sub := imageRefRe.FindStringSubmatch(m)
		im, ok := images[sub[2]]
		if !ok {
			missing = append(missing, sub[2])
			return m
		}
		return sub[1] + im.URL(slug) + sub[3]
	})
	if len(missing) > 0 {
		return "", missing[0]
	}
	return out, ""
}

// PublicImage returns a picture of a published course, by course id or
// slug. Pictures of a course never published are not served.
func (s *Service) PublicImage(ctx context.Context, idOrSlug, name string) (Image, error) {
	if !imageNameRe.MatchString(name) {
		return Image{}, web.NotFound("image")
	}
	c, err := s.store.PublishedHead(ctx, idOrSlug)
	if web.IsKind(err, web.KindNotFound) {
		// Unknown (404 course) or never published (404 image): ask.
		if c, err = s.store.CourseHead(ctx, idOrSlug); err == nil {
			err = web.NotFound("image")
		}
	}
	if err != nil {
		return Image{}, err
	}
	return s.store.Image(ctx, c.ID, name)
}

// CourseImages lists a course's pictures, for its offline package.
func (s *Service) CourseImages(ctx context.Context, courseID string) ([]Image, error) {
	return s.store.Images(ctx, courseID)
}
