package classes

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type classRow struct {
	ID        string `gorm:"primaryKey;size:36"`
	Name      string `gorm:"size:200;not null"`
	TrainerID string `gorm:"size:36;not null"`
	Locale    string `gorm:"size:35;not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (classRow) TableName() string { return "classes" }

type classCourseRow struct {
	ClassID  string `gorm:"primaryKey;size:36"`
	CourseID string `gorm:"primaryKey;size:36"`
	Position int    `gorm:"not null"`
}

func (classCourseRow) TableName() string { return "class_courses" }

type classLearnerRow struct {
	ClassID   string `gorm:"primaryKey;size:36"`
	UserID    string `gorm:"primaryKey;size:36"`
	CreatedAt time.Time
}

func (classLearnerRow) TableName() string { return "class_learners" }

// Migrations returns the classes schema changes in order.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611290310_classes",
		Migrate: func(tx *gorm.DB) error {
			type class struct {
				ID        string `gorm:"primaryKey;size:36"`
				Name      string `gorm:"size:200;not null"`
				TrainerID string `gorm:"size:36;not null;index:classes_trainer_idx"`
				Locale    string `gorm:"size:35;not null"`
				CreatedAt time.Time
				UpdatedAt time.Time
			}
			type classCourse struct {
				ClassID  string `gorm:"primaryKey;size:36"`
				Class    *class `gorm:"constraint:OnDelete:CASCADE"`
				CourseID string `gorm:"primaryKey;size:36"`
				Position int    `gorm:"not null"`
			}
			type classLearner struct {
				ClassID   string `gorm:"primaryKey;size:36"`
				Class     *class `gorm:"constraint:OnDelete:CASCADE"`
				UserID    string `gorm:"primaryKey;size:36;index:class_learners_user_idx"`
				CreatedAt time.Time
			}
			return tx.Migrator().CreateTable(&class{}, &classCourse{}, &classLearner{})
		},
	}}
}

// Store persists classes.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

// InTx runs fn in one transaction, or in ctx's when it carries one, so the
// service groups store calls without holding the database itself.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return dbx.WithTx(ctx, s.db, fn)
}

// Create inserts a class and its courses.
func (s *Store) Create(ctx context.Context, c Class) error {
	row := classRow{ID: c.ID, Name: c.Name, TrainerID: c.TrainerID, Locale: c.Locale, CreatedAt: c.CreatedAt, UpdatedAt: c.CreatedAt}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("classes: create: %w", err)
	}
	return s.SetCourses(ctx, c.ID, c.CourseIDs)
}

// SetCourses replaces the class's courses.
func (s *Store) SetCourses(ctx context.Context, classID string, courseIDs []string) error {
	if err := s.conn(ctx).Where("class_id = ?", classID).Delete(&classCourseRow{}).Error; err != nil {
		return fmt.Errorf("classes: clear courses: %w", err)
	}
	if len(courseIDs) == 0 {
		return nil
	}
	rows := make([]classCourseRow, len(courseIDs))
	for i, id := range courseIDs {
		rows[i] = classCourseRow{ClassID: classID, CourseID: id, Position: i}
	}
	if err := s.conn(ctx).Create(&rows).Error; err != nil {
		return fmt.Errorf("classes: set courses: %w", err)
	}
	return nil
}

// Rename changes the class's name.
func (s *Store) Rename(ctx context.Context, id, name string, now time.Time) error {
	err := s.conn(ctx).Model(&classRow{}).Where("id = ?", id).Updates(map[string]any{"name": name, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("classes: rename: %w", err)
	}
	return nil
}

// Get loads a class with its courses and learner count; lock holds the
// row until the transaction ends (PostgreSQL; SQLite writers are serial).
func (s *Store) Get(ctx context.Context, id string, lock bool) (Class, error) {
	q := s.conn(ctx).Where("id = ?", id)
	if lock && dbx.DialectOf(s.db) == dbx.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row classRow
	err := q.Take(&row).Error
	if err := dbx.LoadErr(err, "class", "classes: load"); err != nil {
		return Class{}, err
	}
	out, err := s.complete(ctx, []classRow{row})
	if err != nil {
		return Class{}, err
	}
	return out[0], nil
}

// complete adds courses and learner counts to rows.
func (s *Store) complete(ctx context.Context, rows []classRow) ([]Class, error) {
	out := make([]Class, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var courses []classCourseRow
	if err := s.conn(ctx).Where("class_id IN ?", ids).Order("class_id, position").Find(&courses).Error; err != nil {
		return nil, fmt.Errorf("classes: load courses: %w", err)
	}
	byClass := map[string][]string{}
	for _, c := range courses {
		byClass[c.ClassID] = append(byClass[c.ClassID], c.CourseID)
	}
	var counts []struct {
		ClassID string
		N       int
	}
	err := s.conn(ctx).Model(&classLearnerRow{}).Select("class_id, count(*) AS n").Where("class_id IN ?", ids).
		Group("class_id").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("classes: count learners: %w", err)
	}
	n := map[string]int{}
	for _, c := range counts {
		n[c.ClassID] = c.N
	}
	for i, r := range rows {
		out[i] = Class{ID: r.ID, Name: r.Name, TrainerID: r.TrainerID, Locale: r.Locale, CreatedAt: r.CreatedAt,
			CourseIDs: byClass[r.ID], LearnerCount: n[r.ID]}
		if out[i].CourseIDs == nil {
			out[i].CourseIDs = []string{}
		}
	}
	return out, nil
}

// List returns up to p.Limit+1 classes after the cursor, of one trainer
// or (trainerID "") of all.
func (s *Store) List(ctx context.Context, trainerID string, p web.Page) ([]Class, error) {
	q := dbx.PageByID(s.conn(ctx), p, false)
	if trainerID != "" {
		q = q.Where("trainer_id = ?", trainerID)
	}
	var rows []classRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("classes: list: %w", err)
	}
	return s.complete(ctx, rows)
}

// LearnerIDs lists the class's learners in the order they joined.
func (s *Store) LearnerIDs(ctx context.Context, classID string) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&classLearnerRow{}).Where("class_id = ?", classID).Order("created_at, user_id").Pluck("user_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("classes: list learners: %w", err)
	}
	return ids, nil
}

// TrainerLearners returns which of userIDs are in any class of the trainer.
func (s *Store) TrainerLearners(ctx context.Context, trainerID string, userIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var ids []string
	err := s.conn(ctx).Model(&classLearnerRow{}).
		Joins("JOIN classes ON classes.id = class_learners.class_id").
		Where("classes.trainer_id = ? AND class_learners.user_id IN ?", trainerID, userIDs).
		Distinct().Pluck("class_learners.user_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("classes: find trainer's learners: %w", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// AddLearners puts users in the class; each joins a moment after the one
// before, so the class lists them in the order they were given.
func (s *Store) AddLearners(ctx context.Context, classID string, userIDs []string, now time.Time) error {
	if len(userIDs) == 0 {
		return nil
	}
	rows := make([]classLearnerRow, len(userIDs))
	for i, id := range userIDs {
		rows[i] = classLearnerRow{ClassID: classID, UserID: id, CreatedAt: now.Add(time.Duration(i) * time.Microsecond)}
	}
	return dbx.WriteErr(s.conn(ctx).CreateInBatches(&rows, 200).Error, web.DetailClassChanged.Conflict(), "classes: add learners")
}
