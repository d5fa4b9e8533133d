package assessments

import (
	"strings"
)

// Format is how a question's text was written.
type Format string

// The text formats of GIFT's [format] prefixes.
const (
	// FormatPlain is text: it is escaped, white space kept.
	FormatPlain Format = "plain"
	// FormatHTML is HTML: it is sanitised like a lesson ([html], [moodle],
	// and every text sent as JSON, which the contract calls HTML).
	FormatHTML Format = "html"
	// FormatMarkdown is rendered like a lesson, then sanitised.
	FormatMarkdown Format = "markdown"
)

// TextRenderer turns trainer-written text into safe HTML, as lessons are:
// the courses domain implements it and app/wire passes it in, so that
// questions and lessons share one sanitiser policy.
type TextRenderer interface {
	// SanitizeHTML keeps only allowed HTML (no script, no event handlers).
	SanitizeHTML(html string) string
	// RenderMarkdown renders CommonMark and sanitises the result.
	RenderMarkdown(src string) (string, error)
}

// escapeOnly is the renderer until one is connected: it allows no markup
// at all, so nothing unsafe can be stored.
type escapeOnly struct{}

func (escapeOnly) SanitizeHTML(s string) string { return EscapeText(s) }

func (escapeOnly) RenderMarkdown(s string) (string, error) { return EscapeText(s), nil }

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// EscapeText makes plain text safe inside an HTML element, keeping its
// characters (quotes included) and white space as written.
func EscapeText(s string) string { return textEscaper.Replace(s) }

// renderText makes one text safe in its format.
func (s *Service) renderText(text string, f Format) (string, error) {
	if text == "" {
		return "", nil
	}
	switch f {
	case FormatMarkdown:
		out, err := s.render.RenderMarkdown(text)
		return strings.TrimSpace(out), err
	case FormatHTML:
		return s.render.SanitizeHTML(text), nil
	}
	return EscapeText(text), nil
}

// sanitize makes every text of q that learners or trainers read safe HTML
// on the way in: prompt, options, explanation and feedback. Accepted short
// answers are compared, not shown as HTML, and stay as typed.
func (s *Service) sanitize(q *Question, f Format) error { return s.sanitizeWith(q, f, nil) }

// sanitizeWith is sanitize where the options named in own (by index) have
// a format of their own.
func (s *Service) sanitizeWith(q *Question, f Format, own map[int]Format) error {
	var err error
	in := func(p *string, f Format) {
		if err == nil {
			*p, err = s.renderText(*p, f)
		}
	}
	one := func(p *string) { in(p, f) }
	one(&q.Prompt)
	one(&q.Explanation)
	for i := range q.Options {
		of, ok := own[i]
		if !ok {
			of = f
		}
		in(&q.Options[i].Text, of)
		in(&q.Options[i].Feedback, of)
	}
	for i := range q.Answer.Values {
		one(&q.Answer.Values[i].Feedback)
	}
	for i := range q.Answer.Weighted {
		one(&q.Answer.Weighted[i].Feedback)
	}
	one(&q.Answer.OtherFeedback)
	one(&q.Answer.TrueFeedback)
	one(&q.Answer.FalseFeedback)
	return err
}
