// store_current.go holds what every reader of the catalogue shares: which
// version of each course is current, its outline and its publisher, kept
// in memory and dropped when the change bus says a course changed.

package courses

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// currentKey is the one entry of the current-set cache: the set is small
// (one outline per published course) and any change rebuilds it whole.
const currentKey = "all"

// currentSet is every published course's current version as an outline,
// ordered by course id, with the indexes that readers look things up by.
// It is shared by all callers and never changed once built; each caller's
// filters (search, language, tag, paging) are applied to it in memory.
type currentSet struct {
	list    []currentEntry
	byID    map[string]int
	bySlug  map[string]int
	lessons map[string]int // lesson id → index of its course
}

// currentEntry is one published course.
type currentEntry struct {
	outline   Version // the current version without lesson bodies or assessments
	publisher Publisher
	// What the catalogue search matches, folded as the database folds it
	// (see foldLike): title, summary and encoded tags as LOWER() gives
	// them, the encoded tags as a LIKE on the column compares them, and
	// the search text (folded when written).
	title, summary, tags, tagItems, searchText string
}

// foldLike folds text as the catalogue's SQL did, so that a search from
// memory finds exactly what it found in the database. PostgreSQL's LOWER
// folds every letter and its LIKE is case-sensitive; SQLite's LOWER folds
// ASCII letters only and its LIKE ignores ASCII case.
type foldLike struct{ sqlite bool }

// lower is LOWER(column) as the database compares it in a LIKE.
func (f foldLike) lower(s string) string {
	if f.sqlite {
		return asciiLower(s)
	}
	return strings.ToLower(s)
}

// column is a bare column as the database compares it in a LIKE.
func (f foldLike) column(s string) string {
	if f.sqlite {
		return asciiLower(s)
	}
	return s
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// find returns the course by id, or else by slug.
func (cs *currentSet) find(idOrSlug string) (*currentEntry, bool) {
	i, ok := cs.byID[idOrSlug]
	if !ok {
		i, ok = cs.bySlug[idOrSlug]
	}
	if !ok {
		return nil, false
	}
	return &cs.list[i], true
}

// matches applies the catalogue filter as the SQL of store_catalogue.go
// does: language exactly, the tag as a quoted item of the encoded tags,
// the query as a substring of title, summary, tags or lesson titles.
func (e *currentEntry) matches(f CatalogueFilter, fold foldLike) bool {
	if f.Language != "" && e.outline.Language != f.Language {
		return false
	}
	if f.Tag != "" && !strings.Contains(e.tagItems, fold.column(strings.ToLower(`"`+f.Tag+`"`))) {
		return false
	}
	if f.Query != "" {
		q := fold.column(strings.ToLower(f.Query))
		if !strings.Contains(e.title, q) && !strings.Contains(e.summary, q) && !strings.Contains(e.tags, q) &&
			!strings.Contains(e.searchText, q) {
			return false
		}
	}
	return true
}

// storeCaches are the store's in-process caches.
type storeCaches struct {
	// current is the current set, rebuilt after any course change.
	current *dbx.Cache[*currentSet]
	// loading lets one request rebuild the current set while the others
	// wait for it, rather than all of them reading the same rows.
	loading sync.Mutex
	// versions holds decoded published versions by course and number: a
	// published version never changes, so they need no invalidation; only
	// versions read outside a transaction (so committed) are kept.
	versions *dbx.Cache[Version]
	// packages holds each course's encoded offline package for its current
	// version, dropped when the course changes (a re-import may change its
	// pictures without a new version).
	packages *dbx.Cache[encodedPackage]
	// catalogues holds encoded catalogue answers for callers who see no
	// drafts, by page and filter: the same for all of them.
	catalogues *dbx.Cache[web.Precompressed]
	// lessons holds each published lesson's answer as sent to learners,
	// encoded and compressed once; any course change drops them all.
	lessons *dbx.Cache[web.Precompressed]
	// enrolled remembers that a learner is enrolled in a course (only the
	// yes: an enrollment, once made, goes only with its learner's account,
	// whose erasure is announced on the accounts topic and drops them all).
	enrolled *dbx.Cache[struct{}]
}

func newStoreCaches(bus *dbx.Changes) *storeCaches {
	return &storeCaches{
		current:  dbx.NewCache[*currentSet](1, bus, dbx.TopicCourses, false),
		versions: dbx.NewCache[Version](256, nil, "", false),
		packages: dbx.NewCache[encodedPackage](64, bus, dbx.TopicCourses, true),
		// Any change may move any page: all are dropped.
		catalogues: dbx.NewCache[web.Precompressed](512, bus, dbx.TopicCourses, false),
		lessons:    dbx.NewCache[web.Precompressed](4096, bus, dbx.TopicCourses, false),
		enrolled:   dbx.NewCache[struct{}](100000, bus, dbx.TopicAccounts, false),
	}
}

// changed records that what readers of the course see changed (a publish,
// an endorsement, its pictures), in the transaction of ctx: every
// replica's caches drop it once that commits.
func (s *Store) changed(ctx context.Context, courseID string) error {
	if s.bus != nil {
		if err := s.bus.Publish(ctx, dbx.TopicCourses, courseID); err != nil {
			return fmt.Errorf("courses: announce change of %s: %w", courseID, err)
		}
		return nil
	}
	// Without a bus (a service not wired to one) this process's caches are
	// the only ones, and are dropped directly.
	dbx.AfterCommit(ctx, func() {
		s.caches.current.Flush()
		s.caches.catalogues.Flush()
		s.caches.lessons.Flush()
		s.caches.packages.Delete(courseID)
	})
	return nil
}

// current returns the current set, from memory when no course changed
// since it was built. Inside a transaction it returns ok false: the
// caller reads the database, which may hold the transaction's own changes.
func (s *Store) current(ctx context.Context) (*currentSet, bool, error) {
	if dbx.InTx(ctx) {
		return nil, false, nil
	}
	c := s.caches.current
	if cs, ok := c.Get(currentKey); ok {
		return cs, true, nil
	}
	gen := c.Generation()
	s.caches.loading.Lock()
	defer s.caches.loading.Unlock()
	if cs, ok := c.Get(currentKey); ok {
		return cs, true, nil
	}
	cs, err := s.loadCurrent(ctx)
	if err != nil {
		return nil, false, err
	}
	// Kept only if no change arrived while reading (gen was taken before).
	c.Put(gen, currentKey, cs)
	return cs, true, nil
}

// loadCurrent reads every current version's outline and publisher.
func (s *Store) loadCurrent(ctx context.Context) (*currentSet, error) {
	var rows []versionRow
	if err := s.conn(ctx).Model(&versionRow{}).Omit("snapshot").Where("is_current = ?", true).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: load current versions: %w", err)
	}
	slices.SortFunc(rows, func(a, b versionRow) int { return strings.Compare(a.CourseID, b.CourseID) })
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.CourseID
	}
	pubs, err := s.publishers(ctx, ids)
	if err != nil {
		return nil, err
	}
	fold := s.fold()
	cs := &currentSet{list: make([]currentEntry, len(rows)), byID: map[string]int{}, bySlug: map[string]int{}, lessons: map[string]int{}}
	for i, r := range rows {
		v, err := r.domain()
		if err != nil {
			return nil, err
		}
		cs.list[i] = currentEntry{outline: v, publisher: pubs[r.CourseID], title: fold.lower(r.Title), summary: fold.lower(r.Summary),
			tags: fold.lower(r.Tags), tagItems: fold.column(r.Tags), searchText: fold.column(r.SearchText)}
		cs.byID[r.CourseID] = i
		cs.bySlug[r.Slug] = i
		for _, l := range v.Lessons() {
			cs.lessons[l.ID] = i
		}
	}
	return cs, nil
}

// fold is how this store's database folds case in the catalogue's LIKEs.
func (s *Store) fold() foldLike { return foldLike{sqlite: dbx.DialectOf(s.db) == dbx.SQLite} }

// publishers reads the publishers of courses by id, from the database.
func (s *Store) publishers(ctx context.Context, ids []string) (map[string]Publisher, error) {
	out := map[string]Publisher{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID         string
		OwnerID    *string
		EndorsedAt *time.Time
	}
	for chunk := range slices.Chunk(ids, 500) {
		rows = rows[:0]
		err := s.conn(ctx).Table("courses").
			Select("courses.id, courses.owner_id, course_endorsements.endorsed_at").
			Joins("LEFT JOIN course_endorsements ON course_endorsements.course_id = courses.id").
			Where("courses.id IN ?", chunk).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("courses: load publishers: %w", err)
		}
		for _, r := range rows {
			p := Publisher{CourseID: r.ID, Endorsed: r.OwnerID == nil || *r.OwnerID == "" || r.EndorsedAt != nil}
			if r.OwnerID != nil {
				p.OwnerID = *r.OwnerID
			}
			out[r.ID] = p
		}
	}
	return out, nil
}

// Publishers describes the publishers of courses by id; unknown ids are
// left out. Published courses' come from memory.
func (s *Store) Publishers(ctx context.Context, ids []string) (map[string]Publisher, error) {
	cs, ok, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		return s.publishers(ctx, ids)
	}
	out := make(map[string]Publisher, len(ids))
	var missing []string
	for _, id := range ids {
		if i, ok := cs.byID[id]; ok {
			out[id] = cs.list[i].publisher
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		// Drafts, never published: their publisher is read each time.
		more, err := s.publishers(ctx, missing)
		if err != nil {
			return nil, err
		}
		for id, p := range more {
			out[id] = p
		}
	}
	return out, nil
}

// PublishedHead names the current version of a published course (by id or
// slug) with its owner, as CourseHead would, from memory when it can.
func (s *Store) PublishedHead(ctx context.Context, idOrSlug string) (Course, error) {
	cs, ok, err := s.current(ctx)
	if err != nil {
		return Course{}, err
	}
	if !ok {
		c, err := s.CourseHead(ctx, idOrSlug)
		if err == nil && c.Version == 0 {
			err = web.NotFound("course")
		}
		return c, err
	}
	e, ok := cs.find(idOrSlug)
	if !ok {
		// Unknown or never published: the same answer either way.
		return Course{}, web.NotFound("course")
	}
	return Course{ID: e.outline.CourseID, Slug: e.outline.Slug, OwnerID: e.publisher.OwnerID, Version: e.outline.Number}, nil
}

// LessonCourseID names the published course whose current version holds
// the lesson, from memory when it can; ok is false when none does.
func (s *Store) LessonCourseID(ctx context.Context, lessonID string) (string, bool, error) {
	cs, ok, err := s.current(ctx)
	if err != nil {
		return "", false, err
	}
	if ok {
		i, found := cs.lessons[lessonID]
		if !found {
			return "", false, nil
		}
		return cs.list[i].outline.CourseID, true, nil
	}
	draft, err := s.LessonDraft(ctx, lessonID)
	if web.IsKind(err, web.KindNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return draft.CourseID, true, nil
}
