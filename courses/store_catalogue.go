// store_catalogue.go holds the store's catalogue: filtered lists of published courses and drafts.

package courses

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"skillgate/app/dbx"
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
// course id, as outlines (no lesson bodies, no assessments). The current
// set is shared by every caller and kept in memory until a course changes;
// the filter and the page are applied to it here.
func (s *Store) Published(ctx context.Context, f CatalogueFilter, p web.Page) ([]Version, error) {
	cs, ok, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		// Inside a transaction: read what it sees, and keep nothing.
		if cs, err = s.loadCurrent(ctx); err != nil {
			return nil, err
		}
	}
	start := 0
	if p.After != "" {
		start, _ = slices.BinarySearchFunc(cs.list, p.After, func(e currentEntry, after string) int {
			if e.outline.CourseID <= after {
				return -1
			}
			return 1
		})
	}
	out := []Version{}
	fold := s.fold()
	for i := start; i < len(cs.list) && len(out) < p.Limit+1; i++ {
		if e := &cs.list[i]; e.matches(f, fold) {
			out = append(out, e.outline)
		}
	}
	return out, nil
}

// Drafts lists up to p.Limit+1 working copies matching f (owned by
// f.DraftsOf unless f.AllDrafts), ordered by id.
func (s *Store) Drafts(ctx context.Context, f CatalogueFilter, p web.Page) ([]Course, error) {
	q := dbx.PageByID(s.conn(ctx).Model(&courseRow{}), p, false)
	if !f.AllDrafts {
		q = q.Where("owner_id = ?", f.DraftsOf)
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
