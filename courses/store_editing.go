package courses

import (
	"context"
	"fmt"
	"time"

	"skillgate/app/dbx"
)

// The working copy's lessons and modules as the editing rules
// (editing.go) change them.

// renameModule sets a module's title.
func (s *Store) renameModule(ctx context.Context, id, title string) error {
	if err := s.conn(ctx).Model(&moduleRow{}).Where("id = ?", id).Update("title", title).Error; err != nil {
		return fmt.Errorf("courses: rename module: %w", err)
	}
	return nil
}

// liveLessonCount counts the lessons of a module that are not deleted.
func (s *Store) liveLessonCount(ctx context.Context, moduleID string) (int64, error) {
	var n int64
	if err := s.conn(ctx).Model(&lessonRow{}).Where("module_id = ? AND deleted_at IS NULL", moduleID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("courses: count lessons: %w", err)
	}
	return n, nil
}

// deleteModule marks a module deleted (its row stays, at position 0).
func (s *Store) deleteModule(ctx context.Context, id string, now time.Time) error {
	if err := s.conn(ctx).Model(&moduleRow{}).Where("id = ?", id).
		Updates(map[string]any{"deleted_at": now, "position": 0}).Error; err != nil {
		return fmt.Errorf("courses: delete module: %w", err)
	}
	return nil
}

// lessonSources maps the ids of a course's lessons (deleted ones too) to
// their source keys.
func (s *Store) lessonSources(ctx context.Context, courseID string) (map[string]string, error) {
	var rows []lessonRow
	if err := s.conn(ctx).Select("id", "source_key").Where("course_id = ?", courseID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: list lessons: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.SourceKey
	}
	return out, nil
}

// liveLesson loads a lesson of a working copy that has not been deleted.
func (s *Store) liveLesson(ctx context.Context, id string) (Lesson, error) {
	var row lessonRow
	err := s.conn(ctx).Where("id = ? AND deleted_at IS NULL", id).Take(&row).Error
	if err := dbx.LoadErr(err, "lesson", "courses: load lesson"); err != nil {
		return Lesson{}, err
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
	return s.place(ctx, &lessonRow{}, "module_id", moduleID, id, pos, "lessons")
}

func (s *Store) renumberLessons(ctx context.Context, moduleID string) error {
	return s.placeLesson(ctx, moduleID, "", 0)
}

// placeModule puts module id at position pos (clamped) among the course's
// modules and numbers them 1..n; id "" only renumbers.
func (s *Store) placeModule(ctx context.Context, courseID, id string, pos int) error {
	return s.place(ctx, &moduleRow{}, "course_id", courseID, id, pos, "modules")
}

// place puts row id at position pos (clamped) among the live rows of
// model whose parentCol is parentID and numbers them 1..n; id "" only
// renumbers. what names the rows in errors ("lessons", "modules").
func (s *Store) place(ctx context.Context, model any, parentCol, parentID, id string, pos int, what string) error {
	var ids []string
	if err := s.conn(ctx).Model(model).Where(parentCol+" = ? AND deleted_at IS NULL AND id <> ?", parentID, id).
		Order("position, id").Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("courses: list %s: %w", what, err)
	}
	return s.number(ctx, model, insertAt(ids, id, pos))
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
