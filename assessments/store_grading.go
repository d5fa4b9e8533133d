// store_grading.go holds the store's side of a lean grading transaction:
// one statement loads (and on PostgreSQL locks) an attempt with its
// answers and a summary of the learner's other attempts at the same
// assessment, so grading needs nothing else from the database.

package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// gradingLoad is an attempt as grading needs it.
type gradingLoad struct {
	Attempt
	// lessonsDone says the learner had every lesson done when the attempt
	// began, so a pass earns its certificate without asking again.
	lessonsDone bool
	// siblings are the learner's other attempts at the assessment.
	siblings []siblingAttempt
}

// siblingAttempt is what a standing needs of another attempt.
type siblingAttempt struct {
	ID        string   `json:"id"`
	Number    int      `json:"n"`
	Status    string   `json:"s"`
	Passed    jsonBool `json:"p"`
	Submitted jsonBool `json:"d"`
}

// jsonBool reads a boolean as PostgreSQL (true) or SQLite (1) writes it.
type jsonBool bool

func (b *jsonBool) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	*b = jsonBool(bytes.Equal(data, []byte("true")) || bytes.Equal(data, []byte("1")))
	return nil
}

type gradingRow struct {
	Row          attemptRow `gorm:"embedded"`
	AnswersJSON  string
	SiblingsJSON string
}

// gradingQueries are the load, per dialect: the same columns and
// aggregates in each database's JSON functions.
var gradingQueries = map[dbx.Dialect]string{
	dbx.Postgres: `SELECT a.*,
	COALESCE((SELECT json_agg(json_build_object('q', w.question_id, 'o', w.option_ids, 'v', w.value))
		FROM attempt_answers w WHERE w.attempt_id = a.id), '[]') AS answers_json,
	COALESCE((SELECT json_agg(json_build_object('id', o.id, 'n', o.number, 's', o.status, 'p', o.passed, 'd', o.submitted_at IS NOT NULL))
		FROM attempts o WHERE o.assessment_id = a.assessment_id AND o.user_id = a.user_id AND o.id <> a.id), '[]') AS siblings_json
FROM attempts a WHERE a.id = ? FOR UPDATE OF a`,
	dbx.SQLite: `SELECT a.*,
	COALESCE((SELECT json_group_array(json_object('q', w.question_id, 'o', w.option_ids, 'v', w.value))
		FROM attempt_answers w WHERE w.attempt_id = a.id), '[]') AS answers_json,
	COALESCE((SELECT json_group_array(json_object('id', o.id, 'n', o.number, 's', o.status, 'p', o.passed, 'd', o.submitted_at IS NOT NULL))
		FROM attempts o WHERE o.assessment_id = a.assessment_id AND o.user_id = a.user_id AND o.id <> a.id), '[]') AS siblings_json
FROM attempts a WHERE a.id = ?`,
}

// LockForGrading loads an attempt with its answers and its learner's other
// attempts at the assessment in one statement, locking the attempt's row
// until the transaction ends on PostgreSQL (SQLite transactions are
// serial already). It must run inside a transaction.
func (s *Store) lockForGrading(ctx context.Context, id string) (gradingLoad, error) {
	var row gradingRow
	res := s.conn(ctx).Raw(gradingQueries[dbx.DialectOf(s.db)], id).Scan(&row)
	if res.Error != nil {
		return gradingLoad{}, fmt.Errorf("assessments: load attempt for grading: %w", res.Error)
	}
	if res.RowsAffected == 0 || row.Row.ID == "" {
		return gradingLoad{}, web.NotFound("attempt")
	}
	a, err := row.Row.domain()
	if err != nil {
		return gradingLoad{}, err
	}
	var answers []struct {
		Q string  `json:"q"`
		O string  `json:"o"`
		V *string `json:"v"`
	}
	if err := json.Unmarshal([]byte(row.AnswersJSON), &answers); err != nil {
		return gradingLoad{}, fmt.Errorf("assessments: decode answers: %w", err)
	}
	a.Answers = make(map[string]Response, len(answers))
	for _, w := range answers {
		r := Response{QuestionID: w.Q, Value: w.V}
		_ = json.Unmarshal([]byte(w.O), &r.OptionIDs)
		a.Answers[w.Q] = r
	}
	g := gradingLoad{Attempt: a, lessonsDone: row.Row.LessonsDone}
	if err := json.Unmarshal([]byte(row.SiblingsJSON), &g.siblings); err != nil {
		return gradingLoad{}, fmt.Errorf("assessments: decode attempts: %w", err)
	}
	return g, nil
}

// standingAfterGrading is the standing once g's attempt is graded, from
// the summary loaded with it; false when the summary cannot tell (an
// attempt numbered after g's was submitted), and the caller reads it.
func (g gradingLoad) standingAfterGrading(graded Attempt, now time.Time) (Standing, bool) {
	list := make([]Attempt, 0, len(g.siblings)+1)
	for _, o := range g.siblings {
		if o.Number > graded.Number {
			return Standing{}, false
		}
		a := Attempt{ID: o.ID, Number: o.Number, Status: Status(o.Status), Passed: bool(o.Passed)}
		if o.Submitted {
			// Only the latest submission's time matters, and that is
			// the graded attempt's (appended last).
			a.SubmittedAt = graded.SubmittedAt
		}
		list = append(list, a)
	}
	list = append(list, graded)
	return StandingOf(graded.Settings, list, now), true
}
