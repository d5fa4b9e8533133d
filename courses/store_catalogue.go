// store_catalogue.go holds the store's catalogue: filtered lists of published courses and drafts.

package courses

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"skillgate/app/web"
)

// CatalogueFilter narrows the catalogue.
type CatalogueFilter struct {
	Query    string
	Language string
	Tag      string
	// DraftsOf also lists the working copies of courses this user owns;
	// AllDrafts lists every working copy (admins).
	DraftsOf  string
	AllDrafts bool
}

func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// apply adds the filter's conditions; courses and course_versions name the
// searched columns alike. lessonTitles is the condition that matches the
// query against lesson and module titles, with one placeholder.
func (f CatalogueFilter) apply(q *gorm.DB, lessonTitles string) *gorm.DB {
	if f.Language != "" {
		q = q.Where("language = ?", f.Language)
	}
	if f.Tag != "" {
		q = q.Where("tags LIKE ? ESCAPE '\\'", likePattern(`"`+f.Tag+`"`))
	}
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where("(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(summary) LIKE ? ESCAPE '\\' OR LOWER(tags) LIKE ? ESCAPE '\\' OR "+
			lessonTitles+")", pat, pat, pat, pat)
	}
	return q
}

// Published lists up to p.Limit+1 current versions matching f, ordered by
// course id, as outlines (no lesson bodies, no assessments). Outlines are
// immutable per version and kept decoded, so a listing reads only the
// small columns once every version in it has been seen.
func (s *Store) Published(ctx context.Context, f CatalogueFilter, p web.Page) ([]Version, error) {
	q := s.conn(ctx).Model(&versionRow{}).Select("course_id", "version").Where("is_current = ?", true).
		Order("course_id").Limit(p.Limit + 1)
	if p.After != "" {
		q = q.Where("course_id > ?", p.After)
	}
	var heads []versionRow
	if err := f.apply(q, "search_text LIKE ? ESCAPE '\\'").Find(&heads).Error; err != nil {
		return nil, fmt.Errorf("courses: list catalogue: %w", err)
	}
	out := make([]Version, len(heads))
	var missing []string
	for i, h := range heads {
		v, ok := s.outlines.get(h.CourseID, h.Version)
		if !ok {
			missing = append(missing, h.CourseID)
			continue
		}
		out[i] = v
	}
	if len(missing) > 0 {
		var rows []versionRow
		err := s.conn(ctx).Model(&versionRow{}).Omit("snapshot", "search_text").Where("course_id IN ? AND is_current = ?", missing, true).Find(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("courses: load outlines: %w", err)
		}
		for _, r := range rows {
			v, err := r.domain()
			if err != nil {
				return nil, err
			}
			s.outlines.put(v)
			for i, h := range heads {
				if h.CourseID == r.CourseID && h.Version == r.Version {
					out[i] = v
				}
			}
		}
	}
	// A version published between the two queries is simply left out of
	// this page; the next listing shows it.
	kept := out[:0]
	for _, v := range out {
		if v.CourseID != "" {
			kept = append(kept, v)
		}
	}
	return kept, nil
}

// Drafts lists up to p.Limit+1 working copies matching f (owned by
// f.DraftsOf unless f.AllDrafts), ordered by id.
func (s *Store) Drafts(ctx context.Context, f CatalogueFilter, p web.Page) ([]Course, error) {
	q := s.conn(ctx).Model(&courseRow{}).Order("id").Limit(p.Limit + 1)
	if !f.AllDrafts {
		q = q.Where("owner_id = ?", f.DraftsOf)
	}
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	q = f.apply(q, "EXISTS (SELECT 1 FROM course_lessons l WHERE l.course_id = courses.id AND l.deleted_at IS NULL AND LOWER(l.title) LIKE ? ESCAPE '\\')")
	var rows []courseRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: list drafts: %w", err)
	}
	out := make([]Course, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
