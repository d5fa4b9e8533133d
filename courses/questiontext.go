package courses

// QuestionText makes the text of assessment questions safe with the very
// policy lessons use (issue #10, item 10): app/wire hands it to the
// assessments domain, which must not import courses.
type QuestionText struct{}

// SanitizeHTML keeps only the HTML a lesson may carry.
func (QuestionText) SanitizeHTML(html string) string {
	_, policy := renderer()
	return policy.Sanitize(html)
}

// RenderMarkdown renders Markdown as a lesson body is rendered.
func (QuestionText) RenderMarkdown(src string) (string, error) { return RenderMarkdown(src) }
