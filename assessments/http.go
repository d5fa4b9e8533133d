package assessments

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// maxGIFTBytes bounds an imported bank.
const maxGIFTBytes = 2 << 20

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
}

// OptionResponse is an option as its trainer sees it.
type OptionResponse struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

// QuestionResponse is a question as its trainer sees it.
type QuestionResponse struct {
	ID          string           `json:"id"`
	Type        QuestionType     `json:"type"`
	Prompt      string           `json:"prompt"`
	Points      float64          `json:"points"`
	Tags        []string         `json:"tags"`
	Explanation string           `json:"explanation"`
	Options     []OptionResponse `json:"options"`
	Answer      any              `json:"answer"`
}

// rightAnswer renders a question's answer as the contract writes it.
func rightAnswer(q Question) any {
	switch q.Type {
	case Numeric:
		return map[string]any{"value": q.Answer.Value, "tolerance": q.Answer.Tolerance}
	case TrueFalse:
		return map[string]any{"value": q.Answer.Bool}
	case ShortText:
		return map[string]any{"accepted": q.Answer.Accepted}
	}
	ids := []string{}
	for _, o := range q.Options {
		if o.Correct {
			ids = append(ids, o.ID)
		}
	}
	return map[string]any{"option_ids": ids}
}

func questionResponse(q Question) QuestionResponse {
	r := QuestionResponse{ID: q.ID, Type: q.Type, Prompt: q.Prompt, Points: q.Points, Tags: nonNil(q.Tags),
		Explanation: q.Explanation, Options: make([]OptionResponse, len(q.Options))}
	for i, o := range q.Options {
		r.Options[i] = OptionResponse(o)
	}
	if !q.Type.IsChoice() {
		r.Answer = rightAnswer(q)
	}
	return r
}

type optionRequest struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
}

type answerRequest struct {
	Value     json.RawMessage `json:"value"`
	Tolerance float64         `json:"tolerance"`
	Accepted  []string        `json:"accepted"`
}

type questionRequest struct {
	Type        string          `json:"type" validate:"required"`
	Prompt      string          `json:"prompt"`
	Points      float64         `json:"points"`
	Tags        []string        `json:"tags"`
	Explanation string          `json:"explanation"`
	Options     []optionRequest `json:"options"`
	Answer      *answerRequest  `json:"answer"`
}

func (r questionRequest) question() (Question, error) {
	q := Question{Type: QuestionType(r.Type), Prompt: strings.TrimSpace(r.Prompt), Points: r.Points, Tags: r.Tags,
		Explanation: r.Explanation, Options: []Option{}}
	for _, o := range r.Options {
		q.Options = append(q.Options, Option{Text: strings.TrimSpace(o.Text), Correct: o.Correct})
	}
	if a := r.Answer; a != nil {
		q.Answer.Tolerance, q.Answer.Accepted = a.Tolerance, a.Accepted
		if len(a.Value) > 0 && string(a.Value) != "null" {
			var err error
			switch q.Type {
			case TrueFalse:
				var b bool
				err = json.Unmarshal(a.Value, &b)
				q.Answer.Bool = &b
			case Numeric:
				var f float64
				err = json.Unmarshal(a.Value, &f)
				q.Answer.Value = &f
			}
			if err != nil {
				return q, web.Invalid("the question is not consistent", web.FieldError{Field: "answer.value", Message: "has the wrong type for this question"})
			}
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
}

// importGIFT takes a text/plain GIFT bank. The contract answers 201 with
// {imported, errors}: when any question fails, imported is 0, errors names
// every problem by line, and nothing is stored.
func (h *Handler) importGIFT(c *fiber.Ctx) error {
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if !strings.HasPrefix(ct, "text/plain") {
		return &web.Error{Kind: web.KindUnsupportedMediaType, Message: "send the GIFT bank as text/plain"}
	}
	if len(c.Body()) > maxGIFTBytes {
		return &web.Error{Kind: web.KindTooLarge, Message: "a GIFT bank may be at most 2 MiB"}
	}
	p, _ := web.Caller(c)
	n, errs, err := h.svc.ImportGIFT(c.UserContext(), p, c.Params("id"), string(c.Body()))
	if err != nil {
		return err
	}
	out := ImportResponse{Imported: n, Errors: make([]ImportErrorResponse, len(errs))}
	for i, e := range errs {
		out.Errors[i] = ImportErrorResponse(e)
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// SettingsResponse is an assessment's settings.
type SettingsResponse struct {
	ID               string   `json:"id"`
	CourseID         string   `json:"course_id"`
	Title            string   `json:"title"`
	Kind             Kind     `json:"kind"`
	QuestionCount    int      `json:"question_count"`
	Tags             []string `json:"tags"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	PassPercent      float64  `json:"pass_percent"`
	MaxAttempts      int      `json:"max_attempts"`
	CooldownSeconds  int      `json:"cooldown_seconds"`
}

func settingsResponse(a Settings) SettingsResponse {
	r := SettingsResponse(a)
	r.Tags = nonNil(r.Tags)
	return r
}

type settingsRequest struct {
	Title            string   `json:"title" validate:"required,max=200"`
	Kind             string   `json:"kind" validate:"required"`
	QuestionCount    int      `json:"question_count"`
	Tags             []string `json:"tags"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	PassPercent      float64  `json:"pass_percent"`
	MaxAttempts      int      `json:"max_attempts"`
	CooldownSeconds  int      `json:"cooldown_seconds"`
}

func (h *Handler) createAssessment(c *fiber.Ctx) error {
	var req settingsRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	a, err := h.svc.CreateAssessment(c.UserContext(), p, c.Params("id"), Settings{Title: req.Title, Kind: Kind(req.Kind),
		QuestionCount: req.QuestionCount, Tags: req.Tags, TimeLimitSeconds: req.TimeLimitSeconds, PassPercent: req.PassPercent,
		MaxAttempts: req.MaxAttempts, CooldownSeconds: req.CooldownSeconds})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(settingsResponse(a))
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
// explanation.
type LearnerQuestion struct {
	ID      string          `json:"id"`
	Type    QuestionType    `json:"type"`
	Prompt  string          `json:"prompt"`
	Points  float64         `json:"points"`
	Options []LearnerOption `json:"options"`
}

// SavedAnswer is one answer the learner saved.
type SavedAnswer struct {
	QuestionID string   `json:"question_id"`
	OptionIDs  []string `json:"option_ids"`
	Value      *string  `json:"value"`
}

// ResultResponse is one question of a graded attempt.
type ResultResponse struct {
	QuestionID    string  `json:"question_id"`
	Correct       bool    `json:"correct"`
	PointsAwarded float64 `json:"points_awarded"`
	RightAnswer   any     `json:"right_answer"`
	Explanation   *string `json:"explanation"`
}

// AttemptResponse is an attempt; the grade fields appear once graded.
type AttemptResponse struct {
	ID            string            `json:"id"`
	AssessmentID  string            `json:"assessment_id"`
	Status        Status            `json:"status"`
	Number        int               `json:"number"`
	StartedAt     time.Time         `json:"started_at"`
	Deadline      time.Time         `json:"deadline"`
	SubmittedAt   *time.Time        `json:"submitted_at,omitempty"`
	Questions     []LearnerQuestion `json:"questions"`
	Answers       []SavedAnswer     `json:"answers"`
	Score         *float64          `json:"score,omitempty"`
	MaxScore      *float64          `json:"max_score,omitempty"`
	Percent       *float64          `json:"percent,omitempty"`
	Passed        *bool             `json:"passed,omitempty"`
	CertificateID *string           `json:"certificate_id,omitempty"`
	Results       []ResultResponse  `json:"results,omitempty"`
}

// attemptResponse renders what a learner may see: the drawn questions
// without answers, and once graded the per-question outcome, with right
// answers and explanations only when reveal allows.
func attemptResponse(a Attempt, reveal bool) AttemptResponse {
	r := AttemptResponse{ID: a.ID, AssessmentID: a.AssessmentID, Status: a.Status, Number: a.Number,
		StartedAt: a.StartedAt.UTC(), Deadline: a.Deadline.UTC(), Questions: make([]LearnerQuestion, len(a.Form)), Answers: []SavedAnswer{}}
	for i, q := range a.Form {
		lq := LearnerQuestion{ID: q.ID, Type: q.Type, Prompt: q.Prompt, Points: q.Points, Options: make([]LearnerOption, len(q.Options))}
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
	byID := map[string]Question{}
	for _, q := range a.Form {
		byID[q.ID] = q
	}
	r.Results = make([]ResultResponse, len(a.Results))
	for i, res := range a.Results {
		rr := ResultResponse{QuestionID: res.QuestionID, Correct: res.Correct, PointsAwarded: res.PointsAwarded}
		if reveal {
			q := byID[res.QuestionID]
			rr.RightAnswer = rightAnswer(q)
			e := q.Explanation
			rr.Explanation = &e
		}
		r.Results[i] = rr
	}
	return r
}

// GradeResponse is the contract's submit answer.
type GradeResponse struct {
	ID            string  `json:"id"`
	Status        Status  `json:"status"`
	Score         float64 `json:"score"`
	MaxScore      float64 `json:"max_score"`
	Percent       float64 `json:"percent"`
	Passed        bool    `json:"passed"`
	CertificateID *string `json:"certificate_id"`
}

func gradeOf(a Attempt) GradeResponse {
	g := GradeResponse{ID: a.ID, Status: a.Status, Score: a.Score, MaxScore: a.MaxScore, Percent: a.Percent, Passed: a.Passed}
	if a.CertificateID != "" {
		id := a.CertificateID
		g.CertificateID = &id
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
	return c.Status(status).JSON(attemptResponse(a, false))
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
	return c.JSON(attemptResponse(a, false))
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
	return c.JSON(attemptResponse(r.Attempt, r.Reveal))
}

// QuestionStatsResponse is one question's item statistics.
type QuestionStatsResponse struct {
	QuestionID     string   `json:"question_id"`
	Attempts       int64    `json:"attempts"`
	Facility       float64  `json:"facility"`
	Discrimination *float64 `json:"discrimination"`
}

// StatisticsResponse is the contract's statistics answer.
type StatisticsResponse struct {
	Attempts    int64                   `json:"attempts"`
	PassRate    float64                 `json:"pass_rate"`
	MeanPercent float64                 `json:"mean_percent"`
	Questions   []QuestionStatsResponse `json:"questions"`
}

func (h *Handler) statistics(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	st, err := h.svc.Statistics(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	out := StatisticsResponse{Attempts: st.Attempts, PassRate: st.PassRate, MeanPercent: st.MeanPercent,
		Questions: make([]QuestionStatsResponse, len(st.Questions))}
	for i, q := range st.Questions {
		out.Questions[i] = QuestionStatsResponse(q)
	}
	return c.JSON(out)
}
