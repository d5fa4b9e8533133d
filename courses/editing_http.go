package courses

import (
	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// mountEditing registers the routes that edit and delete a working
// copy's lessons and modules.
func (h *Handler) mountEditing(api fiber.Router, g web.Guard) {
	api.Patch("/lessons/:id", g.Require(web.RoleTrainer), h.updateLesson)
	api.Delete("/lessons/:id", g.Require(web.RoleTrainer), h.deleteLesson)
	api.Patch("/modules/:id", g.Require(web.RoleTrainer), h.updateModule)
	api.Delete("/modules/:id", g.Require(web.RoleTrainer), h.deleteModule)
}

type lessonPatchRequest struct {
	Title        *string `json:"title" validate:"omitempty,max=200"`
	BodyMarkdown *string `json:"body_markdown"`
	Position     *int    `json:"position"`
	ModuleID     *string `json:"module_id" validate:"omitempty,max=64"`
}

func (h *Handler) updateLesson(c *fiber.Ctx) error {
	var req lessonPatchRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	l, err := h.svc.UpdateLesson(c.UserContext(), p, c.Params("id"), LessonChange(req))
	if err != nil {
		return err
	}
	return c.JSON(lessonResponse(l))
}

func (h *Handler) deleteLesson(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	if err := h.svc.DeleteLesson(c.UserContext(), p, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type modulePatchRequest struct {
	Title    *string `json:"title" validate:"omitempty,max=200"`
	Position *int    `json:"position"`
}

func (h *Handler) updateModule(c *fiber.Ctx) error {
	var req modulePatchRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	m, err := h.svc.UpdateModule(c.UserContext(), p, c.Params("id"), ModuleChange(req))
	if err != nil {
		return err
	}
	return c.JSON(modulesResponse([]Module{m})[0])
}

func (h *Handler) deleteModule(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	if err := h.svc.DeleteModule(c.UserContext(), p, c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
