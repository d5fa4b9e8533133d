package courses

import (
	"context"
	"slices"
	"strings"

	"skillgate/app/web"
)

// Editing a course's working copy: lessons and modules are changed,
// moved and deleted there only. Published versions are snapshots and
// never change; an edit marks the course changed since its last publish.
//
// A deleted lesson or module keeps its row (deleted_at set, position 0):
// learners of a published version that still holds the lesson find its
// course through it. A module is deleted only when it holds no lesson
// (409 otherwise), so that no lesson text is lost by one click; a trainer
// moves or deletes the lessons first.

// LessonChange is a PATCH of a lesson; nil fields stay.
type LessonChange struct {
	Title        *string
	BodyMarkdown *string
	Position     *int
	ModuleID     *string
}

// ModuleChange is a PATCH of a module; nil fields stay.
type ModuleChange struct {
	Title    *string
	Position *int
}

func validateLessonChange(ch LessonChange) []web.FieldError {
	f := checkTitle(ch.Title)
	if ch.BodyMarkdown != nil && len(*ch.BodyMarkdown) > 200_000 {
		f = append(f, web.TooLongBytes("body_markdown", 200_000))
	}
	if ch.Position != nil && *ch.Position < 1 {
		f = append(f, web.AtLeast("position", 1))
	}
	if ch.ModuleID != nil && strings.TrimSpace(*ch.ModuleID) == "" {
		f = append(f, web.RuleModuleOfCourse.On("module_id"))
	}
	return f
}

// editableLesson loads a live lesson of the working copy and checks that p
// may edit its course; another trainer's draft is 404 like the lesson.
func (s *Service) editableLesson(ctx context.Context, p web.Principal, id string) (Lesson, Course, error) {
	l, err := s.store.liveLesson(ctx, id)
	if err != nil {
		return Lesson{}, Course{}, err
	}
	c, err := s.authorable(ctx, p, l.CourseID)
	if web.IsKind(err, web.KindNotFound) {
		return Lesson{}, Course{}, web.NotFound("lesson")
	}
	if err != nil {
		return Lesson{}, Course{}, err
	}
	if _, err := s.store.LockCourse(ctx, c.ID); err != nil {
		return Lesson{}, Course{}, err
	}
	return l, c, nil
}

// UpdateLesson edits a lesson of the working copy: its title, body
// (rendered and sanitised like a new lesson's), position, or module (of
// the same course), renumbering the lessons around it, in one transaction.
func (s *Service) UpdateLesson(ctx context.Context, p web.Principal, id string, ch LessonChange) (Lesson, error) {
	if f := validateLessonChange(ch); len(f) > 0 {
		return Lesson{}, web.Invalid("the lesson cannot be changed", f...)
	}
	var html string
	if ch.BodyMarkdown != nil {
		var err error
		if html, err = RenderMarkdown(*ch.BodyMarkdown); err != nil {
			return Lesson{}, err
		}
	}
	var out Lesson
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		l, c, err := s.editableLesson(ctx, p, id)
		if err != nil {
			return err
		}
		cols := map[string]any{}
		if ch.Title != nil {
			cols["title"] = strings.TrimSpace(*ch.Title)
		}
		if ch.BodyMarkdown != nil {
			cols["body_markdown"], cols["body_html"] = *ch.BodyMarkdown, html
		}
		from, to := l.ModuleID, l.ModuleID
		if ch.ModuleID != nil && *ch.ModuleID != l.ModuleID {
			owner, err := s.store.ModuleCourse(ctx, *ch.ModuleID)
			if err != nil || owner != c.ID {
				if err != nil && !web.IsKind(err, web.KindNotFound) {
					return err
				}
				return web.Invalid("the lesson cannot be changed", web.RuleModuleSameCourse.On("module_id"))
			}
			to = *ch.ModuleID
			cols["module_id"] = to
		}
		if len(cols) > 0 {
			if err := s.store.updateLesson(ctx, id, cols); err != nil {
				return err
			}
		}
		if from != to || ch.Position != nil {
			pos := 1 << 30 // moved without a position: last
			if ch.Position != nil {
				pos = *ch.Position
			}
			if err := s.store.placeLesson(ctx, to, id, pos); err != nil {
				return err
			}
			if from != to {
				if err := s.store.renumberLessons(ctx, from); err != nil {
					return err
				}
			}
		}
		if err := s.store.Touch(ctx, c.ID, s.now()); err != nil {
			return err
		}
		out, err = s.store.liveLesson(ctx, id)
		return err
	})
	return out, err
}

// DeleteLesson removes a lesson from the working copy; learners of a
// published version that holds it keep it until the next publish.
func (s *Service) DeleteLesson(ctx context.Context, p web.Principal, id string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		l, c, err := s.editableLesson(ctx, p, id)
		if err != nil {
			return err
		}
		if err := s.store.updateLesson(ctx, id, map[string]any{"deleted_at": s.now(), "position": 0}); err != nil {
			return err
		}
		if err := s.store.renumberLessons(ctx, l.ModuleID); err != nil {
			return err
		}
		return s.store.Touch(ctx, c.ID, s.now())
	})
}

// editableModule loads a module and checks that p may edit its course.
func (s *Service) editableModule(ctx context.Context, p web.Principal, id string) (string, error) {
	courseID, err := s.store.ModuleCourse(ctx, id)
	if err != nil {
		return "", err
	}
	c, err := s.authorable(ctx, p, courseID)
	if web.IsKind(err, web.KindNotFound) {
		return "", web.NotFound("module")
	}
	if err != nil {
		return "", err
	}
	if _, err := s.store.LockCourse(ctx, c.ID); err != nil {
		return "", err
	}
	return c.ID, nil
}

// UpdateModule renames a module or moves it to another position.
func (s *Service) UpdateModule(ctx context.Context, p web.Principal, id string, ch ModuleChange) (Module, error) {
	f := checkTitle(ch.Title)
	if ch.Position != nil && *ch.Position < 1 {
		f = append(f, web.AtLeast("position", 1))
	}
	if len(f) > 0 {
		return Module{}, web.Invalid("the module cannot be changed", f...)
	}
	var out Module
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		courseID, err := s.editableModule(ctx, p, id)
		if err != nil {
			return err
		}
		if ch.Title != nil {
			if err := s.store.renameModule(ctx, id, strings.TrimSpace(*ch.Title)); err != nil {
				return err
			}
		}
		if ch.Position != nil {
			if err := s.store.placeModule(ctx, courseID, id, *ch.Position); err != nil {
				return err
			}
		}
		if err := s.store.Touch(ctx, courseID, s.now()); err != nil {
			return err
		}
		mods, err := s.store.modules(ctx, courseID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(mods, func(m Module) bool { return m.ID == id })
		if i < 0 {
			return web.NotFound("module")
		}
		out = mods[i]
		return nil
	})
	return out, err
}

// DeleteModule removes an empty module from the working copy; a module
// that still holds lessons is a 409.
func (s *Service) DeleteModule(ctx context.Context, p web.Principal, id string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		courseID, err := s.editableModule(ctx, p, id)
		if err != nil {
			return err
		}
		n, err := s.store.liveLessonCount(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return web.DetailModuleNotEmpty.Conflict("Count", n)
		}
		if err := s.store.deleteModule(ctx, id, s.now()); err != nil {
			return err
		}
		if err := s.store.placeModule(ctx, courseID, "", 0); err != nil {
			return err
		}
		return s.store.Touch(ctx, courseID, s.now())
	})
}

// insertAt inserts id at the 1-based position pos of ids (clamped to the
// ends); id "" inserts nothing.
func insertAt(ids []string, id string, pos int) []string {
	if id == "" {
		return ids
	}
	i := min(max(pos-1, 0), len(ids))
	return slices.Insert(ids, i, id)
}

// MarkChanged records that a course's working copy changed since its last
// publish (for the assessments domain, whose bank and settings are part of
// the working copy).
func (s *Service) MarkChanged(ctx context.Context, courseID string) error {
	return s.store.Touch(ctx, courseID, s.now())
}
