package courses

import (
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations returns the courses schema changes in order, each with its
// own frozen copy of the tables it creates.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280200_courses",
		Migrate: func(tx *gorm.DB) error {
			type course struct {
				ID                      string  `gorm:"primaryKey;size:36"`
				Slug                    string  `gorm:"size:100;not null;uniqueIndex:courses_slug_uq"`
				OwnerID                 *string `gorm:"size:36;index:courses_owner_idx"`
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
			type courseModule struct {
				ID        string  `gorm:"primaryKey;size:36"`
				CourseID  string  `gorm:"size:36;not null;index:course_modules_course_idx"`
				Course    *course `gorm:"constraint:OnDelete:CASCADE"`
				Title     string  `gorm:"size:200;not null"`
				Position  int     `gorm:"not null"`
				SourceKey string  `gorm:"size:200;not null"`
			}
			type courseLesson struct {
				ID           string        `gorm:"primaryKey;size:36"`
				CourseID     string        `gorm:"size:36;not null;index:course_lessons_course_idx"`
				Course       *course       `gorm:"constraint:OnDelete:CASCADE"`
				ModuleID     string        `gorm:"size:36;not null;index:course_lessons_module_idx"`
				Module       *courseModule `gorm:"constraint:OnDelete:CASCADE"`
				Title        string        `gorm:"size:200;not null"`
				Position     int           `gorm:"not null"`
				BodyMarkdown string        `gorm:"not null"`
				BodyHTML     string        `gorm:"not null"`
				Minutes      int           `gorm:"not null"`
				SourceKey    string        `gorm:"size:200;not null"`
			}
			type courseVersion struct {
				ID          string  `gorm:"primaryKey;size:36"`
				CourseID    string  `gorm:"size:36;not null;uniqueIndex:course_versions_number_uq,priority:1;index:course_versions_current_idx,priority:2"`
				Course      *course `gorm:"constraint:OnDelete:CASCADE"`
				Version     int     `gorm:"not null;uniqueIndex:course_versions_number_uq,priority:2"`
				IsCurrent   bool    `gorm:"not null;index:course_versions_current_idx,priority:1"`
				Slug        string  `gorm:"size:100;not null"`
				Title       string  `gorm:"size:200;not null"`
				Summary     string  `gorm:"size:2000;not null"`
				Language    string  `gorm:"size:35;not null"`
				Tags        string  `gorm:"size:1000;not null"`
				Snapshot    string  `gorm:"not null"`
				Outline     string  `gorm:"not null"`
				PublishedAt time.Time
			}
			type enrollment struct {
				ID          string  `gorm:"primaryKey;size:36"`
				CourseID    string  `gorm:"size:36;not null;uniqueIndex:enrollments_course_user_uq,priority:1"`
				Course      *course `gorm:"constraint:OnDelete:RESTRICT"`
				UserID      string  `gorm:"size:36;not null;uniqueIndex:enrollments_course_user_uq,priority:2;index:enrollments_user_idx"`
				Version     int     `gorm:"not null"`
				CreatedAt   time.Time
				CompletedAt *time.Time
			}
			type lessonCompletion struct {
				EnrollmentID string      `gorm:"primaryKey;size:36"`
				Enrollment   *enrollment `gorm:"constraint:OnDelete:CASCADE"`
				LessonID     string      `gorm:"primaryKey;size:36"`
				CompletedAt  time.Time
			}
			if err := tx.Migrator().CreateTable(&course{}, &courseModule{}, &courseLesson{}, &courseVersion{}, &enrollment{}, &lessonCompletion{}); err != nil {
				return err
			}
			// At most one current version per course.
			if dbx.DialectOf(tx) == dbx.Postgres {
				return tx.Exec("CREATE UNIQUE INDEX course_versions_one_current ON course_versions (course_id) WHERE is_current").Error
			}
			return tx.Exec("CREATE UNIQUE INDEX course_versions_one_current ON course_versions (course_id) WHERE is_current = 1").Error
		},
	}, {
		// Search finds courses by their lessons' titles: each version keeps
		// its module and lesson titles, lowercased, in one searched column.
		ID: "202611290230_course_versions_search_text",
		Migrate: func(tx *gorm.DB) error {
			if err := tx.Exec("ALTER TABLE course_versions ADD COLUMN search_text TEXT NOT NULL DEFAULT ''").Error; err != nil {
				return err
			}
			var rows []struct {
				ID       string
				Snapshot string
			}
			if err := tx.Table("course_versions").Select("id", "snapshot").Find(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				var snap struct {
					Modules []struct {
						Title   string `json:"title"`
						Lessons []struct {
							Title string `json:"title"`
						} `json:"lessons"`
					} `json:"modules"`
				}
				if err := json.Unmarshal([]byte(r.Snapshot), &snap); err != nil {
					return err
				}
				var titles []string
				for _, m := range snap.Modules {
					titles = append(titles, m.Title)
					for _, l := range m.Lessons {
						titles = append(titles, l.Title)
					}
				}
				if err := tx.Table("course_versions").Where("id = ?", r.ID).
					Update("search_text", strings.ToLower(strings.Join(titles, "\n"))).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}, endorsementMigration(), imagesMigration(), lessonsDeletedMigration()}
}

// imagesMigration stores lesson pictures (SVG, checked at import), served
// from the site and carried in the offline package.
func imagesMigration() *dbx.Migration {
	return &dbx.Migration{
		ID: "202611290300_course_images",
		Migrate: func(tx *gorm.DB) error {
			type course struct {
				ID string `gorm:"primaryKey;size:36"`
			}
			type courseImage struct {
				CourseID  string  `gorm:"primaryKey;size:36"`
				Course    *course `gorm:"constraint:OnDelete:CASCADE"`
				Name      string  `gorm:"primaryKey;size:100"`
				SHA256    string  `gorm:"column:sha256;size:64;not null"`
				SVG       []byte  `gorm:"column:svg;not null"`
				CreatedAt time.Time
			}
			return tx.Migrator().CreateTable(&courseImage{})
		},
	}
}
