package courses

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type courseRow struct {
	ID                      string  `gorm:"primaryKey;size:36"`
	Slug                    string  `gorm:"size:100;not null;uniqueIndex"`
	OwnerID                 *string `gorm:"size:36;index"`
	Title                   string  `gorm:"size:200;not null"`
	Summary                 string  `gorm:"size:2000;not null"`
	Language                string  `gorm:"size:35;not null"`
	Tags                    string  `gorm:"size:1000;not null"`
	EstimatedMinutes        int     `gorm:"not null"`
	CertificateValidityDays int     `gorm:"not null"`
	Translates              string  `gorm:"size:100;not null"`
	PublishedVersion        int     `gorm:"not null"`
	Dirty                   bool    `gorm:"not null"`
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

func (courseRow) TableName() string { return "courses" }

type moduleRow struct {
	ID        string `gorm:"primaryKey;size:36"`
	CourseID  string `gorm:"size:36;not null;index"`
	Title     string `gorm:"size:200;not null"`
	Position  int    `gorm:"not null"`
	SourceKey string `gorm:"size:200;not null"`
	DeletedAt *time.Time
}

func (moduleRow) TableName() string { return "course_modules" }

type lessonRow struct {
	ID           string `gorm:"primaryKey;size:36"`
	CourseID     string `gorm:"size:36;not null;index"`
	ModuleID     string `gorm:"size:36;not null;index"`
	Title        string `gorm:"size:200;not null"`
	Position     int    `gorm:"not null"`
	BodyMarkdown string `gorm:"not null"`
	BodyHTML     string `gorm:"not null"`
	Minutes      int    `gorm:"not null"`
	SourceKey    string `gorm:"size:200;not null"`
	DeletedAt    *time.Time
}

func (lessonRow) TableName() string { return "course_lessons" }

type versionRow struct {
	ID          string `gorm:"primaryKey;size:36"`
	CourseID    string `gorm:"size:36;not null"`
	Version     int    `gorm:"not null"`
	IsCurrent   bool   `gorm:"not null"`
	Slug        string `gorm:"size:100;not null"`
	Title       string `gorm:"size:200;not null"`
	Summary     string `gorm:"size:2000;not null"`
	Language    string `gorm:"size:35;not null"`
	Tags        string `gorm:"size:1000;not null"`
	Snapshot    string `gorm:"not null"`
	Outline     string `gorm:"not null"`
	SearchText  string `gorm:"not null"`
	PublishedAt time.Time
}

func (versionRow) TableName() string { return "course_versions" }

type enrollmentRow struct {
	ID          string `gorm:"primaryKey;size:36"`
	CourseID    string `gorm:"size:36;not null"`
	UserID      string `gorm:"size:36;not null"`
	Version     int    `gorm:"not null"`
	CreatedAt   time.Time
	CompletedAt *time.Time
}

func (enrollmentRow) TableName() string { return "enrollments" }

type completionRow struct {
	EnrollmentID string `gorm:"primaryKey;size:36"`
	LessonID     string `gorm:"primaryKey;size:36"`
	CompletedAt  time.Time
}

func (completionRow) TableName() string { return "lesson_completions" }

// Store persists courses.
type Store struct {
	db *gorm.DB
	// versions caches decoded published versions by course and number:
	// they never change once published, so every replica may keep them.
	versions *versionCache
	outlines *versionCache
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, versions: newVersionCache(256), outlines: newVersionCache(1024)}
}

// versionCache is a small bounded cache of decoded versions.
type versionCache struct {
	mu    sync.Mutex
	max   int
	items map[string]Version
	order []string
}

func newVersionCache(max int) *versionCache {
	return &versionCache{max: max, items: map[string]Version{}}
}

func versionKey(courseID string, number int) string { return courseID + "@" + strconv.Itoa(number) }

func (c *versionCache) get(courseID string, number int) (Version, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[versionKey(courseID, number)]
	return v, ok
}

func (c *versionCache) put(v Version) {
	key := versionKey(v.CourseID, v.Number)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; ok {
		return
	}
	if len(c.order) >= c.max {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.items[key] = v
	c.order = append(c.order, key)
}

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

// ErrSlugTaken is returned when a slug is in use.
var ErrSlugTaken = web.Conflict("a course with this slug already exists")

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
	err := s.conn(ctx).Create(&row).Error
	if dbx.IsDuplicate(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("courses: create course: %w", err)
	}
	return nil
}

// CourseHead loads a course without its modules, by id or slug.
func (s *Store) CourseHead(ctx context.Context, idOrSlug string) (Course, error) {
	var row courseRow
	err := s.conn(ctx).Where("id = ? OR slug = ?", idOrSlug, idOrSlug).Take(&row).Error
	if dbx.IsNotFound(err) {
		return Course{}, web.NotFound("course")
	}
	if err != nil {
		return Course{}, fmt.Errorf("courses: load course: %w", err)
	}
	return row.domain(), nil
}

// LockCourse loads the course head for update inside a transaction, so
// concurrent edits and publishes of one course queue up.
func (s *Store) LockCourse(ctx context.Context, id string) (Course, error) {
	var row courseRow
	q := s.conn(ctx)
	if dbx.DialectOf(s.db) == dbx.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Where("id = ?", id).Take(&row).Error
	if dbx.IsNotFound(err) {
		return Course{}, web.NotFound("course")
	}
	if err != nil {
		return Course{}, fmt.Errorf("courses: lock course: %w", err)
	}
	return row.domain(), nil
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
	err := s.conn(ctx).Model(&courseRow{}).Where("id = ?", id).Updates(cols).Error
	if dbx.IsDuplicate(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("courses: update course: %w", err)
	}
	return nil
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
	if dbx.IsNotFound(err) {
		return "", web.NotFound("module")
	}
	if err != nil {
		return "", fmt.Errorf("courses: load module: %w", err)
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
	var row lessonRow
	err := s.conn(ctx).Where("id = ?", id).Take(&row).Error
	if dbx.IsNotFound(err) {
		return Lesson{}, web.NotFound("lesson")
	}
	if err != nil {
		return Lesson{}, fmt.Errorf("courses: load lesson: %w", err)
	}
	return row.domain(), nil
}

// SaveVersion stores a published snapshot as the current version and
// records it on the course head.
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
			return web.Conflict("this version was published concurrently")
		}
		return fmt.Errorf("courses: save version: %w", err)
	}
	res := s.conn(ctx).Model(&courseRow{}).Where("id = ? AND published_version = ?", c.ID, number-1).
		Updates(map[string]any{"published_version": number, "dirty": false, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("courses: record version: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return web.Conflict("the course was published concurrently")
	}
	return nil
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
// slug): one small query names it, and the decoded version comes from the
// cache when this process has read it before.
func (s *Store) CurrentVersion(ctx context.Context, idOrSlug string) (Version, error) {
	var head struct {
		CourseID string
		Version  int
	}
	err := s.conn(ctx).Model(&versionRow{}).Select("course_id", "version").
		Where("(course_id = ? OR slug = ?) AND is_current = ?", idOrSlug, idOrSlug, true).Take(&head).Error
	if dbx.IsNotFound(err) {
		return Version{}, web.NotFound("course")
	}
	if err != nil {
		return Version{}, fmt.Errorf("courses: find current version: %w", err)
	}
	return s.VersionByNumber(ctx, head.CourseID, head.Version)
}

// VersionByNumber loads one published version.
func (s *Store) VersionByNumber(ctx context.Context, courseID string, number int) (Version, error) {
	if v, ok := s.versions.get(courseID, number); ok {
		return v, nil
	}
	var row versionRow
	err := s.conn(ctx).Where("course_id = ? AND version = ?", courseID, number).Take(&row).Error
	if dbx.IsNotFound(err) {
		return Version{}, web.NotFound("course version")
	}
	if err != nil {
		return Version{}, fmt.Errorf("courses: load version: %w", err)
	}
	v, err := row.domain()
	if err != nil {
		return Version{}, err
	}
	s.versions.put(v)
	return v, nil
}

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

// VersionsOf loads the current versions of the courses named.
func (s *Store) VersionsOf(ctx context.Context, courseIDs []string) (map[string]Version, error) {
	out := map[string]Version{}
	if len(courseIDs) == 0 {
		return out, nil
	}
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

func (r enrollmentRow) domain() Enrollment {
	return Enrollment{ID: r.ID, CourseID: r.CourseID, UserID: r.UserID, Version: r.Version, CreatedAt: r.CreatedAt, CompletedAt: r.CompletedAt}
}

// Enrollment loads a user's enrollment in a course.
func (s *Store) Enrollment(ctx context.Context, courseID, userID string) (Enrollment, error) {
	var row enrollmentRow
	err := s.conn(ctx).Where("course_id = ? AND user_id = ?", courseID, userID).Take(&row).Error
	if dbx.IsNotFound(err) {
		return Enrollment{}, web.NotFound("enrollment")
	}
	if err != nil {
		return Enrollment{}, fmt.Errorf("courses: load enrollment: %w", err)
	}
	return row.domain(), nil
}

// CreateEnrollment inserts e; a concurrent duplicate is reported as
// ErrAlreadyEnrolled.
func (s *Store) CreateEnrollment(ctx context.Context, e Enrollment) error {
	row := enrollmentRow{ID: e.ID, CourseID: e.CourseID, UserID: e.UserID, Version: e.Version, CreatedAt: e.CreatedAt}
	err := s.conn(ctx).Create(&row).Error
	if dbx.IsDuplicate(err) {
		return errAlreadyEnrolled
	}
	if err != nil {
		return fmt.Errorf("courses: create enrollment: %w", err)
	}
	return nil
}

var errAlreadyEnrolled = fmt.Errorf("courses: already enrolled")

// Enrollments lists a user's enrollments, up to p.Limit+1 after the cursor.
func (s *Store) Enrollments(ctx context.Context, userID string, p web.Page) ([]Enrollment, error) {
	q := s.conn(ctx).Where("user_id = ?", userID).Order("id").Limit(p.Limit + 1)
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	var rows []enrollmentRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: list enrollments: %w", err)
	}
	out := make([]Enrollment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CompleteLesson records a lesson as done (once).
func (s *Store) CompleteLesson(ctx context.Context, enrollmentID, lessonID string, now time.Time) error {
	row := completionRow{EnrollmentID: enrollmentID, LessonID: lessonID, CompletedAt: now}
	err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("courses: complete lesson: %w", err)
	}
	return nil
}

// CompletedLessons returns the ids of the lessons done per enrollment.
func (s *Store) CompletedLessons(ctx context.Context, enrollmentIDs []string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	if len(enrollmentIDs) == 0 {
		return out, nil
	}
	var rows []completionRow
	if err := s.conn(ctx).Where("enrollment_id IN ?", enrollmentIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: load completions: %w", err)
	}
	for _, r := range rows {
		if out[r.EnrollmentID] == nil {
			out[r.EnrollmentID] = map[string]bool{}
		}
		out[r.EnrollmentID][r.LessonID] = true
	}
	return out, nil
}

// MarkCompleted sets completed_at once.
func (s *Store) MarkCompleted(ctx context.Context, enrollmentID string, now time.Time) error {
	return s.conn(ctx).Model(&enrollmentRow{}).Where("id = ? AND completed_at IS NULL", enrollmentID).
		Update("completed_at", now).Error
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
