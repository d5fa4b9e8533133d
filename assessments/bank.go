package assessments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"skillgate/app/dbx"
	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// ImportError is one GIFT problem, by line: the English Message the API
// sends, and its catalogue Key and Args (a gift.Rule, or a web.Rule about
// a field of a question), which a page says in its reader's language.
// Title is the question's ::title::, "" when it has none.
type ImportError struct {
	Line    int
	Title   string
	Message string
	Key     string
	Args    []any
}

// fromGIFT converts a parsed GIFT question to a bank question, keeping
// its name, weights and feedback.
func fromGIFT(g gift.Question) Question {
	q := Question{Type: QuestionType(g.Type), Prompt: g.Prompt, Points: 1, Tags: nonNil(slices.Clone(g.Tags)),
		Explanation: g.Explanation, Options: []Option{}, SourceKey: sourceKey(g), Name: g.Title}
	answersFromGIFT(g, &q)
	return q
}

// formatOf maps a GIFT [format] to how its text is made safe: no prefix
// is plain text (escaped), as the contract says.
func formatOf(g gift.Question) Format { return textFormat(g.Format) }

func textFormat(f string) Format {
	switch f {
	case "html":
		return FormatHTML
	case "markdown":
		return FormatMarkdown
	}
	return FormatPlain
}

// sourceKey identifies an imported question across imports: its GIFT
// title, or a digest of its prompt when it has none.
func sourceKey(g gift.Question) string {
	if g.Title != "" {
		return "gift:" + g.Title
	}
	sum := sha256.Sum256([]byte(g.Prompt))
	return "gift#" + hex.EncodeToString(sum[:12])
}

// parseBank parses, sanitises and checks a GIFT bank; any error imports
// nothing.
func (s *Service) parseBank(text, courseID string) ([]Question, []ImportError) {
	parsed, perrs := gift.Parse(text)
	var errs []ImportError
	for _, e := range perrs {
		errs = append(errs, ImportErrorOf(e))
	}
	qs := make([]Question, 0, len(parsed))
	for _, g := range parsed {
		q := fromGIFT(g)
		prepare(&q, courseID)
		// An answer with a [format] of its own keeps it; the rest are read
		// in the question's format.
		var own map[int]Format
		for i, o := range g.Options {
			if o.Format != "" && i < len(q.Options) {
				if own == nil {
					own = map[int]Format{}
				}
				own[i] = textFormat(o.Format)
			}
		}
		if err := s.sanitizeWith(&q, formatOf(g), own); err != nil {
			errs = append(errs, ImportErrorOf(gift.RuleNotRenderable.At(g.Line, g.Title, "Err", err.Error())))
			continue
		}
		for _, f := range validateQuestion(q) {
			errs = append(errs, ImportError{Line: g.Line, Title: g.Title, Message: f.Field + " " + f.Message,
				Key: string(web.RuleQuestionField), Args: []any{"Field", f.Field, "Message", f}})
		}
		qs = append(qs, q)
	}
	if len(parsed) == 0 && len(errs) == 0 {
		errs = append(errs, ImportErrorOf(gift.RuleNoQuestions.At(1, "")))
	}
	slices.SortStableFunc(errs, func(a, b ImportError) int { return a.Line - b.Line })
	return qs, errs
}

// ImportErrorOf is a GIFT problem as the import reports it.
func ImportErrorOf(e gift.Error) ImportError {
	return ImportError{Line: e.Line, Title: e.Title, Message: e.Message, Key: string(e.Key), Args: e.Args}
}

// ImportGIFT adds a GIFT document's questions to a course's bank (see
// ImportGIFTReport) and returns how many were created or updated.
func (s *Service) ImportGIFT(ctx context.Context, p web.Principal, courseID, text string) (int, []ImportError, error) {
	r, errs, err := s.ImportGIFTReport(ctx, p, courseID, text)
	return r.Created + r.Updated, errs, err
}

// GIFTImport says what an import did to the bank.
type GIFTImport struct {
	Created, Updated, Unchanged int
}

// ImportGIFTReport merges a GIFT document into a course's bank in one
// transaction, or changes nothing when any question fails. A question is
// matched to the bank by its ::name::, or lacking one by its content
// (type and prompt text, case and spacing folded): a match whose content
// changed is updated in place (keeping the ids of options whose text
// stays), an unchanged one is left alone, so importing the same file
// again changes nothing. Questions of the bank the file does not name
// stay.
func (s *Service) ImportGIFTReport(ctx context.Context, p web.Principal, courseID, text string) (GIFTImport, []ImportError, error) {
	var r GIFTImport
	id, err := s.courses.Authorize(ctx, p, courseID)
	if err != nil {
		return r, nil, err
	}
	qs, errs := s.parseBank(text, id)
	if len(errs) > 0 {
		return r, errs, nil
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		r = GIFTImport{}
		existing, err := s.store.Questions(ctx, id, web.Page{})
		if err != nil {
			return err
		}
		byKey := map[string]Question{}
		for _, q := range existing {
			if _, dup := byKey[matchKey(q)]; !dup {
				byKey[matchKey(q)] = q
			}
		}
		now := s.now()
		for _, q := range qs {
			old, ok := byKey[matchKey(q)]
			switch {
			case !ok:
				if err := s.store.CreateQuestion(ctx, q, now); err != nil {
					return err
				}
				r.Created++
			case sameQuestion(old, q):
				r.Unchanged++
				continue
			default:
				q.ID, q.SourceKey = old.ID, old.SourceKey
				for i := range q.Options {
					for _, o := range old.Options {
						if o.Text == q.Options[i].Text {
							q.Options[i].ID = o.ID
						}
					}
				}
				if err := s.store.UpdateQuestion(ctx, q, now); err != nil {
					return err
				}
				r.Updated++
			}
			byKey[matchKey(q)] = q
		}
		if r.Created+r.Updated > 0 {
			return s.markChanged(ctx, id)
		}
		return nil
	})
	if err != nil {
		return GIFTImport{}, nil, err
	}
	return r, nil, nil
}

// sameQuestion compares the content a pack controls.
func sameQuestion(a, b Question) bool {
	if a.Type != b.Type || a.Prompt != b.Prompt || a.Points != b.Points || a.Explanation != b.Explanation || a.Name != b.Name ||
		mustJSON(a.Answer) != mustJSON(b.Answer) ||
		!slices.Equal(a.Tags, b.Tags) || len(a.Options) != len(b.Options) || !slices.Equal(a.Answer.Accepted, b.Answer.Accepted) ||
		a.Answer.Tolerance != b.Answer.Tolerance || !equalPtr(a.Answer.Value, b.Answer.Value) || !equalPtr(a.Answer.Bool, b.Answer.Bool) {
		return false
	}
	for i := range a.Options {
		if a.Options[i].Text != b.Options[i].Text || a.Options[i].Correct != b.Options[i].Correct ||
			!equalPtr(a.Options[i].Weight, b.Options[i].Weight) || a.Options[i].Feedback != b.Options[i].Feedback {
			return false
		}
	}
	return true
}

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// ImportBank makes a course's bank and assessments match a course pack, in
// the caller's transaction: questions and assessments are matched by their
// source keys (GIFT title, assessment title), so importing the same pack
// again changes nothing and reports changed false.
func (s *Service) ImportBank(ctx context.Context, courseID, text string, specs []Settings) (bool, error) {
	changed := false
	now := s.now()
	if text != "" {
		qs, errs := s.parseBank(text, courseID)
		if len(errs) > 0 {
			// The first problem, keyed, so an upload page can say it.
			e := errs[0]
			return false, web.Invalid(fmt.Sprintf("questions.gift line %d: %s", e.Line, e.Message),
				web.FieldError{Field: "questions.gift", Message: e.Message, Key: e.Key, Args: e.Args})
		}
		existing, err := s.store.Questions(ctx, courseID, web.Page{})
		if err != nil {
			return false, err
		}
		byKey := map[string]Question{}
		for _, q := range existing {
			if q.SourceKey != "" {
				byKey[q.SourceKey] = q
			}
		}
		keep := map[string]bool{}
		for _, q := range qs {
			old, ok := byKey[q.SourceKey]
			if !ok {
				if err := s.store.CreateQuestion(ctx, q, now); err != nil {
					return false, err
				}
				changed = true
				continue
			}
			keep[old.ID] = true
			if sameQuestion(old, q) {
				continue
			}
			q.ID = old.ID
			for i := range q.Options { // keep the ids of options whose text stays
				for _, o := range old.Options {
					if o.Text == q.Options[i].Text {
						q.Options[i].ID = o.ID
					}
				}
			}
			if err := s.store.UpdateQuestion(ctx, q, now); err != nil {
				return false, err
			}
			changed = true
		}
		var gone []string
		for _, q := range byKey {
			if !keep[q.ID] {
				gone = append(gone, q.ID)
			}
		}
		if len(gone) > 0 {
			if err := s.store.DeleteQuestions(ctx, gone); err != nil {
				return false, err
			}
			changed = true
		}
	}
	rows, err := s.store.assessmentsOf(ctx, courseID)
	if err != nil {
		return false, err
	}
	for _, spec := range specs {
		spec.CourseID, spec.Tags = courseID, nonNil(spec.Tags)
		if spec.Review == "" {
			spec.Review = ReviewDefault
		}
		if f := validateSettings(spec); len(f) > 0 {
			return false, web.Invalid(fmt.Sprintf("assessment %q: %s %s", spec.Title, f[0].Field, f[0].Message),
				web.RuleInAssessment.On("assessments", "Title", strconv.Quote(spec.Title), "Field", f[0].Field, "Message", f[0]))
		}
		key := "pack:" + spec.Title
		i := slices.IndexFunc(rows, func(r assessmentRow) bool { return r.SourceKey == key })
		if i < 0 {
			spec.ID = dbx.NewID()
			if err := s.store.CreateAssessment(ctx, spec, key, now); err != nil {
				return false, err
			}
			changed = true
			continue
		}
		old := rows[i].domain()
		spec.ID = old.ID
		if spec.Review == "" {
			spec.Review = ReviewDefault
		}
		if old.Kind != spec.Kind || old.QuestionCount != spec.QuestionCount || !slices.Equal(old.Tags, spec.Tags) ||
			old.Review != spec.Review || !slices.Equal(old.CooldownSchedule, spec.CooldownSchedule) ||
			!maps.Equal(old.LessonTags, spec.LessonTags) ||
			old.TimeLimitSeconds != spec.TimeLimitSeconds || old.PassPercent != spec.PassPercent ||
			old.MaxAttempts != spec.MaxAttempts || old.CooldownSeconds != spec.CooldownSeconds {
			if err := s.store.UpdateAssessment(ctx, spec, now); err != nil {
				return false, err
			}
			changed = true
		}
	}
	return changed, nil
}
