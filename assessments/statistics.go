// statistics.go holds item statistics of an assessment: facility, discrimination and flags.

package assessments

import (
	"context"
	"math"

	"skillgate/app/web"
)

// QuestionStats are Moodle's item statistics for one question.
type QuestionStats struct {
	QuestionID string
	Attempts   int64
	// Facility is the mean share of the question's marks earned (0..1).
	Facility float64
	// Discrimination is the correlation of the question's score with the
	// score on the rest of the test; nil when either does not vary, or
	// when fewer than MinDiscriminationSample attempts answered it.
	Discrimination *float64
	// Prompt is the question's prompt (sanitised HTML), from the bank or,
	// for a question since deleted, from an attempt that drew it.
	Prompt string
	// Flags name what to look at: FlagTooEasy, FlagTooHard,
	// FlagNotDiscriminating.
	Flags []string
}

// MinDiscriminationSample is the number of attempts at a question below
// which its discrimination is too noisy to report.
const MinDiscriminationSample = 10

// The item flags, with Moodle's usual thresholds.
const (
	FlagTooEasy           = "too_easy"           // facility > 0.95
	FlagTooHard           = "too_hard"           // facility < 0.2
	FlagNotDiscriminating = "not_discriminating" // discrimination < 0.2
)

// itemFlags says what is wrong with an item's figures.
func itemFlags(q QuestionStats) []string {
	flags := []string{}
	if q.Facility > 0.95 {
		flags = append(flags, FlagTooEasy)
	}
	if q.Facility < 0.2 {
		flags = append(flags, FlagTooHard)
	}
	if q.Discrimination != nil && *q.Discrimination < 0.2 {
		flags = append(flags, FlagNotDiscriminating)
	}
	return flags
}

// Statistics are an assessment's figures over its graded attempts.
type Statistics struct {
	Attempts    int64
	PassRate    float64
	MeanPercent float64
	Questions   []QuestionStats
	// MinSample is MinDiscriminationSample, said in the answer.
	MinSample int
}

// Statistics computes, in the database, the assessment's figures for its
// course's author.
func (s *Service) Statistics(ctx context.Context, p web.Principal, assessmentID string) (Statistics, error) {
	a, err := s.store.Assessment(ctx, assessmentID)
	if err != nil {
		return Statistics{}, err
	}
	if err := s.authorizeFor(ctx, p, a.CourseID, "assessment"); err != nil {
		return Statistics{}, err
	}
	t, err := s.store.Totals(ctx, assessmentID)
	if err != nil {
		return Statistics{}, err
	}
	sums, err := s.store.ItemSums(ctx, assessmentID)
	if err != nil {
		return Statistics{}, err
	}
	st := Statistics{Attempts: t.Attempts, MeanPercent: round2(t.MeanPercent), Questions: make([]QuestionStats, len(sums)),
		MinSample: MinDiscriminationSample}
	if t.Attempts > 0 {
		st.PassRate = round4(float64(t.Passed) / float64(t.Attempts))
	}
	prompts := map[string]string{}
	if len(sums) > 0 {
		bank, err := s.store.Questions(ctx, a.CourseID, web.Page{})
		if err != nil {
			return Statistics{}, err
		}
		for _, q := range bank {
			prompts[q.ID] = q.Prompt
		}
		gone := map[string]bool{}
		for _, x := range sums {
			if _, ok := prompts[x.QuestionID]; !ok {
				gone[x.QuestionID] = true
			}
		}
		if len(gone) > 0 {
			old, err := s.store.formPrompts(ctx, assessmentID, gone)
			if err != nil {
				return Statistics{}, err
			}
			for id, p := range old {
				prompts[id] = p
			}
		}
	}
	for i, x := range sums {
		q := QuestionStats{QuestionID: x.QuestionID, Attempts: x.N, Facility: round4(x.SumFrac / float64(x.N)),
			Prompt: prompts[x.QuestionID]}
		if x.N >= MinDiscriminationSample {
			q.Discrimination = correlation(x)
		}
		q.Flags = itemFlags(q)
		st.Questions[i] = q
	}
	return st, nil
}

// correlation is Pearson's r from the sums, nil when undefined.
func correlation(x ItemSums) *float64 {
	n := float64(x.N)
	cov := n*x.SumXY - x.SumX*x.SumY
	vx := n*x.SumXX - x.SumX*x.SumX
	vy := n*x.SumYY - x.SumY*x.SumY
	if x.N < 2 || vx <= 1e-12 || vy <= 1e-12 {
		return nil
	}
	r := round4(cov / math.Sqrt(vx*vy))
	return &r
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
