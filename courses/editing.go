package courses

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
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
		f = append(f, web.FieldError{Field: "body_markdown", Message: "must be at most 200000 bytes"})
	}
	if ch.Position != nil && *ch.Position < 1 {
		f = append(f, web.FieldError{Field: "position", Message: "must be at least 1"})
	}
	if ch.ModuleID != nil && strings.TrimSpace(*ch.ModuleID) == "" {
		f = append(f, web.FieldError{Field: "module_id", Message: "must name a module of the course"})
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
	err := dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
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
				return web.Invalid("the lesson cannot be changed", web.FieldError{Field: "module_id", Message: "must name a module of the same course"})
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
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
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
		f = append(f, web.FieldError{Field: "position", Message: "must be at least 1"})
	}
	if len(f) > 0 {
		return Module{}, web.Invalid("the module cannot be changed", f...)
	}
	var out Module
	err := dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		courseID, err := s.editableModule(ctx, p, id)
		if err != nil {
			return err
		}
		if ch.Title != nil {
			if err := s.store.conn(ctx).Model(&moduleRow{}).Where("id = ?", id).Update("title", strings.TrimSpace(*ch.Title)).Error; err != nil {
				return fmt.Errorf("courses: rename module: %w", err)
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
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		courseID, err := s.editableModule(ctx, p, id)
		if err != nil {
			return err
		}
		var n int64
		if err := s.store.conn(ctx).Model(&lessonRow{}).Where("module_id = ? AND deleted_at IS NULL", id).Count(&n).Error; err != nil {
			return fmt.Errorf("courses: count lessons: %w", err)
		}
		if n > 0 {
			return web.Conflict(fmt.Sprintf("the module still holds %d lesson(s): move or delete them first", n))
		}
		if err := s.store.conn(ctx).Model(&moduleRow{}).Where("id = ?", id).
			Updates(map[string]any{"deleted_at": s.now(), "position": 0}).Error; err != nil {
			return fmt.Errorf("courses: delete module: %w", err)
		}
		if err := s.store.placeModule(ctx, courseID, "", 0); err != nil {
			return err
		}
		return s.store.Touch(ctx, courseID, s.now())
	})
}

// liveLesson loads a lesson of a working copy that has not been deleted.
func (s *Store) liveLesson(ctx context.Context, id string) (Lesson, error) {
	var row lessonRow
	err := s.conn(ctx).Where("id = ? AND deleted_at IS NULL", id).Take(&row).Error
	if dbx.IsNotFound(err) {
		return Lesson{}, web.NotFound("lesson")
	}
	if err != nil {
		return Lesson{}, fmt.Errorf("courses: load lesson: %w", err)
	}
	return row.domain(), nil
}

func (s *Store) updateLesson(ctx context.Context, id string, cols map[string]any) error {
	if err := s.conn(ctx).Model(&lessonRow{}).Where("id = ?", id).Updates(cols).Error; err != nil {
		return fmt.Errorf("courses: update lesson: %w", err)
	}
	return nil
}

// placeLesson puts lesson id at position pos (clamped) of module's live
// lessons and numbers them 1..n.
func (s *Store) placeLesson(ctx context.Context, moduleID, id string, pos int) error {
	var ids []string
	if err := s.conn(ctx).Model(&lessonRow{}).Where("module_id = ? AND deleted_at IS NULL AND id <> ?", moduleID, id).
		Order("position, id").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("courses: list lessons: %w", err)
	}
	return s.number(ctx, &lessonRow{}, insertAt(ids, id, pos))
}

func (s *Store) renumberLessons(ctx context.Context, moduleID string) error {
	return s.placeLesson(ctx, moduleID, "", 0)
}

// placeModule puts module id at position pos (clamped) among the course's
// modules and numbers them 1..n; id "" only renumbers.
func (s *Store) placeModule(ctx context.Context, courseID, id string, pos int) error {
	var ids []string
	if err := s.conn(ctx).Model(&moduleRow{}).Where("course_id = ? AND deleted_at IS NULL AND id <> ?", courseID, id).
		Order("position, id").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("courses: list modules: %w", err)
	}
	return s.number(ctx, &moduleRow{}, insertAt(ids, id, pos))
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

// number gives the rows named by ids positions 1..n, writing only those
// whose position changes.
func (s *Store) number(ctx context.Context, model any, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID       string
		Position int
	}
	if err := s.conn(ctx).Model(model).Select("id", "position").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return fmt.Errorf("courses: load positions: %w", err)
	}
	have := map[string]int{}
	for _, r := range rows {
		have[r.ID] = r.Position
	}
	for i, id := range ids {
		if have[id] == i+1 {
			continue
		}
		if err := s.conn(ctx).Model(model).Where("id = ?", id).Update("position", i+1).Error; err != nil {
			return fmt.Errorf("courses: set position: %w", err)
		}
	}
	return nil
}

// lessonsDeletedMigration lets a deleted lesson or module keep its row
// (see above).
func lessonsDeletedMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290400_course_lessons_deleted",
		Migrate: func(tx *gorm.DB) error {
			type courseLesson struct {
				DeletedAt *time.Time
			}
			type courseModule struct {
				DeletedAt *time.Time
			}
			if err := tx.Migrator().AddColumn(&courseModule{}, "DeletedAt"); err != nil {
				return err
			}
			return tx.Migrator().AddColumn(&courseLesson{}, "DeletedAt")
		},
	}
}

// MarkChanged records that a course's working copy changed since its last
// publish (for the assessments domain, whose bank and settings are part of
// the working copy).
func (s *Service) MarkChanged(ctx context.Context, courseID string) error {
	return s.store.Touch(ctx, courseID, s.now())
}
