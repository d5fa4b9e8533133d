package site

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/courses"
)

// A trainer uploads a course pack as a zip. The design keeps nothing on
// the server between preview and import and carries no file in a hidden
// field: one form (on /staff/courses and again under the preview) sends
// the zip, and without the "I checked the preview" box ticked it only
// previews; ticked, the same zip is read and checked again from scratch
// and imported, refused whole if anything is wrong. Nothing the browser
// sends back is trusted, there is no second size limit for a confirm
// field, and the import is as safe as the preview.

func (s *Site) mountPacks(pg pageRouter) {
	pg.Post("/staff/packs", s.csrf, s.staffOnly(web.RoleTrainer), s.uploadPack)
}

type packView struct {
	P     courses.PackPreview
	Error string
	// Errors are P's problems said in the page's language.
	Errors []packErrorView
}

// packErrorView is one problem of an uploaded pack, said in the page's
// language: the file, the line where known, a GIFT question's title and
// the message.
type packErrorView struct {
	File, Title, Message string
	Line                 int
}

// packMessages says each problem of a pack in l from its catalogue key
// and values, as fieldMessage says a field; one the catalogue does not
// know reads as the general "is not valid", never as the English.
func packMessages(l *Lang, errs []courses.PackError) []packErrorView {
	out := make([]packErrorView, len(errs))
	for i, e := range errs {
		out[i] = packErrorView{File: e.File, Line: e.Line, Title: e.Title,
			Message: fieldMessage(l, web.FieldError{Field: e.File, Message: e.Message, Key: e.Key, Args: e.Args})}
	}
	return out
}

func (s *Site) uploadPack(c *fiber.Ctx) error {
	r := reqOf(c)
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "staff_pack", r.lang.T("pack.title"), packView{Error: r.lang.T("pack.choose")})
	}
	if fh.Size > courses.MaxPackUpload {
		return s.render(c, fiber.StatusRequestEntityTooLarge, "staff_pack", r.lang.T("pack.title"), packView{Error: r.lang.T("pack.too_large")})
	}
	f, err := fh.Open()
	if err != nil {
		return s.fail(c, err)
	}
	raw, err := io.ReadAll(io.LimitReader(f, courses.MaxPackUpload+1))
	f.Close()
	if err != nil {
		return s.fail(c, err)
	}
	confirm := c.FormValue("confirm") == "yes"
	pv, err := s.d.Courses.ImportPackZip(c.UserContext(), r.principal(), raw, !confirm)
	if err != nil {
		return s.fail(c, err)
	}
	status := fiber.StatusOK
	switch {
	case len(pv.Errors) > 0:
		status = fiber.StatusUnprocessableEntity
	case pv.Imported:
		return s.redirect(c, "/staff/courses/"+pv.CourseID, "pack_imported")
	}
	return s.render(c, status, "staff_pack", r.lang.T("pack.title"), packView{P: pv, Errors: packMessages(r.lang, pv.Errors)})
}
