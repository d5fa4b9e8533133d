package courses

import (
	"context"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
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
	// bus tells every replica's caches that a course changed; nil for a
	// store of one process only.
	bus    *dbx.Changes
	caches *storeCaches
}

// NewStore returns a store on db whose caches follow bus (which may be
// nil when this process is the only one).
func NewStore(db *gorm.DB, bus *dbx.Changes) *Store {
	return &Store{db: db, bus: bus, caches: newStoreCaches(bus)}
}

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

// InTx runs fn in one transaction, or in ctx's when it carries one, so the
// service groups store calls without holding the database itself.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return dbx.WithTx(ctx, s.db, fn)
}
