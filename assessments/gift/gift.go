// Package gift parses Moodle GIFT question banks into Skillgate questions,
// so that trainers can import the banks they already have.
//
// It is a pure parser: it touches no database and no network. Parse takes a
// whole document and returns every question it understood plus one Error
// (with a line number) for every question it could not use; callers import
// nothing when any error is returned.
//
// Supported GIFT features follow Moodle's GIFT format documentation:
//
//   - "//" comment lines, blank lines between questions, questions that span
//     several lines, "$CATEGORY:" lines (the last path segment becomes the
//     question's tag), "::title::" and the [html]/[moodle]/[plain]/[markdown]
//     format prefixes (removed from the text);
//   - the escapes \~ \= \# \{ \} \: and \\ (the character itself) and \n (a
//     newline); any other backslash is kept as written, as Moodle does;
//   - multiple choice ({=right ~wrong}), multiple answers with weights
//     ({~%50%a ~%50%b ~%-100%c}), true/false ({T}, {TRUE}, {F}, {FALSE}),
//     short answer ({=a =b}), numeric ({#value:tolerance}, {#min..max},
//     {#value} and {#=value:tol =%50%value:tol}), per-answer "#feedback",
//     general feedback "####..." and the "missing word" form where text
//     follows the answer block (the block becomes "_____").
//
// Nothing is dropped silently: partial credit is kept for every type
// (Option.Weight, Question.Numbers, Question.Texts), per-answer feedback
// and "::name::" titles are kept, "// [tag:name]" comments become tags,
// and the white space of [html] and [markdown] text (code, <pre>) is kept.
// As in Moodle, a choice block without any "=" answer is multiple
// response, whatever its weights. Matching, essay and description items,
// and anything else that cannot be graded the way Skillgate grades, are
// reported as errors by line rather than skipped.
package gift

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type is the Skillgate question type a GIFT question maps to.
type Type string

// The question types a GIFT question can map to.
const (
	// SingleChoice has exactly one correct option (one "=" answer, or one
	// "~%100%" answer).
	SingleChoice Type = "single_choice"
	// MultipleChoice has several options with positive weights that add up
	// to 100 ("~%50%a ~%50%b ~%-100%c").
	MultipleChoice Type = "multiple_choice"
	// TrueFalse is a {T}/{TRUE}/{F}/{FALSE} question.
	TrueFalse Type = "true_false"
	// Numeric is a {#...} question with a value and a tolerance.
	Numeric Type = "numeric"
	// ShortText is a short-answer question ({=a =b}) with accepted answers.
	ShortText Type = "short_text"
)

// Option is one answer of a choice question.
type Option struct {
	// Text is the answer text, unescaped and trimmed.
	Text string
	// Correct is true for "=" answers and for positive-weight "~%n%" answers.
	Correct bool
	// Weight is the answer's percentage, -100..100 ("=" answers are 100,
	// plain "~" answers are 0).
	Weight float64
	// Feedback is the per-answer "#feedback", unescaped; "" if none.
	Feedback string
	// Format is the answer's own [format] prefix ("html", "markdown" or
	// "plain"), "" when it has none and is read in the question's format.
	Format string
}

// NumericAnswer is one answer of a numeric question.
type NumericAnswer struct {
	Value, Tolerance float64
	// Weight is the answer's percentage, 0..100.
	Weight   float64
	Feedback string
}

// TextAnswer is one answer of a short-answer question.
type TextAnswer struct {
	Text string
	// Weight is the answer's percentage, 0..100 (0: feedback only).
	Weight   float64
	Feedback string
}

// Question is one parsed question.
type Question struct {
	// Line is the 1-based line where the question starts.
	Line int
	// Title is the "::title::", unescaped; "" if none.
	Title string
	// Type is the Skillgate question type.
	Type Type
	// Prompt is the question text, unescaped and trimmed, with a format
	// prefix such as [markdown], [html], [plain] or [moodle] removed. For
	// "missing word" questions the answer block's position holds "_____".
	Prompt string
	// Tags holds the current $CATEGORY (its last path segment, trimmed,
	// lowercased, spaces turned into "-") and the "[tag:name]" of comment
	// lines before or inside the question, or is nil when there is none.
	Tags []string
	// Format is the question text's [format]: "html", "markdown" or
	// "plain" ("" when none was given; "moodle" reads as "html"). Answers
	// and feedback are read in the same format.
	Format string
	// Weighted is true when any answer of a choice question carried an
	// explicit "%n%" weight: the weights then grade it, as in Moodle.
	Weighted bool
	// Options are the answers of SingleChoice and MultipleChoice questions;
	// nil for the other types.
	Options []Option
	// TrueFalse is the right answer of a TrueFalse question.
	TrueFalse bool
	// Value is the right answer of a Numeric question (its first answer
	// worth 100%).
	Value float64
	// Tolerance is the accepted error of a Numeric question: the answer is
	// right when it lies in Value±Tolerance. A range {#min..max} becomes
	// Value=(min+max)/2, Tolerance=(max-min)/2.
	Tolerance float64
	// Numbers lists every answer of a Numeric question, with its weight
	// and feedback, when it has more than one or any feedback; else nil.
	Numbers []NumericAnswer
	// Accepted holds the accepted answers of a ShortText question ("=a =b"
	// answers with full weight), unescaped.
	Accepted []string
	// Texts lists every answer of a ShortText question with its weight and
	// feedback, when any has partial credit or feedback; else nil.
	Texts []TextAnswer
	// TrueFeedback and FalseFeedback are a TrueFalse question's feedback
	// for the answers true and false ("{T#wrong#right}" in GIFT: the first
	// is shown for the wrong answer, the second for the right one).
	TrueFeedback, FalseFeedback string
	// OtherFeedback is a numeric question's "~#feedback" for any answer
	// not listed.
	OtherFeedback string
	// Explanation is the general feedback ("####..."), unescaped; "" if none.
	Explanation string
}

// Error is a problem at a line of the GIFT document.
type Error struct {
	// Line is the 1-based line of the problem, or of the start of the
	// question that has it.
	Line int
	// Title is the "::title::" of the question that has the problem, ""
	// when it has none or the problem comes before it.
	Title string
	// Message says what is wrong, in words a trainer can act on: the
	// English of Key filled with Args.
	Message string
	// Key names the problem in the message catalogues, and Args are the
	// pairs of names and values that fill it, so that a page can say it
	// in its reader's language.
	Key  Rule
	Args []any
}

// Error formats the problem as "line N: message".
func (e Error) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// weightTolerance is how far (in percentage points) weights may be from the
// value they must have, to allow for rounding such as 3 × 33.333.
const weightTolerance = 0.5

// blank replaces the answer block in "missing word" questions.
const blank = "_____"

// Parse reads a whole GIFT document. It returns every question it could
// parse and an error for every question it could not (each naming the line
// where that question starts, or the exact line of the problem). Callers
// import nothing when errs is non-empty.
//
// Parse accepts a leading byte order mark and CRLF or CR line endings, and
// never panics.
func Parse(src string) (qs []Question, errs []Error) {
	src = strings.TrimPrefix(src, "\uFEFF")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")

	var (
		tags []string
		cur  = new(chunk)
	)
	flush := func() {
		if len(cur.lines) == 0 {
			return // tags of comments wait for the next question
		}
		if !cur.bad {
			q, err := cur.parse(tags)
			if err != nil {
				errs = append(errs, *err)
			} else {
				qs = append(qs, q)
			}
		}
		cur = new(chunk)
	}
	for i, line := range strings.Split(src, "\n") {
		n := i + 1
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case strings.HasPrefix(t, "//"):
			// A comment line; it does not end the question. Moodle writes a
			// question's tags as "// [tag:name]".
			for _, m := range tagComment.FindAllStringSubmatch(t, -1) {
				if tag := strings.TrimSpace(m[1]); tag != "" && utf8.ValidString(tag) && !slices.Contains(cur.tags, tag) {
					cur.tags = append(cur.tags, tag)
				}
			}
		case len(t) >= len(categoryPrefix) && strings.EqualFold(t[:len(categoryPrefix)], categoryPrefix):
			flush()
			if !utf8.ValidString(t) {
				errs = append(errs, RuleNotUTF8.At(n, ""))
				t = strings.ToValidUTF8(t, "\uFFFD")
			}
			tags = categoryTags(t[len(categoryPrefix):])
		default:
			if !utf8.ValidString(t) {
				if !cur.bad {
					errs = append(errs, RuleNotUTF8.At(n, ""))
				}
				cur.bad = true
			}
			if len(cur.lines) == 0 {
				cur.add(n, t)
			} else {
				// Leading white space is kept: it matters in code and <pre>.
				cur.add(n, strings.TrimRightFunc(line, unicode.IsSpace))
			}
		}
	}
	flush()
	return qs, errs
}

// tagComment finds "[tag:name]" in a comment line.
var tagComment = regexp.MustCompile(`\[tag:([^\]]{1,50})\]`)

const categoryPrefix = "$CATEGORY:"

// categoryTags turns the value of a $CATEGORY: line into a question tag.
// Moodle category paths use "/" between levels and "//" for a slash inside a
// name; the last non-empty level is the tag. A bare context such as
// "$course$", or its top category "$course$/top", gives no tag.
func categoryTags(v string) []string {
	var (
		segs []string
		b    strings.Builder
	)
	for i := 0; i < len(v); i++ {
		if v[i] == '/' {
			if i+1 < len(v) && v[i+1] == '/' {
				b.WriteByte('/')
				i++
				continue
			}
			segs = append(segs, b.String())
			b.Reset()
			continue
		}
		b.WriteByte(v[i])
	}
	segs = append(segs, b.String())
	var names []string
	for _, s := range segs {
		if s = strings.TrimSpace(s); s != "" {
			names = append(names, s)
		}
	}
	isContext := func(s string) bool { return len(s) >= 2 && s[0] == '$' && s[len(s)-1] == '$' }
	n := len(names)
	switch {
	case n == 0, isContext(names[n-1]):
		return nil // no category, or only a context such as $course$
	case n >= 2 && isContext(names[n-2]) && strings.EqualFold(names[n-1], "top"):
		return nil // the context's top category, as in "$course$/top"
	}
	return []string{strings.ToLower(strings.Join(strings.Fields(names[n-1]), "-"))}
}

// chunk is the text of one question: its non-comment lines, trimmed and
// joined with "\n", and the document line number of each.
type chunk struct {
	buf   strings.Builder
	text  string // buf's content, set by parse
	lines []int
	bad   bool     // an error has already been reported for it
	tags  []string // from "// [tag:...]" comments
}

func (c *chunk) add(n int, line string) {
	if len(c.lines) > 0 {
		c.buf.WriteByte('\n')
	}
	c.buf.WriteString(line)
	c.lines = append(c.lines, n)
}

// lineAt is the document line of byte offset off in c.text.
func (c *chunk) lineAt(off int) int {
	if off > len(c.text) {
		off = len(c.text)
	}
	if off < 0 {
		off = 0
	}
	i := strings.Count(c.text[:off], "\n")
	if i >= len(c.lines) {
		i = len(c.lines) - 1
	}
	return c.lines[i]
}

// parse turns the chunk into a question. A panic (a bug) becomes an error
// rather than taking the caller down.
func (c *chunk) parse(tags []string) (q Question, e *Error) {
	defer func() {
		if r := recover(); r != nil {
			e2 := RuleInternal.At(c.lines[0], "", "Err", fmt.Sprint(r))
			q, e = Question{}, &e2
		}
	}()
	c.text = c.buf.String()
	p := parser{c: c, start: c.lines[0]}
	q, err := p.question()
	if err != nil {
		return Question{}, err
	}
	if tags != nil {
		q.Tags = append([]string(nil), tags...)
	}
	for _, t := range c.tags {
		if !slices.Contains(q.Tags, t) {
			q.Tags = append(q.Tags, t)
		}
	}
	return q, nil
}

type parser struct {
	c      *chunk
	start  int    // document line where the question starts
	title  string // the question's ::title::, once read
	open   int    // chunk offset of the answer block's "{"
	format string // the question text's format, for its answers
}

// errBlock reports a problem with the answer block as a whole, at the line
// of its "{".
func (p *parser) errBlock(r Rule, args ...any) *Error {
	return p.errAt(p.open, r, args...)
}

// errAt reports a problem at chunk offset off.
func (p *parser) errAt(off int, r Rule, args ...any) *Error {
	e := r.At(p.c.lineAt(off), p.title, args...)
	return &e
}

// errStart reports a problem of the question as a whole, at its first
// line.
func (p *parser) errStart(r Rule, args ...any) *Error {
	e := r.At(p.start, p.title, args...)
	return &e
}

func (p *parser) question() (Question, *Error) {
	q := Question{Line: p.start}
	s := p.c.text
	off := 0 // offset of rest in s
	if strings.HasPrefix(s, "::") {
		end := indexUnescaped(s[2:], "::")
		if end < 0 {
			return q, p.errStart(RuleTitleOpen)
		}
		q.Title = strings.TrimSpace(unescape(s[2 : 2+end]))
		p.title = q.Title
		off = 2 + end + 2
	}
	rest := s[off:]

	// Locate the one answer block.
	braces := unescapedBraces(rest)
	if len(braces) == 0 {
		return q, p.errStart(RuleNoAnswerBlock)
	}
	open := braces[0]
	if rest[open] == '}' {
		return q, p.errAt(off+open, RuleCloseBeforeOpen)
	}
	if len(braces) < 2 {
		return q, p.errAt(off+open, RuleBlockOpen)
	}
	closing := braces[1]
	if rest[closing] == '{' {
		return q, p.errAt(off+closing, RuleOpenInside, "Open", p.c.lineAt(off+open))
	}
	if len(braces) > 2 {
		extra := braces[2]
		if rest[extra] == '{' {
			return q, p.errAt(off+extra, RuleSecondBlock)
		}
		return q, p.errAt(off+extra, RuleCloseAfter)
	}
	before, block, after := rest[:open], rest[open+1:closing], rest[closing+1:]
	p.open = off + open
	p.format = formatOf(before)
	if p.format == "" && strings.TrimSpace(before) == "" {
		p.format = formatOf(after) // a missing-word question starting with its blank
	}
	q.Format = p.format

	if err := p.answers(&q, block, off+open+1); err != nil {
		return q, err
	}

	prompt := before
	if strings.TrimSpace(after) != "" {
		prompt = before + blank + after
	}
	q.Prompt = p.clean(prompt)
	if q.Prompt == "" {
		return q, p.errStart(RuleEmptyText)
	}
	return q, nil
}

// answers parses the text between "{" and "}" (at offset off of the chunk)
// into q.
func (p *parser) answers(q *Question, block string, off int) *Error {
	if gf := indexUnescaped(block, "####"); gf >= 0 {
		q.Explanation = p.clean(block[gf+4:])
		block = block[:gf]
	}
	trimmed := strings.TrimLeftFunc(block, unicode.IsSpace)
	off += len(block) - len(trimmed)
	ans := strings.TrimRightFunc(trimmed, unicode.IsSpace)

	switch {
	case ans == "":
		return p.errBlock(RuleEssay)
	case ans[0] == '#':
		return p.numeric(q, ans[1:], off+1)
	case indexUnescaped(ans, "~") >= 0:
		return p.choice(q, ans, off)
	case indexUnescaped(ans, "=") >= 0 && indexUnescaped(ans, "->") >= 0:
		return p.errBlock(RuleMatching)
	}
	head, fb := ans, ""
	if h := indexUnescaped(ans, "#"); h >= 0 {
		head, fb = ans[:h], ans[h+1:]
	}
	switch strings.ToUpper(strings.TrimSpace(head)) {
	case "T", "TRUE", "F", "FALSE":
		q.Type = TrueFalse
		q.TrueFalse = strings.HasPrefix(strings.ToUpper(strings.TrimSpace(head)), "T")
		wrong, right := fb, ""
		if h := indexUnescaped(fb, "#"); h >= 0 {
			wrong, right = fb[:h], fb[h+1:]
			if indexUnescaped(right, "#") >= 0 {
				return p.errBlock(RuleTrueFalseFeedback)
			}
		}
		wrong, right = p.clean(wrong), p.clean(right)
		if q.TrueFalse {
			q.TrueFeedback, q.FalseFeedback = right, wrong
		} else {
			q.TrueFeedback, q.FalseFeedback = wrong, right
		}
		return nil
	}
	return p.shortText(q, ans, off)
}

// answer is one "=" or "~" answer of a block.
type answer struct {
	marker    byte // '=', '~' or 0 for text before the first marker
	off       int  // chunk offset of the marker (or of the text)
	weight    float64
	hasWeight bool
	text      string // raw (still escaped)
	feedback  string // raw (still escaped)
}

// split cuts s (at chunk offset off) into answers, one starting at every
// unescaped byte in markers. The first answer has marker 0 and holds the
// text before the first marker; it is dropped when blank.
func (p *parser) split(s string, off int, markers string) ([]answer, *Error) {
	var parts []answer
	start, marker, moff := 0, byte(0), 0
	emit := func(end int) {
		parts = append(parts, answer{marker: marker, off: off + moff, text: s[start:end]})
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.IndexByte(markers, s[i]) >= 0 {
			emit(i)
			start, marker, moff = i+1, s[i], i
		}
	}
	emit(len(s))
	if strings.TrimSpace(parts[0].text) == "" {
		parts = parts[1:]
	}
	for i := range parts {
		a := &parts[i]
		t := strings.TrimSpace(a.text)
		w, rest, ok, bad, args := parseWeight(t)
		if bad != "" {
			return nil, p.errAt(a.off, bad, args...)
		}
		a.weight, a.hasWeight = w, ok
		a.text = rest
		if h := indexUnescaped(rest, "#"); h >= 0 {
			a.text, a.feedback = rest[:h], rest[h+1:]
		}
	}
	return parts, nil
}

// parseWeight reads a leading "%n%" weight from t. It returns the weight,
// the rest of the text and whether there was a weight, or the problem
// with the weight and its values. A "%...%" whose content is not
// number-like is plain text, not a weight.
func parseWeight(t string) (w float64, rest string, ok bool, bad Rule, args []any) {
	if !strings.HasPrefix(t, "%") {
		return 0, t, false, "", nil
	}
	end := strings.IndexByte(t[1:], '%')
	if end < 0 {
		return 0, t, false, "", nil
	}
	content := t[1 : 1+end]
	if !numberLike(content) {
		return 0, t, false, "", nil
	}
	v, good := parseNumber(strings.TrimSpace(content))
	if !good {
		return 0, t, false, RuleWeightNaN, []any{"Weight", strconv.Quote("%" + content + "%")}
	}
	if v < -100 || v > 100 {
		return 0, t, false, RuleWeightRange, []any{"Weight", formatNum(v)}
	}
	return v, strings.TrimSpace(t[2+end:]), true, "", nil
}

// numberLike reports whether s has a digit and nothing but digits, signs,
// dots and spaces, i.e. whether "%s%" was meant as a weight.
func numberLike(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c == '+' || c == '-' || c == '.' || c == ' ' || c == '\t':
		default:
			return false
		}
	}
	return digit
}

func (p *parser) choice(q *Question, ans string, off int) *Error {
	parts, err := p.split(ans, off, "=~")
	if err != nil {
		return err
	}
	if len(parts) > 0 && parts[0].marker == 0 {
		return p.errAt(parts[0].off, RuleChoiceMarker)
	}
	var (
		positive, full, equals int
		sum                    float64
	)
	for _, a := range parts {
		if !a.hasWeight {
			if a.marker == '=' {
				a.weight = 100
			} else {
				a.weight = 0
			}
		} else {
			q.Weighted = true
		}
		if a.marker == '=' {
			equals++
		}
		text := p.clean(a.text)
		if text == "" {
			return p.errAt(a.off, RuleChoiceEmpty)
		}
		if a.weight > 0 {
			positive++
			sum += a.weight
		}
		if a.weight >= 100-weightTolerance {
			full++
		}
		q.Options = append(q.Options, Option{
			Text:     text,
			Correct:  a.weight > 0,
			Weight:   a.weight,
			Feedback: p.clean(a.feedback),
			Format:   formatOf(a.text),
		})
	}
	if len(q.Options) < 2 {
		return p.errBlock(RuleChoiceTwo)
	}
	if positive == 0 {
		return p.errBlock(RuleChoiceNoCorrect)
	}
	if equals > 0 {
		// Moodle: a block with an "=" answer is single choice; other
		// positive weights there are partial credit.
		if full != 1 {
			return p.errBlock(RuleSingleFull, "Count", full)
		}
		q.Type = SingleChoice
		for i := range q.Options {
			q.Options[i].Correct = q.Options[i].Weight >= 100-weightTolerance
		}
		return nil
	}
	// No "=": multiple response, as Moodle makes it, even with one right
	// answer ("~%100%a ~%-50%b ~%-50%c").
	if math.Abs(sum-100) > weightTolerance {
		return p.errBlock(RuleWeightsSum, "Sum", formatNum(sum))
	}
	q.Type = MultipleChoice
	return nil
}

func (p *parser) numeric(q *Question, body string, off int) *Error {
	// "~#feedback" is the feedback for any answer not listed.
	if t := indexUnescaped(body, "~"); t >= 0 {
		other := strings.TrimSpace(body[t+1:])
		if !strings.HasPrefix(other, "#") || indexUnescaped(other[1:], "~") >= 0 || indexUnescaped(other[1:], "=") >= 0 {
			return p.errAt(off+t, RuleNumericTilde)
		}
		q.OtherFeedback = p.clean(other[1:])
		body = body[:t]
	}
	parts, err := p.split(body, off, "=")
	if err != nil {
		return err
	}
	if len(parts) == 0 {
		return p.errBlock(RuleNumericNone)
	}
	found, keep := false, len(parts) > 1 || q.OtherFeedback != ""
	for _, a := range parts {
		if !a.hasWeight {
			a.weight = 100
		}
		if a.weight < 0 {
			return p.errAt(a.off, RuleNumericNegative, "Weight", formatNum(a.weight))
		}
		v, tol, bad, args := parseNumericAnswer(strings.TrimSpace(a.text))
		if bad != "" {
			return p.errAt(a.off, bad, args...)
		}
		if !found && math.Abs(a.weight-100) <= weightTolerance {
			q.Value, q.Tolerance, found = v, tol, true
		}
		fb := p.clean(a.feedback)
		keep = keep || fb != ""
		q.Numbers = append(q.Numbers, NumericAnswer{Value: v, Tolerance: tol, Weight: a.weight, Feedback: fb})
	}
	if !found {
		return p.errBlock(RuleNumericNoFull)
	}
	if !keep {
		q.Numbers = nil
	}
	q.Type = Numeric
	return nil
}

// parseNumericAnswer reads "value", "value:tolerance" or "min..max", or
// says what is wrong with it.
func parseNumericAnswer(s string) (value, tol float64, bad Rule, args []any) {
	notNumber := []any{"Answer", strconv.Quote(unescape(s))}
	if i := strings.Index(s, ".."); i >= 0 {
		lo, ok1 := parseNumber(strings.TrimSpace(s[:i]))
		hi, ok2 := parseNumber(strings.TrimSpace(s[i+2:]))
		if !ok1 || !ok2 {
			return 0, 0, RuleNumericBad, notNumber
		}
		if lo > hi {
			return 0, 0, RuleNumericRange, []any{"Range", strconv.Quote(s)}
		}
		value, tol = (lo+hi)/2, (hi-lo)/2
		if math.IsInf(value, 0) || math.IsInf(tol, 0) {
			// lo+hi or hi-lo overflowed; halve first.
			value, tol = lo/2+hi/2, hi/2-lo/2
		}
		return value, tol, "", nil
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		v, ok1 := parseNumber(strings.TrimSpace(s[:i]))
		t, ok2 := parseNumber(strings.TrimSpace(s[i+1:]))
		if !ok1 || !ok2 {
			return 0, 0, RuleNumericBad, notNumber
		}
		if t < 0 {
			return 0, 0, RuleNumericTolerance, []any{"Answer", strconv.Quote(s)}
		}
		return v, t, "", nil
	}
	v, ok := parseNumber(s)
	if !ok {
		return 0, 0, RuleNumericBad, notNumber
	}
	return v, 0, "", nil
}

// parseNumber parses a plain decimal number such as "12", "-3.5", ".5" or
// "1e3". It rejects NaN, infinities, hexadecimal, underscores and numbers
// too large for a float64.
func parseNumber(s string) (float64, bool) {
	i, digits := 0, 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

func (p *parser) shortText(q *Question, ans string, off int) *Error {
	parts, err := p.split(ans, off, "=")
	if err != nil {
		return err
	}
	keep := false
	for _, a := range parts {
		if !a.hasWeight {
			a.weight = 100
		}
		// Short answers are compared as typed, never shown as HTML, so
		// their text is read as plain text whatever the question's format.
		text := cleanText(a.text)
		if text == "" {
			return p.errAt(a.off, RuleShortEmpty)
		}
		if a.weight < 0 {
			return p.errAt(a.off, RuleShortNegative, "Weight", formatNum(a.weight))
		}
		if math.Abs(a.weight-100) <= weightTolerance {
			a.weight = 100
			q.Accepted = append(q.Accepted, text)
		} else {
			keep = true // partial credit, or feedback for a known wrong answer (0%)
		}
		fb := p.clean(a.feedback)
		keep = keep || fb != ""
		q.Texts = append(q.Texts, TextAnswer{Text: text, Weight: a.weight, Feedback: fb})
	}
	if len(q.Accepted) == 0 {
		return p.errBlock(RuleShortNone)
	}
	if !keep {
		q.Texts = nil
	}
	q.Type = ShortText
	return nil
}

// formatOf reads the [format] prefix of raw text: "html" (for [html] and
// [moodle]), "markdown", "plain", or "" when there is none.
func formatOf(raw string) string {
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, "[") {
		return ""
	}
	end := strings.IndexByte(s, ']')
	if end <= 0 {
		return ""
	}
	switch f := strings.ToLower(s[1:end]); f {
	case "html", "moodle":
		return "html"
	case "plain", "markdown":
		return f
	}
	return ""
}

// clean is cleanText in the question's format: the white space at the
// start of lines is kept in [html] and [markdown] text, where it means
// something (code, <pre>), and dropped in plain text.
func (p *parser) clean(raw string) string {
	s := cleanText(raw)
	f := formatOf(raw)
	if f == "" {
		f = p.format
	}
	if f != "html" && f != "markdown" {
		lines := strings.Split(s, "\n")
		for i := range lines {
			lines[i] = strings.TrimLeftFunc(lines[i], unicode.IsSpace)
		}
		s = strings.Join(lines, "\n")
	}
	return s
}

// cleanText turns raw (escaped) GIFT text into plain text: it removes a
// format prefix, resolves escapes and trims white space at both ends.
func cleanText(raw string) string {
	s := strings.TrimSpace(raw)
	if formatOf(s) != "" || strings.HasPrefix(strings.ToLower(s), "[moodle]") {
		s = s[strings.IndexByte(s, ']')+1:]
	}
	return strings.TrimSpace(unescape(s))
}

// unescape resolves the GIFT escapes \~ \= \# \{ \} \: \\ and \n. Other
// backslashes are kept, as Moodle keeps them.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch n := s[i+1]; n {
			case '~', '=', '#', '{', '}', ':', '\\':
				b.WriteByte(n)
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// indexUnescaped is the index of the first occurrence of sub in s that is
// not preceded by an escaping backslash, or -1. sub must not start with a
// backslash.
func indexUnescaped(s, sub string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// unescapedBraces lists the offsets of the first three unescaped "{" and
// "}" in s (three are enough to tell every brace error apart).
func unescapedBraces(s string) []int {
	var out []int
	for i := 0; i < len(s) && len(out) < 3; i++ {
		switch s[i] {
		case '\\':
			i++
		case '{', '}':
			out = append(out, i)
		}
	}
	return out
}

func formatNum(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
