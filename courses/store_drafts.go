// store_drafts.go holds the store's drafts: courses, modules and lessons being edited.

package courses

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

// ErrSlugTaken is returned when a slug is in use.
var ErrSlugTaken = web.DetailCourseSlugTaken.Conflict()

func encodeTags(tags []string) string {
	if tags == nil {
		tags = []string{}
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

func decodeTags(s string) []string {
	var tags []string
	_ = json.Unmarshal([]byte(s), &tags)
	if tags == nil {
		tags = []string{}
	}
	return tags
}

func (r courseRow) domain() Course {
	c := Course{ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Language: r.Language,
		Tags: decodeTags(r.Tags), EstimatedMinutes: r.EstimatedMinutes, CertificateValidityDays: r.CertificateValidityDays,
		Translates: r.Translates, Version: r.PublishedVersion, Dirty: r.Dirty, CreatedAt: r.CreatedAt}
	if r.OwnerID != nil {
		c.OwnerID = *r.OwnerID
	}
	return c
}

// CreateCourse inserts the course head (no modules).
func (s *Store) CreateCourse(ctx context.Context, c Course, now time.Time) error {
	row := courseRow{ID: c.ID, Slug: c.Slug, Title: c.Title, Summary: c.Summary, Language: c.Language, Tags: encodeTags(c.Tags),
		EstimatedMinutes: c.EstimatedMinutes, CertificateValidityDays: c.CertificateValidityDays, Translates: c.Translates,
		Dirty: true, CreatedAt: now, UpdatedAt: now}
	if c.OwnerID != "" {
		row.OwnerID = &c.OwnerID
	}
	return dbx.WriteErr(s.conn(ctx).Create(&row).Error, ErrSlugTaken, "courses: create course")
}

// CourseHead loads a course without its modules, by id or slug.
func (s *Store) CourseHead(ctx context.Context, idOrSlug string) (Course, error) {
	var row courseRow
	err := s.conn(ctx).Where("id = ? OR slug = ?", idOrSlug, idOrSlug).Take(&row).Error
	if err := dbx.LoadErr(err, "course", "courses: load course"); err != nil {
		return Course{}, err
	}
	return row.domain(), nil
}

// LockCourse loads the course head for update inside a transaction, so
// concurrent edits and publishes of one course queue up.
func (s *Store) LockCourse(ctx context.Context, id string) (Course, error) {
	q := s.conn(ctx)
	if dbx.DialectOf(s.db) == dbx.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return dbx.ByID(q, id, "course", "courses: lock course", courseRow.domain)
}

// Course loads the working copy with modules and lessons.
func (s *Store) Course(ctx context.Context, idOrSlug string) (Course, error) {
	c, err := s.CourseHead(ctx, idOrSlug)
	if err != nil {
		return Course{}, err
	}
	c.Modules, err = s.modules(ctx, c.ID)
	return c, err
}

func (s *Store) modules(ctx context.Context, courseID string) ([]Module, error) {
	var mods []moduleRow
	if err := s.conn(ctx).Where("course_id = ? AND deleted_at IS NULL", courseID).Order("position, id").Find(&mods).Error; err != nil {
		return nil, fmt.Errorf("courses: load modules: %w", err)
	}
	var lessons []lessonRow
	if err := s.conn(ctx).Where("course_id = ? AND deleted_at IS NULL", courseID).Order("position, id").Find(&lessons).Error; err != nil {
		return nil, fmt.Errorf("courses: load lessons: %w", err)
	}
	out := make([]Module, len(mods))
	index := map[string]int{}
	for i, m := range mods {
		out[i] = Module{ID: m.ID, Title: m.Title, Position: m.Position, Lessons: []Lesson{}}
		index[m.ID] = i
	}
	for _, l := range lessons {
		if i, ok := index[l.ModuleID]; ok {
			out[i].Lessons = append(out[i].Lessons, l.domain())
		}
	}
	return out, nil
}

func (r lessonRow) domain() Lesson {
	return Lesson{ID: r.ID, ModuleID: r.ModuleID, CourseID: r.CourseID, Title: r.Title, Position: r.Position,
		BodyMarkdown: r.BodyMarkdown, BodyHTML: r.BodyHTML, Minutes: r.Minutes}
}

// CourseChange is a PATCH of the course head; nil fields stay.
type CourseChange struct {
	Slug, Title, Summary, Language, Translates *string
	Tags                                       *[]string
	EstimatedMinutes, CertificateValidityDays  *int
}

// UpdateCourse applies ch and marks the working copy changed.
func (s *Store) UpdateCourse(ctx context.Context, id string, ch CourseChange, now time.Time) error {
	cols := map[string]any{"updated_at": now, "dirty": true}
	set := func(col string, v *string) {
		if v != nil {
			cols[col] = *v
		}
	}
	set("slug", ch.Slug)
	set("title", ch.Title)
	set("summary", ch.Summary)
	set("language", ch.Language)
	set("translates", ch.Translates)
	if ch.Tags != nil {
		cols["tags"] = encodeTags(*ch.Tags)
	}
	if ch.EstimatedMinutes != nil {
		cols["estimated_minutes"] = *ch.EstimatedMinutes
	}
	if ch.CertificateValidityDays != nil {
		cols["certificate_validity_days"] = *ch.CertificateValidityDays
	}
	return dbx.WriteErr(s.conn(ctx).Model(&courseRow{}).Where("id = ?", id).Updates(cols).Error, ErrSlugTaken, "courses: update course")
}

// Touch marks the working copy changed since the last publish.
func (s *Store) Touch(ctx context.Context, id string, now time.Time) error {
	return s.conn(ctx).Model(&courseRow{}).Where("id = ?", id).Updates(map[string]any{"dirty": true, "updated_at": now}).Error
}

// InsertModule adds a module at position, shifting later ones down.
func (s *Store) InsertModule(ctx context.Context, m Module, courseID, sourceKey string) error {
	if err := s.conn(ctx).Model(&moduleRow{}).Where("course_id = ? AND position >= ?", courseID, m.Position).
		Update("position", gorm.Expr("position + 1")).Error; err != nil {
		return fmt.Errorf("courses: shift modules: %w", err)
	}
	row := moduleRow{ID: m.ID, CourseID: courseID, Title: m.Title, Position: m.Position, SourceKey: sourceKey}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("courses: create module: %w", err)
	}
	return nil
}

// ModuleCourse returns the course id of a module.
func (s *Store) ModuleCourse(ctx context.Context, moduleID string) (string, error) {
	var row moduleRow
	err := s.conn(ctx).Select("id", "course_id").Where("id = ? AND deleted_at IS NULL", moduleID).Take(&row).Error
	if err := dbx.LoadErr(err, "module", "courses: load module"); err != nil {
		return "", err
	}
	return row.CourseID, nil
}

// NextPosition returns 1 + the largest position among rows of table where
// col = id.
func (s *Store) NextPosition(ctx context.Context, table, col, id string) (int, error) {
	var n *int
	err := s.conn(ctx).Table(table).Where(col+" = ?", id).Select("MAX(position)").Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("courses: next position: %w", err)
	}
	if n == nil {
		return 1, nil
	}
	return *n + 1, nil
}

// InsertLesson adds a lesson at its position, shifting later ones down.
func (s *Store) InsertLesson(ctx context.Context, l Lesson, sourceKey string) error {
	if err := s.conn(ctx).Model(&lessonRow{}).Where("module_id = ? AND position >= ?", l.ModuleID, l.Position).
		Update("position", gorm.Expr("position + 1")).Error; err != nil {
		return fmt.Errorf("courses: shift lessons: %w", err)
	}
	row := lessonRow{ID: l.ID, CourseID: l.CourseID, ModuleID: l.ModuleID, Title: l.Title, Position: l.Position,
		BodyMarkdown: l.BodyMarkdown, BodyHTML: l.BodyHTML, Minutes: l.Minutes, SourceKey: sourceKey}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("courses: create lesson: %w", err)
	}
	return nil
}

// LessonDraft loads a lesson of a working copy.
func (s *Store) LessonDraft(ctx context.Context, id string) (Lesson, error) {
	return dbx.ByID(s.conn(ctx), id, "lesson", "courses: load lesson", lessonRow.domain)
}

// ReplaceContent swaps a course's modules and lessons for the ones given,
// keeping the ids of lessons and modules whose source keys match, so that
// learners' progress survives a re-import.
func (s *Store) ReplaceContent(ctx context.Context, courseID string, mods []Module, modKeys []string, lessonKeys [][]string) error {
	var oldMods []moduleRow
	if err := s.conn(ctx).Where("course_id = ?", courseID).Find(&oldMods).Error; err != nil {
		return err
	}
	var oldLessons []lessonRow
	if err := s.conn(ctx).Where("course_id = ?", courseID).Find(&oldLessons).Error; err != nil {
		return err
	}
	modByKey := map[string]string{}
	for _, m := range oldMods {
		modByKey[m.SourceKey] = m.ID
	}
	lessonByKey := map[string]string{}
	for _, l := range oldLessons {
		lessonByKey[l.SourceKey] = l.ID
	}
	keepMods, keepLessons := map[string]bool{}, map[string]bool{}
	for i := range mods {
		if id, ok := modByKey[modKeys[i]]; ok && modKeys[i] != "" {
			mods[i].ID = id
		}
		keepMods[mods[i].ID] = true
		row := moduleRow{ID: mods[i].ID, CourseID: courseID, Title: mods[i].Title, Position: mods[i].Position, SourceKey: modKeys[i]}
		if err := s.conn(ctx).Save(&row).Error; err != nil {
			return fmt.Errorf("courses: save module: %w", err)
		}
		for j := range mods[i].Lessons {
			l := &mods[i].Lessons[j]
			if id, ok := lessonByKey[lessonKeys[i][j]]; ok && lessonKeys[i][j] != "" {
				l.ID = id
			}
			l.ModuleID, l.CourseID = mods[i].ID, courseID
			keepLessons[l.ID] = true
			lr := lessonRow{ID: l.ID, CourseID: courseID, ModuleID: l.ModuleID, Title: l.Title, Position: l.Position,
				BodyMarkdown: l.BodyMarkdown, BodyHTML: l.BodyHTML, Minutes: l.Minutes, SourceKey: lessonKeys[i][j]}
			if err := s.conn(ctx).Save(&lr).Error; err != nil {
				return fmt.Errorf("courses: save lesson: %w", err)
			}
		}
	}
	for _, l := range oldLessons {
		if !keepLessons[l.ID] {
			if err := s.conn(ctx).Delete(&lessonRow{}, "id = ?", l.ID).Error; err != nil {
				return err
			}
		}
	}
	for _, m := range oldMods {
		if !keepMods[m.ID] {
			if err := s.conn(ctx).Delete(&moduleRow{}, "id = ?", m.ID).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
