package assessments

import (
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// Migrations returns the assessments schema changes in order, each with
// its own frozen copy of the tables it creates.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611280300_assessments",
		Migrate: func(tx *gorm.DB) error {
			type question struct {
				ID          string `gorm:"primaryKey;size:36"`
				CourseID    string `gorm:"size:36;not null;index:questions_course_idx"`
				Type        string `gorm:"size:20;not null"`
				Prompt      string `gorm:"not null"`
				Points      float64
				Tags        string `gorm:"not null"`
				Explanation string `gorm:"not null"`
				Options     string `gorm:"not null"`
				Answer      string `gorm:"not null"`
				SourceKey   string `gorm:"size:200;not null"`
				CreatedAt   time.Time
				UpdatedAt   time.Time
			}
			type assessment struct {
				ID               string `gorm:"primaryKey;size:36"`
				CourseID         string `gorm:"size:36;not null;index:assessments_course_idx"`
				Title            string `gorm:"size:200;not null"`
				Kind             string `gorm:"size:10;not null"`
				QuestionCount    int
				Tags             string `gorm:"not null"`
				TimeLimitSeconds int
				PassPercent      float64
				MaxAttempts      int
				CooldownSeconds  int
				SourceKey        string `gorm:"size:200;not null"`
				CreatedAt        time.Time
				UpdatedAt        time.Time
			}
			type attempt struct {
				ID            string `gorm:"primaryKey;size:36"`
				AssessmentID  string `gorm:"size:36;not null;uniqueIndex:attempts_number_uq,priority:1"`
				CourseID      string `gorm:"size:36;not null"`
				UserID        string `gorm:"size:36;not null;uniqueIndex:attempts_number_uq,priority:2;index:attempts_user_idx"`
				CourseVersion int
				Number        int    `gorm:"not null;uniqueIndex:attempts_number_uq,priority:3"`
				Status        string `gorm:"size:10;not null"`
				StartedAt     time.Time
				Deadline      time.Time
				SubmittedAt   *time.Time
				Settings      string `gorm:"not null"`
				Form          string `gorm:"not null"`
				Score         float64
				MaxScore      float64
				Percent       float64
				Passed        bool
				CertificateID *string `gorm:"size:64"`
				Results       string  `gorm:"not null"`
			}
			type attemptAnswer struct {
				AttemptID  string   `gorm:"primaryKey;size:36"`
				Attempt    *attempt `gorm:"constraint:OnDelete:CASCADE"`
				QuestionID string   `gorm:"primaryKey;size:36"`
				OptionIDs  string   `gorm:"not null"`
				Value      *string
				SavedAt    time.Time
			}
			type attemptItemScore struct {
				AttemptID    string   `gorm:"primaryKey;size:36"`
				Attempt      *attempt `gorm:"constraint:OnDelete:CASCADE"`
				QuestionID   string   `gorm:"primaryKey;size:36"`
				AssessmentID string   `gorm:"size:36;not null;index:attempt_item_scores_assessment_idx"`
				Score        float64
				MaxPoints    float64
				RestScore    float64
			}
			return tx.Migrator().CreateTable(&question{}, &assessment{}, &attempt{}, &attemptAnswer{}, &attemptItemScore{})
		},
	}, {
		// Trainers choose when right answers are shown and may let the
		// cooldown grow attempt by attempt; GIFT names are kept.
		ID: "202611290230_assessments_review_schedule",
		Migrate: func(tx *gorm.DB) error {
			type assessment struct {
				CooldownSchedule string `gorm:"not null;default:'[]'"`
				Review           string `gorm:"size:30;not null;default:''"`
			}
			type question struct {
				Name string `gorm:"size:200;not null;default:''"`
			}
			m := tx.Migrator()
			if err := m.AddColumn(&assessment{}, "CooldownSchedule"); err != nil {
				return err
			}
			if err := m.AddColumn(&assessment{}, "Review"); err != nil {
				return err
			}
			return m.AddColumn(&question{}, "Name")
		},
	}, {
		// A course pack says which lesson teaches each question tag, so a
		// failed learner is pointed to the lesson to re-read.
		ID: "202611290300_assessments_lesson_tags",
		Migrate: func(tx *gorm.DB) error {
			type assessment struct {
				LessonTags string `gorm:"not null;default:'{}'"`
			}
			return tx.Migrator().AddColumn(&assessment{}, "LessonTags")
		},
	}, assessmentsDeletedMigration(), lessonsDoneMigration()}
}
