package assessments

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// MaxGIFTBytes bounds an imported bank, through the API or a page.
const MaxGIFTBytes = 2 << 20

// Handler is the assessments HTTP edge.
type Handler struct{ svc *Service }

// NewHandler returns the edge.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Mount registers the routes on the /api/v1 router.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	api.Post("/courses/:id/questions/import", g.Require(web.RoleTrainer), h.importGIFT)
	api.Post("/courses/:id/questions", g.Require(web.RoleTrainer), h.createQuestion)
	api.Get("/courses/:id/questions", g.Require(web.RoleTrainer), h.listQuestions)
	api.Post("/courses/:id/assessments", g.Require(web.RoleTrainer), h.createAssessment)
	api.Get("/courses/:id/assessments", g.Optional(), h.listAssessments)
	api.Post("/assessments/:id/attempts", g.Require(web.RoleLearner), h.start)
	api.Get("/assessments/:id/statistics", g.Require(web.RoleTrainer), h.statistics)
	api.Put("/attempts/:id/answers", g.Require(web.RoleLearner), h.saveAnswers)
	api.Post("/attempts/:id/submit", g.Require(web.RoleLearner), h.submit)
	api.Get("/attempts/:id", g.Require(), h.get)
	h.mountEditing(api, g)
}

// OptionResponse is an option as its trainer sees it: weight is its
// share of the points in percent (null: the plain rule), feedback what a
// learner who ticks it reads.
type OptionResponse struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Correct  bool     `json:"correct"`
	Weight   *float64 `json:"weight"`
	Feedback string   `json:"feedback,omitempty"`
}

// QuestionResponse is a question as its trainer sees it.
type QuestionResponse struct {
	ID          string           `json:"id"`
	Type        QuestionType     `json:"type"`
	Name        string           `json:"name,omitempty"`
	Prompt      string           `json:"prompt"`
	Points      float64          `json:"points"`
	Tags        []string         `json:"tags"`
	Explanation string           `json:"explanation"`
	Options     []OptionResponse `json:"options"`
	Answer      any              `json:"answer"`
}

func questionResponse(q Question) QuestionResponse {
	r := QuestionResponse{ID: q.ID, Type: q.Type, Name: q.Name, Prompt: q.Prompt, Points: q.Points, Tags: nonNil(q.Tags),
		Explanation: q.Explanation, Options: make([]OptionResponse, len(q.Options))}
	for i, o := range q.Options {
		r.Options[i] = OptionResponse{ID: o.ID, Text: o.Text, Correct: o.Correct, Weight: o.Weight, Feedback: o.Feedback}
	}
	r.Answer = authorAnswer(q)
	return r
}

type optionRequest struct {
	Text     string   `json:"text"`
	Correct  bool     `json:"correct"`
	Weight   *float64 `json:"weight"`
	Feedback string   `json:"feedback"`
}

type answerRequest struct {
	Value     json.RawMessage `json:"value"`
	Tolerance float64         `json:"tolerance"`
	Accepted  []string        `json:"accepted"`
	Values    []NumericAnswer `json:"values"`
	Weighted  []TextAnswer    `json:"weighted"`
	AllowTypo bool            `json:"allow_typo"`
}

// questionRequest is a new question; its shape and rules are checked by
// the service (validateQuestion), once, whichever way a question comes.
type questionRequest struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Prompt      string          `json:"prompt"`
	Points      float64         `json:"points"`
	Tags        []string        `json:"tags"`
	Explanation string          `json:"explanation"`
	Options     []optionRequest `json:"options"`
	Answer      *answerRequest  `json:"answer"`
}

func (r questionRequest) question() (Question, error) {
	q := Question{Type: QuestionType(r.Type), Name: strings.TrimSpace(r.Name), Prompt: strings.TrimSpace(r.Prompt), Points: r.Points,
		Tags: r.Tags, Explanation: r.Explanation, Options: []Option{}}
	for _, o := range r.Options {
		q.Options = append(q.Options, Option{Text: strings.TrimSpace(o.Text), Correct: o.Correct, Weight: o.Weight, Feedback: o.Feedback})
	}
	if a := r.Answer; a != nil {
		q.Answer.Tolerance, q.Answer.Accepted = a.Tolerance, a.Accepted
		q.Answer.Values, q.Answer.Weighted, q.Answer.AllowTypo = a.Values, a.Weighted, a.AllowTypo
		if err := readAnswerValue(&q, a.Value); err != nil {
			return q, web.Invalid("the question is not consistent", web.RuleAnswerType.On("answer.value"))
		}
	}
	return q, nil
}

func (h *Handler) createQuestion(c *fiber.Ctx) error {
	var req questionRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	q, err := req.question()
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	q, err = h.svc.CreateQuestion(c.UserContext(), p, c.Params("id"), q)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(questionResponse(q))
}

func (h *Handler) listQuestions(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.Questions(c.UserContext(), p, c.Params("id"), page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, questionResponse))
}

// ImportErrorResponse is one GIFT problem.
type ImportErrorResponse struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// ImportResponse answers a GIFT import.
type ImportResponse struct {
	Imported int                   `json:"imported"`
	Errors   []ImportErrorResponse `json:"errors"`
	// Created, Updated and Unchanged split what the import did: a
	// question is matched by its ::name:: or its content, so the same
	// file imported again creates and updates nothing.
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// importGIFT takes a text/plain GIFT bank. The contract answers 201 with
// {imported, errors}: when any question fails, imported is 0, errors names
// every problem by line, and nothing is stored.
func (h *Handler) importGIFT(c *fiber.Ctx) error {
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if !strings.HasPrefix(ct, "text/plain") {
		return &web.Error{Kind: web.KindUnsupportedMediaType, Message: "send the GIFT bank as text/plain"}
	}
	if len(c.Body()) > MaxGIFTBytes {
		return &web.Error{Kind: web.KindTooLarge, Message: "a GIFT bank may be at most 2 MiB"}
	}
	p, _ := web.Caller(c)
	r, errs, err := h.svc.ImportGIFTReport(c.UserContext(), p, c.Params("id"), string(c.Body()))
	if err != nil {
		return err
	}
	out := ImportResponse{Imported: r.Created + r.Updated, Errors: make([]ImportErrorResponse, len(errs)),
		Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged}
	for i, e := range errs {
		out.Errors[i] = ImportErrorResponse{Line: e.Line, Message: e.Message}
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// SettingsResponse is an assessment's settings; for a learner also their
// standing (attempts used and left, a running cooldown, a certificate
// waiting for the lessons), so the rules are known before starting.
type SettingsResponse struct {
	Settings
	AttemptsUsed       *int       `json:"attempts_used,omitempty"`
	AttemptsLeft       *int       `json:"attempts_left,omitempty"`
	RetryAt            *time.Time `json:"retry_at,omitempty"`
	Passed             *bool      `json:"passed,omitempty"`
	CertificatePending *string    `json:"certificate_pending,omitempty"`
}

func settingsResponse(a Listed) SettingsResponse {
	r := SettingsResponse{Settings: a.Settings.Normalized()}
	if st := a.Standing; st != nil {
		used, left, passed := st.AttemptsUsed, st.AttemptsLeft, st.Passed
		r.AttemptsUsed, r.AttemptsLeft, r.RetryAt, r.Passed = &used, &left, st.RetryAt, &passed
		if st.CertificatePending != "" {
			p := st.CertificatePending
			r.CertificatePending = &p
		}
	}
	return r
}

// createAssessment reads the settings themselves: their validate tags
// check shape and size, the service the rules; an id or course_id in the
// body is ignored.
func (h *Handler) createAssessment(c *fiber.Ctx) error {
	var req Settings
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	a, err := h.svc.CreateAssessment(c.UserContext(), p, c.Params("id"), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(settingsResponse(Listed{Settings: a}))
}

func (h *Handler) listAssessments(c *fiber.Ctx) error {
	var p *web.Principal
	if pr, ok := web.Caller(c); ok {
		p = &pr
	}
	list, err := h.svc.Assessments(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	out := web.List[SettingsResponse]{Items: make([]SettingsResponse, len(list))}
	for i, a := range list {
		out.Items[i] = settingsResponse(a)
	}
	return c.JSON(out)
}

// LearnerOption is an option as a learner sees it: no correct flag.
type LearnerOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// LearnerQuestion is a question as a learner sees it: no answer, no
// explanation. Hint tells the rules a learner should know, such as
// HintWrongTicksSubtract on multiple-response questions.
type LearnerQuestion struct {
	ID      string          `json:"id"`
	Type    QuestionType    `json:"type"`
	Prompt  string          `json:"prompt"`
	Points  float64         `json:"points"`
	Options []LearnerOption `json:"options"`
	Hint    string          `json:"hint,omitempty"`
}

// HintWrongTicksSubtract says that on a multiple-response question every
// wrong tick takes marks away (down to zero for the question).
const HintWrongTicksSubtract = "wrong_ticks_subtract"

// LessonLink names the lesson to re-read for a question.
type LessonLink struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// SavedAnswer is one answer the learner saved.
type SavedAnswer struct {
	QuestionID string   `json:"question_id"`
	OptionIDs  []string `json:"option_ids"`
	Value      *string  `json:"value"`
}

// ResultResponse is one question of a graded attempt. Lesson, when the
// question is linked to one, is the lesson to re-read; right answer,
// explanation and feedback appear only when the review rules allow.
type ResultResponse struct {
	QuestionID    string      `json:"question_id"`
	Correct       bool        `json:"correct"`
	PointsAwarded float64     `json:"points_awarded"`
	MaxPoints     float64     `json:"max_points"`
	RightAnswer   any         `json:"right_answer"`
	Explanation   *string     `json:"explanation"`
	Feedback      *string     `json:"feedback,omitempty"`
	Lesson        *LessonLink `json:"lesson"`
}

// AttemptResponse is an attempt; the grade fields appear once graded.
type AttemptResponse struct {
	ID                 string            `json:"id"`
	AssessmentID       string            `json:"assessment_id"`
	Status             Status            `json:"status"`
	Number             int               `json:"number"`
	StartedAt          time.Time         `json:"started_at"`
	Deadline           time.Time         `json:"deadline"`
	SubmittedAt        *time.Time        `json:"submitted_at,omitempty"`
	AttemptsUsed       int               `json:"attempts_used"`
	AttemptsLeft       int               `json:"attempts_left"`
	RetryAt            *time.Time        `json:"retry_at"`
	Questions          []LearnerQuestion `json:"questions"`
	Answers            []SavedAnswer     `json:"answers"`
	Score              *float64          `json:"score,omitempty"`
	MaxScore           *float64          `json:"max_score,omitempty"`
	Percent            *float64          `json:"percent,omitempty"`
	Passed             *bool             `json:"passed,omitempty"`
	CertificateID      *string           `json:"certificate_id,omitempty"`
	CertificatePending *string           `json:"certificate_pending,omitempty"`
	Review             string            `json:"review"`
	Results            []ResultResponse  `json:"results,omitempty"`
}

// attemptResponse renders what a learner may see: the drawn questions
// without answers, and once graded the per-question outcome, with right
// answers and explanations only when reveal allows.
func attemptResponse(a Attempt, reveal bool, lessons map[string]LessonRef) AttemptResponse {
	r := AttemptResponse{ID: a.ID, AssessmentID: a.AssessmentID, Status: a.Status, Number: a.Number,
		StartedAt: a.StartedAt.UTC(), Deadline: a.Deadline.UTC(), Questions: make([]LearnerQuestion, len(a.Form)), Answers: []SavedAnswer{},
		AttemptsUsed: a.Standing.AttemptsUsed, AttemptsLeft: a.Standing.AttemptsLeft, RetryAt: a.Standing.RetryAt, Review: a.Settings.Review}
	if r.Review == "" {
		r.Review = ReviewDefault
	}
	for i, q := range a.Form {
		lq := LearnerQuestion{ID: q.ID, Type: q.Type, Prompt: q.Prompt, Points: q.Points, Options: make([]LearnerOption, len(q.Options)),
			Hint: hintOf(q.Type)}
		for j, o := range q.Options {
			lq.Options[j] = LearnerOption{ID: o.ID, Text: o.Text}
		}
		r.Questions[i] = lq
		if ans, ok := a.Answers[q.ID]; ok {
			r.Answers = append(r.Answers, SavedAnswer{QuestionID: q.ID, OptionIDs: nonNil(ans.OptionIDs), Value: ans.Value})
		}
	}
	if a.Status != StatusGraded {
		return r
	}
	if a.SubmittedAt != nil {
		t := a.SubmittedAt.UTC()
		r.SubmittedAt = &t
	}
	g := gradeOf(a)
	r.Score, r.MaxScore, r.Percent, r.Passed, r.CertificateID = &g.Score, &g.MaxScore, &g.Percent, &g.Passed, g.CertificateID
	r.CertificatePending = g.CertificatePending
	byID := map[string]Question{}
	for _, q := range a.Form {
		byID[q.ID] = q
	}
	r.Results = make([]ResultResponse, len(a.Results))
	for i, res := range a.Results {
		rr := ResultResponse{QuestionID: res.QuestionID, Correct: res.Correct, PointsAwarded: res.PointsAwarded, MaxPoints: res.MaxPoints}
		if reveal {
			q := byID[res.QuestionID]
			rr.RightAnswer = rightAnswer(q)
			e := q.Explanation
			rr.Explanation = &e
			if res.Feedback != "" {
				f := res.Feedback
				rr.Feedback = &f
			}
		}
		if l, ok := lessons[res.QuestionID]; ok {
			rr.Lesson = &LessonLink{ID: l.ID, Title: l.Title}
		}
		r.Results[i] = rr
	}
	return r
}

// GradeResponse is the contract's submit answer, with the learner's
// standing (v1.1) and, for a pass of a final with lessons left, why the
// certificate waits.
type GradeResponse struct {
	ID                 string     `json:"id"`
	Status             Status     `json:"status"`
	Score              float64    `json:"score"`
	MaxScore           float64    `json:"max_score"`
	Percent            float64    `json:"percent"`
	Passed             bool       `json:"passed"`
	CertificateID      *string    `json:"certificate_id"`
	CertificatePending *string    `json:"certificate_pending"`
	AttemptsUsed       int        `json:"attempts_used"`
	AttemptsLeft       int        `json:"attempts_left"`
	RetryAt            *time.Time `json:"retry_at"`
}

func gradeOf(a Attempt) GradeResponse {
	g := GradeResponse{ID: a.ID, Status: a.Status, Score: a.Score, MaxScore: a.MaxScore, Percent: a.Percent, Passed: a.Passed,
		AttemptsUsed: a.Standing.AttemptsUsed, AttemptsLeft: a.Standing.AttemptsLeft, RetryAt: a.Standing.RetryAt}
	if a.CertificateID != "" {
		id := a.CertificateID
		g.CertificateID = &id
	}
	if p := a.Standing.CertificatePending; p != "" && a.CertificateID == "" {
		g.CertificatePending = &p
	}
	return g
}

func (h *Handler) start(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	a, created, err := h.svc.Start(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(attemptResponse(a, false, nil))
}

type answersRequest struct {
	Answers []responseRequest `json:"answers" validate:"max=500,dive"`
}

type responseRequest struct {
	QuestionID string   `json:"question_id" validate:"required,max=64"`
	OptionIDs  []string `json:"option_ids" validate:"max=50"`
	Value      *string  `json:"value"`
}

func (r answersRequest) responses() []Response {
	out := make([]Response, len(r.Answers))
	for i, a := range r.Answers {
		out[i] = Response{QuestionID: a.QuestionID, OptionIDs: a.OptionIDs, Value: a.Value}
	}
	return out
}

func (h *Handler) saveAnswers(c *fiber.Ctx) error {
	var req answersRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	a, err := h.svc.SaveAnswers(c.UserContext(), p, c.Params("id"), req.responses())
	if err != nil {
		return err
	}
	return c.JSON(attemptResponse(a, false, nil))
}

func (h *Handler) submit(c *fiber.Ctx) error {
	var req answersRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	a, err := h.svc.Submit(c.UserContext(), p, c.Params("id"), req.responses())
	if err != nil {
		return err
	}
	return c.JSON(gradeOf(a))
}

func (h *Handler) get(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	r, err := h.svc.Get(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(attemptResponse(r.Attempt, r.Reveal, r.Lessons))
}

// QuestionStatsResponse is one question's item statistics.
type QuestionStatsResponse struct {
	QuestionID     string   `json:"question_id"`
	Attempts       int64    `json:"attempts"`
	Facility       float64  `json:"facility"`
	Discrimination *float64 `json:"discrimination"`
	// Prompt is the question's prompt, sanitised HTML.
	Prompt string `json:"prompt"`
	// Flags name items to look at: too_easy (facility > 0.95), too_hard
	// (facility < 0.2), not_discriminating (discrimination < 0.2).
	Flags []string `json:"flags"`
}

// StatisticsResponse is the contract's statistics answer.
type StatisticsResponse struct {
	Attempts    int64                   `json:"attempts"`
	PassRate    float64                 `json:"pass_rate"`
	MeanPercent float64                 `json:"mean_percent"`
	Questions   []QuestionStatsResponse `json:"questions"`
	// MinSample is the number of attempts at a question below which its
	// discrimination is not computed (null).
	MinSample int `json:"min_sample"`
}

func (h *Handler) statistics(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	st, err := h.svc.Statistics(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	out := StatisticsResponse{Attempts: st.Attempts, PassRate: st.PassRate, MeanPercent: st.MeanPercent,
		Questions: make([]QuestionStatsResponse, len(st.Questions)), MinSample: st.MinSample}
	for i, q := range st.Questions {
		out.Questions[i] = QuestionStatsResponse(q)
	}
	return c.JSON(out)
}
