package assessments

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// mountEditing registers the routes that edit and delete questions and
// assessments of a course's working copy.
func (h *Handler) mountEditing(api fiber.Router, g web.Guard) {
	api.Patch("/questions/:id", g.Require(web.RoleTrainer), h.updateQuestion)
	api.Delete("/questions/:id", g.Require(web.RoleTrainer), h.deleteQuestion)
	api.Patch("/assessments/:id", g.Require(web.RoleTrainer), h.updateAssessment)
	api.Delete("/assessments/:id", g.Require(web.RoleTrainer), h.deleteAssessment)
}

type optionPatch struct {
	ID       string   `json:"id" validate:"max=64"`
	Text     string   `json:"text"`
	Correct  bool     `json:"correct"`
	Weight   *float64 `json:"weight"`
	Feedback string   `json:"feedback"`
}

type questionPatchRequest struct {
	Type        *string        `json:"type"`
	Name        *string        `json:"name"`
	Prompt      *string        `json:"prompt"`
	Points      *float64       `json:"points"`
	Tags        *[]string      `json:"tags"`
	Explanation *string        `json:"explanation"`
	Options     *[]optionPatch `json:"options"`
	Answer      *answerRequest `json:"answer"`
}

// change maps the request to the service's change; the answer's value
// is read by the service for the question's type.
func (r questionPatchRequest) change() QuestionChange {
	ch := QuestionChange{Name: r.Name, Prompt: r.Prompt, Points: r.Points, Tags: r.Tags, Explanation: r.Explanation}
	if r.Type != nil {
		t := QuestionType(*r.Type)
		ch.Type = &t
	}
	if r.Options != nil {
		opts := make([]Option, len(*r.Options))
		for i, o := range *r.Options {
			opts[i] = Option{ID: o.ID, Text: strings.TrimSpace(o.Text), Correct: o.Correct, Weight: o.Weight, Feedback: o.Feedback}
		}
		ch.Options = &opts
	}
	if a := r.Answer; a != nil {
		ans := Answer{Tolerance: a.Tolerance, Accepted: a.Accepted, Values: a.Values, Weighted: a.Weighted, AllowTypo: a.AllowTypo}
		ch.Answer, ch.AnswerValue = &ans, a.Value
	}
	return ch
}

func (h *Handler) updateQuestion(c *fiber.Ctx) error {
	var req questionPatchRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	q, err := h.svc.UpdateQuestion(c.UserContext(), p, c.Params("id"), req.change())
	if err != nil {
		return err
	}
	return c.JSON(questionResponse(q))
}

func (h *Handler) deleteQuestion(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	if err := h.svc.DeleteQuestion(c.UserContext(), p, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) updateAssessment(c *fiber.Ctx) error {
	var ch SettingsChange
	if err := web.Bind(c, &ch); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	a, err := h.svc.UpdateAssessment(c.UserContext(), p, c.Params("id"), ch)
	if err != nil {
		return err
	}
	return c.JSON(settingsResponse(Listed{Settings: a}))
}

func (h *Handler) deleteAssessment(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	if err := h.svc.DeleteAssessment(c.UserContext(), p, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
