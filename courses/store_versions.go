// store_versions.go holds the store's published versions and their cache.

package courses

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

func versionKey(courseID string, number int) string { return courseID + "@" + strconv.Itoa(number) }

// SaveVersion stores a published snapshot as the current version and
// records it on the course head, announcing the change in the same
// transaction.
func (s *Store) SaveVersion(ctx context.Context, c Course, snap Snapshot, number int, now time.Time) error {
	raw, err := json.Marshal(snap)
	if err != nil {
		return fmt.Errorf("courses: encode snapshot: %w", err)
	}
	if err := s.conn(ctx).Model(&versionRow{}).Where("course_id = ? AND is_current = ?", c.ID, true).
		Update("is_current", false).Error; err != nil {
		return fmt.Errorf("courses: retire version: %w", err)
	}
	outline, err := json.Marshal(snap.outline())
	if err != nil {
		return fmt.Errorf("courses: encode outline: %w", err)
	}
	row := versionRow{ID: dbx.NewID(), CourseID: c.ID, Version: number, IsCurrent: true, Slug: c.Slug, Title: snap.Title,
		Summary: snap.Summary, Language: snap.Language, Tags: encodeTags(snap.Tags), Snapshot: string(raw), Outline: string(outline),
		SearchText: snap.searchText(), PublishedAt: now}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		if dbx.IsDuplicate(err) {
			return web.DetailVersionRace.Conflict()
		}
		return fmt.Errorf("courses: save version: %w", err)
	}
	res := s.conn(ctx).Model(&courseRow{}).Where("id = ? AND published_version = ?", c.ID, number-1).
		Updates(map[string]any{"published_version": number, "dirty": false, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("courses: record version: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return web.DetailCourseRace.Conflict()
	}
	return s.changed(ctx, c.ID)
}

func (r versionRow) domain() (Version, error) {
	v := Version{CourseID: r.CourseID, Slug: r.Slug, Number: r.Version, PublishedAt: r.PublishedAt}
	doc := r.Snapshot
	if doc == "" {
		doc = r.Outline // a catalogue row: outline only
	}
	if err := json.Unmarshal([]byte(doc), &v.Snapshot); err != nil {
		return Version{}, fmt.Errorf("courses: decode snapshot: %w", err)
	}
	return v, nil
}

// CurrentVersion loads the current published version of a course (by id or
// slug). Outside a transaction both which version is current and the
// version itself come from memory; inside one, one small query names it.
func (s *Store) CurrentVersion(ctx context.Context, idOrSlug string) (Version, error) {
	if !dbx.InTx(ctx) {
		head, err := s.PublishedHead(ctx, idOrSlug)
		if err != nil {
			return Version{}, err
		}
		return s.VersionByNumber(ctx, head.ID, head.Version)
	}
	var head struct {
		CourseID string
		Version  int
	}
	err := s.conn(ctx).Model(&versionRow{}).Select("course_id", "version").
		Where("(course_id = ? OR slug = ?) AND is_current = ?", idOrSlug, idOrSlug, true).Take(&head).Error
	if err := dbx.LoadErr(err, "course", "courses: find current version"); err != nil {
		return Version{}, err
	}
	return s.VersionByNumber(ctx, head.CourseID, head.Version)
}

// VersionByNumber loads one published version, from memory when this
// process has read it before. A version read inside a transaction is not
// kept: it may be the transaction's own, not yet (or never) committed.
func (s *Store) VersionByNumber(ctx context.Context, courseID string, number int) (Version, error) {
	key := versionKey(courseID, number)
	if v, ok := s.caches.versions.Get(key); ok {
		return v, nil
	}
	gen := s.caches.versions.Generation()
	var row versionRow
	err := s.conn(ctx).Where("course_id = ? AND version = ?", courseID, number).Take(&row).Error
	if err := dbx.LoadErr(err, "course version", "courses: load version"); err != nil {
		return Version{}, err
	}
	v, err := row.domain()
	if err != nil {
		return Version{}, err
	}
	if !dbx.InTx(ctx) {
		s.caches.versions.Put(gen, key, v)
	}
	return v, nil
}

// VersionsOf loads the current versions of the courses named; courses not
// published are left out.
func (s *Store) VersionsOf(ctx context.Context, courseIDs []string) (map[string]Version, error) {
	out := map[string]Version{}
	if len(courseIDs) == 0 {
		return out, nil
	}
	if dbx.InTx(ctx) {
		var rows []versionRow
		if err := s.conn(ctx).Where("course_id IN ? AND is_current = ?", courseIDs, true).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("courses: load versions: %w", err)
		}
		for _, r := range rows {
			v, err := r.domain()
			if err != nil {
				return nil, err
			}
			out[r.CourseID] = v
		}
		return out, nil
	}
	for _, id := range courseIDs {
		if _, ok := out[id]; ok {
			continue
		}
		v, err := s.CurrentVersion(ctx, id)
		if web.IsKind(err, web.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, nil
}
