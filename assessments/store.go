package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type questionRow struct {
	ID          string `gorm:"primaryKey;size:36"`
	CourseID    string `gorm:"size:36;not null;index"`
	Type        string `gorm:"size:20;not null"`
	Prompt      string `gorm:"not null"`
	Points      float64
	Tags        string `gorm:"not null"`
	Explanation string `gorm:"not null"`
	Options     string `gorm:"not null"`
	Answer      string `gorm:"not null"`
	SourceKey   string `gorm:"size:200;not null"`
	Name        string `gorm:"size:200;not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (questionRow) TableName() string { return "questions" }

type assessmentRow struct {
	ID               string `gorm:"primaryKey;size:36"`
	CourseID         string `gorm:"size:36;not null;index"`
	Title            string `gorm:"size:200;not null"`
	Kind             string `gorm:"size:10;not null"`
	QuestionCount    int
	Tags             string `gorm:"not null"`
	TimeLimitSeconds int
	PassPercent      float64
	MaxAttempts      int
	CooldownSeconds  int
	CooldownSchedule string `gorm:"not null"`
	Review           string `gorm:"size:30;not null"`
	LessonTags       string `gorm:"not null"`
	SourceKey        string `gorm:"size:200;not null"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
	DeletedAt        *time.Time
}

func (assessmentRow) TableName() string { return "assessments" }

type attemptRow struct {
	ID            string `gorm:"primaryKey;size:36"`
	AssessmentID  string `gorm:"size:36;not null"`
	CourseID      string `gorm:"size:36;not null"`
	UserID        string `gorm:"size:36;not null"`
	CourseVersion int
	Number        int
	Status        string `gorm:"size:10;not null"`
	StartedAt     time.Time
	Deadline      time.Time
	SubmittedAt   *time.Time
	Settings      string `gorm:"not null"`
	Form          string `gorm:"not null"`
	Score         float64
	MaxScore      float64
	Percent       float64
	Passed        bool
	CertificateID *string `gorm:"size:64"`
	Results       string  `gorm:"not null"`
	// LessonsDone says every lesson was done when the attempt began.
	LessonsDone bool
}

func (attemptRow) TableName() string { return "attempts" }

type answerRow struct {
	AttemptID  string `gorm:"primaryKey;size:36"`
	QuestionID string `gorm:"primaryKey;size:36"`
	OptionIDs  string `gorm:"not null"`
	Value      *string
	SavedAt    time.Time
}

func (answerRow) TableName() string { return "attempt_answers" }

type itemScoreRow struct {
	AttemptID    string `gorm:"primaryKey;size:36"`
	QuestionID   string `gorm:"primaryKey;size:36"`
	AssessmentID string `gorm:"size:36;not null;index"`
	Score        float64
	MaxPoints    float64
	RestScore    float64
}

func (itemScoreRow) TableName() string { return "attempt_item_scores" }

// Store persists question banks, assessments and attempts.
type Store struct {
	db *gorm.DB
	// bus, when set, hears of every change to a question bank.
	bus *dbx.Changes
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("assessments: encode %T: %v", v, err))
	}
	return string(b)
}

func questionToRow(q Question, now time.Time) questionRow {
	return questionRow{ID: q.ID, CourseID: q.CourseID, Type: string(q.Type), Prompt: q.Prompt, Points: q.Points,
		Tags: mustJSON(nonNil(q.Tags)), Explanation: q.Explanation, Options: mustJSON(nonNilOptions(q.Options)),
		Answer: mustJSON(q.Answer), SourceKey: q.SourceKey, Name: q.Name, CreatedAt: now, UpdatedAt: now}
}

func (r questionRow) domain() Question {
	q := Question{ID: r.ID, CourseID: r.CourseID, Type: QuestionType(r.Type), Prompt: r.Prompt, Points: r.Points,
		Explanation: r.Explanation, SourceKey: r.SourceKey, Name: r.Name}
	_ = json.Unmarshal([]byte(r.Tags), &q.Tags)
	_ = json.Unmarshal([]byte(r.Options), &q.Options)
	_ = json.Unmarshal([]byte(r.Answer), &q.Answer)
	q.Tags, q.Options = nonNil(q.Tags), nonNilOptions(q.Options)
	return q
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilOptions(o []Option) []Option {
	if o == nil {
		return []Option{}
	}
	return o
}

// CreateQuestion inserts q.
func (s *Store) CreateQuestion(ctx context.Context, q Question, now time.Time) error {
	row := questionToRow(q, now)
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("assessments: create question: %w", err)
	}
	return s.publishBank(ctx, q.CourseID)
}

// UpdateQuestion replaces q's content.
func (s *Store) UpdateQuestion(ctx context.Context, q Question, now time.Time) error {
	row := questionToRow(q, now)
	err := s.conn(ctx).Model(&questionRow{}).Where("id = ?", q.ID).Updates(map[string]any{
		"type": row.Type, "prompt": row.Prompt, "points": row.Points, "tags": row.Tags, "explanation": row.Explanation,
		"options": row.Options, "answer": row.Answer, "name": row.Name, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("assessments: update question: %w", err)
	}
	return s.publishBank(ctx, q.CourseID)
}

// DeleteQuestions removes questions from a bank (attempts keep their copy).
func (s *Store) DeleteQuestions(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var courseIDs []string
	if s.bus != nil {
		if err := s.conn(ctx).Model(&questionRow{}).Where("id IN ?", ids).Distinct().Pluck("course_id", &courseIDs).Error; err != nil {
			return fmt.Errorf("assessments: find banks of questions: %w", err)
		}
	}
	if err := s.conn(ctx).Where("id IN ?", ids).Delete(&questionRow{}).Error; err != nil {
		return fmt.Errorf("assessments: delete questions: %w", err)
	}
	return s.publishBank(ctx, courseIDs...)
}

// Questions lists a course's bank, up to p.Limit+1 after the cursor
// (p.Limit 0: all).
func (s *Store) Questions(ctx context.Context, courseID string, p web.Page) ([]Question, error) {
	q := dbx.PageByID(s.conn(ctx).Where("course_id = ?", courseID), p, false)
	var rows []questionRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("assessments: list questions: %w", err)
	}
	out := make([]Question, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

func settingsToRow(a Settings, sourceKey string, now time.Time) assessmentRow {
	return assessmentRow{ID: a.ID, CourseID: a.CourseID, Title: a.Title, Kind: string(a.Kind), QuestionCount: a.QuestionCount,
		Tags: mustJSON(nonNil(a.Tags)), TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent,
		MaxAttempts: a.MaxAttempts, CooldownSeconds: a.CooldownSeconds, CooldownSchedule: mustJSON(nonNilInts(a.CooldownSchedule)),
		Review: a.Review, LessonTags: mustJSON(nonNilMap(a.LessonTags)), SourceKey: sourceKey, CreatedAt: now, UpdatedAt: now}
}

func (r assessmentRow) domain() Settings {
	a := Settings{ID: r.ID, CourseID: r.CourseID, Title: r.Title, Kind: Kind(r.Kind), QuestionCount: r.QuestionCount,
		TimeLimitSeconds: r.TimeLimitSeconds, PassPercent: r.PassPercent, MaxAttempts: r.MaxAttempts, CooldownSeconds: r.CooldownSeconds,
		Review: r.Review}
	_ = json.Unmarshal([]byte(r.Tags), &a.Tags)
	if r.CooldownSchedule != "" {
		_ = json.Unmarshal([]byte(r.CooldownSchedule), &a.CooldownSchedule)
	}
	if len(a.CooldownSchedule) == 0 {
		a.CooldownSchedule = nil
	}
	if r.LessonTags != "" {
		_ = json.Unmarshal([]byte(r.LessonTags), &a.LessonTags)
	}
	if len(a.LessonTags) == 0 {
		a.LessonTags = nil
	}
	if a.Review == "" {
		a.Review = ReviewDefault // assessments made before the setting existed keep the contract's rule
	}
	a.Tags = nonNil(a.Tags)
	return a
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilInts(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

// CreateAssessment inserts a.
func (s *Store) CreateAssessment(ctx context.Context, a Settings, sourceKey string, now time.Time) error {
	row := settingsToRow(a, sourceKey, now)
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("assessments: create assessment: %w", err)
	}
	return nil
}

// UpdateAssessment replaces a's settings.
func (s *Store) UpdateAssessment(ctx context.Context, a Settings, now time.Time) error {
	row := settingsToRow(a, "", now)
	err := s.conn(ctx).Model(&assessmentRow{}).Where("id = ?", a.ID).Updates(map[string]any{
		"title": row.Title, "kind": row.Kind, "question_count": row.QuestionCount, "tags": row.Tags,
		"time_limit_seconds": row.TimeLimitSeconds, "pass_percent": row.PassPercent, "max_attempts": row.MaxAttempts,
		"cooldown_seconds": row.CooldownSeconds, "cooldown_schedule": row.CooldownSchedule, "review": row.Review, "lesson_tags": row.LessonTags,
		"updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("assessments: update assessment: %w", err)
	}
	return nil
}

// Assessment loads one assessment's working settings.
func (s *Store) Assessment(ctx context.Context, id string) (Settings, error) {
	return dbx.ByID(s.conn(ctx), id, "assessment", "assessments: load assessment", assessmentRow.domain)
}

// assessmentSources maps source keys to assessments of a course.
func (s *Store) assessmentsOf(ctx context.Context, courseID string) ([]assessmentRow, error) {
	var rows []assessmentRow
	if err := s.conn(ctx).Where("course_id = ? AND deleted_at IS NULL", courseID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("assessments: list assessments: %w", err)
	}
	return rows, nil
}

// Assessments lists a course's working settings.
func (s *Store) Assessments(ctx context.Context, courseID string) ([]Settings, error) {
	rows, err := s.assessmentsOf(ctx, courseID)
	if err != nil {
		return nil, err
	}
	out := make([]Settings, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

func (r attemptRow) domain() (Attempt, error) {
	a := Attempt{ID: r.ID, AssessmentID: r.AssessmentID, CourseID: r.CourseID, UserID: r.UserID, CourseVersion: r.CourseVersion,
		Number: r.Number, Status: Status(r.Status), StartedAt: r.StartedAt, Deadline: r.Deadline, SubmittedAt: r.SubmittedAt,
		Score: r.Score, MaxScore: r.MaxScore, Percent: r.Percent, Passed: r.Passed}
	if r.CertificateID != nil {
		a.CertificateID = *r.CertificateID
	}
	if err := json.Unmarshal([]byte(r.Settings), &a.Settings); err != nil {
		return a, fmt.Errorf("assessments: decode settings: %w", err)
	}
	if err := json.Unmarshal([]byte(r.Form), &a.Form); err != nil {
		return a, fmt.Errorf("assessments: decode form: %w", err)
	}
	if r.Results != "" {
		if err := json.Unmarshal([]byte(r.Results), &a.Results); err != nil {
			return a, fmt.Errorf("assessments: decode results: %w", err)
		}
	}
	return a, nil
}

// ErrAttemptRace is returned when another request started an attempt with
// the same number first.
var ErrAttemptRace = web.Conflict("another attempt was started at the same time; retry")

// CreateAttempt inserts a; the unique (assessment, user, number) index
// stops two concurrent starts from both succeeding.
func (s *Store) CreateAttempt(ctx context.Context, a Attempt) error {
	return s.createAttempt(ctx, a, false)
}

// createAttempt is CreateAttempt that also records whether the learner
// had every lesson done at the start.
func (s *Store) createAttempt(ctx context.Context, a Attempt, lessonsDone bool) error {
	row := attemptRow{ID: a.ID, AssessmentID: a.AssessmentID, CourseID: a.CourseID, UserID: a.UserID,
		CourseVersion: a.CourseVersion, Number: a.Number, Status: string(a.Status), StartedAt: a.StartedAt, Deadline: a.Deadline,
		Settings: mustJSON(a.Settings), Form: mustJSON(a.Form), Results: "", LessonsDone: lessonsDone}
	return dbx.WriteErr(s.conn(ctx).Create(&row).Error, ErrAttemptRace, "assessments: create attempt")
}

// Attempt loads an attempt with its saved answers.
func (s *Store) Attempt(ctx context.Context, id string) (Attempt, error) {
	var row attemptRow
	err := s.conn(ctx).Where("id = ?", id).Take(&row).Error
	if err := dbx.LoadErr(err, "attempt", "assessments: load attempt"); err != nil {
		return Attempt{}, err
	}
	a, err := row.domain()
	if err != nil {
		return a, err
	}
	a.Answers, err = s.answers(ctx, id, nil)
	return a, err
}

// answers loads an attempt's saved answers, only those saved no later
// than until when it is set.
func (s *Store) answers(ctx context.Context, attemptID string, until *time.Time) (map[string]Response, error) {
	q := s.conn(ctx).Where("attempt_id = ?", attemptID)
	if until != nil {
		q = q.Where("saved_at <= ?", *until)
	}
	var rows []answerRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("assessments: load answers: %w", err)
	}
	out := make(map[string]Response, len(rows))
	for _, r := range rows {
		resp := Response{QuestionID: r.QuestionID, Value: r.Value}
		_ = json.Unmarshal([]byte(r.OptionIDs), &resp.OptionIDs)
		out[r.QuestionID] = resp
	}
	return out, nil
}

// PassedFinals lists a user's passed, graded attempts at the finals of a
// course, oldest first.
func (s *Store) PassedFinals(ctx context.Context, userID, courseID string) ([]Attempt, error) {
	var rows []attemptRow
	err := s.conn(ctx).Where("user_id = ? AND course_id = ? AND status = ? AND passed", userID, courseID, string(StatusGraded)).
		Order("submitted_at").Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("assessments: list passes: %w", err)
	}
	out := make([]Attempt, 0, len(rows))
	for _, r := range rows {
		a, err := r.domain()
		if err != nil {
			return nil, err
		}
		if a.Settings.Kind == KindFinal {
			out = append(out, a)
		}
	}
	return out, nil
}

// UserAttempts lists a user's attempts at an assessment, oldest first.
func (s *Store) UserAttempts(ctx context.Context, assessmentID, userID string) ([]Attempt, error) {
	var rows []attemptRow
	err := s.conn(ctx).Where("assessment_id = ? AND user_id = ?", assessmentID, userID).Order("number").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("assessments: list attempts: %w", err)
	}
	out := make([]Attempt, len(rows))
	for i, r := range rows {
		if out[i], err = r.domain(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// attemptHistory lists a user's attempts at one assessment, oldest first,
// with only what a standing is made of (StandingOf: id, number, status,
// pass and submission time): no form, settings or results, so that an
// autosave or a read of one attempt decodes that one form, not every
// earlier attempt's too.
func (s *Store) attemptHistory(ctx context.Context, assessmentID, userID string) ([]Attempt, error) {
	var rows []attemptRow
	err := s.conn(ctx).Select("id", "number", "status", "passed", "submitted_at").
		Where("assessment_id = ? AND user_id = ?", assessmentID, userID).Order("number").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("assessments: list attempt history: %w", err)
	}
	out := make([]Attempt, len(rows))
	for i, r := range rows {
		out[i] = Attempt{ID: r.ID, Number: r.Number, Status: Status(r.Status), Passed: r.Passed, SubmittedAt: r.SubmittedAt}
	}
	return out, nil
}

// SaveAnswers upserts responses, stamped with now.
func (s *Store) SaveAnswers(ctx context.Context, attemptID string, rs []Response, now time.Time) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([]answerRow, len(rs))
	for i, r := range rs {
		rows[i] = answerRow{AttemptID: attemptID, QuestionID: r.QuestionID, OptionIDs: mustJSON(nonNil(r.OptionIDs)), Value: r.Value, SavedAt: now}
	}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "attempt_id"}, {Name: "question_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"option_ids", "value", "saved_at"}),
	}).Create(&rows).Error
	if err != nil {
		return fmt.Errorf("assessments: save answers: %w", err)
	}
	return nil
}

// MarkGraded records the grade (and the certificate it earned, if any) if,
// and only if, the attempt is still open: of two concurrent submits
// exactly one updates the row. It reports whether this call did.
func (s *Store) MarkGraded(ctx context.Context, a Attempt, now time.Time) (bool, error) {
	set := map[string]any{
		"status": string(StatusGraded), "submitted_at": now, "score": a.Score, "max_score": a.MaxScore,
		"percent": a.Percent, "passed": a.Passed, "results": mustJSON(a.Results)}
	if a.CertificateID != "" {
		set["certificate_id"] = a.CertificateID
	}
	res := s.conn(ctx).Model(&attemptRow{}).Where("id = ? AND status = ?", a.ID, string(StatusOpen)).Updates(set)
	if res.Error != nil {
		return false, fmt.Errorf("assessments: grade attempt: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetCertificate records the certificate a pass earned.
func (s *Store) SetCertificate(ctx context.Context, attemptID, certificateID string) error {
	return s.conn(ctx).Model(&attemptRow{}).Where("id = ?", attemptID).Update("certificate_id", certificateID).Error
}

// SaveItemScores stores per-question scores for item statistics.
func (s *Store) SaveItemScores(ctx context.Context, a Attempt) error {
	if len(a.Results) == 0 {
		return nil
	}
	rows := make([]itemScoreRow, len(a.Results))
	for i, r := range a.Results {
		rows[i] = itemScoreRow{AttemptID: a.ID, QuestionID: r.QuestionID, AssessmentID: a.AssessmentID, Score: r.PointsAwarded,
			MaxPoints: r.MaxPoints, RestScore: a.Score - r.PointsAwarded}
	}
	return s.conn(ctx).Create(&rows).Error
}

// AttemptTotals are the aggregate figures of an assessment's graded attempts.
type AttemptTotals struct {
	Attempts    int64
	Passed      int64
	MeanPercent float64
}

// Totals aggregates the graded attempts of an assessment.
func (s *Store) Totals(ctx context.Context, assessmentID string) (AttemptTotals, error) {
	var t AttemptTotals
	err := s.conn(ctx).Model(&attemptRow{}).Where("assessment_id = ? AND status = ?", assessmentID, string(StatusGraded)).
		Select("COUNT(*) AS attempts, COALESCE(SUM(CASE WHEN passed THEN 1 ELSE 0 END), 0) AS passed, COALESCE(AVG(percent), 0) AS mean_percent").
		Scan(&t).Error
	return t, err
}

// ItemSums are the sums from which facility and discrimination follow.
type ItemSums struct {
	QuestionID string
	N          int64
	SumFrac    float64 // Σ score/max
	SumX       float64 // Σ score
	SumY       float64 // Σ rest
	SumXY      float64
	SumXX      float64
	SumYY      float64
}

// ItemSums aggregates, in the database, the per-question scores of every
// graded attempt of an assessment.
func (s *Store) ItemSums(ctx context.Context, assessmentID string) ([]ItemSums, error) {
	var out []ItemSums
	err := s.conn(ctx).Model(&itemScoreRow{}).Where("assessment_id = ?", assessmentID).
		Select(`question_id, COUNT(*) AS n,
			SUM(CASE WHEN max_points > 0 THEN score / max_points ELSE 0 END) AS sum_frac,
			SUM(score) AS sum_x, SUM(rest_score) AS sum_y, SUM(score * rest_score) AS sum_xy,
			SUM(score * score) AS sum_xx, SUM(rest_score * rest_score) AS sum_yy`).
		Group("question_id").Order("question_id").Scan(&out).Error
	return out, err
}
