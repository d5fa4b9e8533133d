package site

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

// session is a signed-in browser: the cookie carries a random secret whose
// hash is the row's id, and the row names the refresh-token family that
// accounts keeps alive. The CSRF token of the session's forms lives here
// too, so that a restart or another replica accepts the same forms.
type session struct {
	ID       string
	UserID   string
	FamilyID string
	CSRF     string
	ByCard   bool
	Created  time.Time
	Seen     time.Time
}

type sessionRow struct {
	ID        string `gorm:"primaryKey;size:64"`
	UserID    string `gorm:"size:36;not null;index:web_sessions_user_idx"`
	FamilyID  string `gorm:"size:36;not null"`
	CSRF      string `gorm:"column:csrf;size:64;not null"`
	ByCard    bool   `gorm:"not null"`
	CreatedAt time.Time
	SeenAt    time.Time
}

func (sessionRow) TableName() string { return "web_sessions" }

// Migrations returns the site's schema changes in order.
func Migrations() []*dbx.Migration {
	return []*dbx.Migration{{
		ID: "202611290300_web_sessions",
		Migrate: func(tx *gorm.DB) error {
			type webSession struct {
				ID        string `gorm:"primaryKey;size:64"`
				UserID    string `gorm:"size:36;not null;index:web_sessions_user_idx"`
				FamilyID  string `gorm:"size:36;not null"`
				CSRF      string `gorm:"column:csrf;size:64;not null"`
				ByCard    bool   `gorm:"not null"`
				CreatedAt time.Time
				SeenAt    time.Time `gorm:"index:web_sessions_seen_idx"`
			}
			return tx.Table("web_sessions").AutoMigrate(&webSession{})
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("web_sessions") },
	}}
}

// Store keeps web sessions.
type Store struct{ db *gorm.DB }

// NewStore returns the web-session store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

func (s *Store) create(ctx context.Context, x session) error {
	row := sessionRow{ID: x.ID, UserID: x.UserID, FamilyID: x.FamilyID, CSRF: x.CSRF, ByCard: x.ByCard,
		CreatedAt: x.Created, SeenAt: x.Seen}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("site: store session: %w", err)
	}
	return nil
}

var errNoSession = fmt.Errorf("site: no such session")

func (s *Store) get(ctx context.Context, id string) (session, error) {
	var row sessionRow
	err := s.conn(ctx).Where("id = ?", id).Take(&row).Error
	if dbx.IsNotFound(err) {
		return session{}, errNoSession
	}
	if err != nil {
		return session{}, fmt.Errorf("site: load session: %w", err)
	}
	return session{ID: row.ID, UserID: row.UserID, FamilyID: row.FamilyID, CSRF: row.CSRF, ByCard: row.ByCard,
		Created: row.CreatedAt, Seen: row.SeenAt}, nil
}

// touch writes the time a session was last seen; false when its row is
// gone.
func (s *Store) touch(ctx context.Context, id string, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&sessionRow{}).Where("id = ?", id).Update("seen_at", now)
	if res.Error != nil {
		return false, fmt.Errorf("site: touch session: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

func (s *Store) delete(ctx context.Context, id string) error {
	if err := s.conn(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("site: delete session: %w", err)
	}
	return nil
}

func (s *Store) deleteUser(ctx context.Context, userID string) error {
	if err := s.conn(ctx).Where("user_id = ?", userID).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("site: delete sessions: %w", err)
	}
	return nil
}

// purge deletes sessions idle since before cutoff.
func (s *Store) purge(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.conn(ctx).Where("seen_at < ?", cutoff).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("site: purge sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
