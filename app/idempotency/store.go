package idempotency

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
)

type record struct {
	ID          string  `gorm:"primaryKey;size:64"`
	BodyHash    string  `gorm:"size:64;not null"`
	UserID      *string `gorm:"size:36"`
	Done        bool    `gorm:"not null"`
	Status      int
	ContentType string `gorm:"size:100"`
	Response    []byte
	CreatedAt   time.Time `gorm:"index"`
}

func (record) TableName() string { return "idempotency_records" }

// Store keeps the answers in the database, where every replica finds
// them.
type Store struct{ db *gorm.DB }

// NewStore returns the store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// claim inserts the record of a request about to run; a duplicate key
// error means another request with the same key came first.
func (s *Store) claim(ctx context.Context, r record) error {
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("idempotency: claim %s: %w", r.ID, err)
	}
	return nil
}

// load reads the record of an earlier request.
func (s *Store) load(ctx context.Context, id string) (record, error) {
	var r record
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return r, fmt.Errorf("idempotency: load %s: %w", id, err)
	}
	return r, nil
}

// dropClaim deletes the record claimed at createdAt, and no later one.
func (s *Store) dropClaim(ctx context.Context, id string, createdAt time.Time) error {
	if err := s.db.WithContext(ctx).Where("id = ? AND created_at = ?", id, createdAt).Delete(&record{}).Error; err != nil {
		return fmt.Errorf("idempotency: drop %s: %w", id, err)
	}
	return nil
}

// drop forgets a request whose answer must not be stored. Its failure is
// not the caller's: a retry is told the request is still in progress until
// housekeeping purges the record.
func (s *Store) drop(ctx context.Context, id string) {
	s.db.WithContext(ctx).Where("id = ?", id).Delete(&record{})
}

// finish stores the answer. Its failure is not the caller's: a retry is
// told the request is still in progress until housekeeping purges the
// record.
func (s *Store) finish(ctx context.Context, id string, cols map[string]any) {
	s.db.WithContext(ctx).Model(&record{}).Where("id = ?", id).Updates(cols)
}

// Purge deletes records older than age.
func Purge(db *gorm.DB, cutoff time.Time) (int64, error) {
	res := db.Where("created_at < ?", cutoff).Delete(&record{})
	return res.RowsAffected, res.Error
}

// Part is the idempotency records' share of a user's data, for the privacy
// export and for account deletion.
type Part struct{ DB *gorm.DB }

// StoredAnswer is one stored answer in a user's export (its body is not
// repeated: it is what the user was sent).
type StoredAnswer struct {
	Status    int       `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// Export lists the answers kept for the user's retries.
func (p Part) Export(ctx context.Context, userID string) (any, error) {
	var rows []record
	if err := dbx.Conn(ctx, p.DB).Where("user_id = ? AND done = ?", userID, true).Order("created_at").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]StoredAnswer, 0, len(rows))
	for _, r := range rows {
		out = append(out, StoredAnswer{Status: r.Status, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}

// Erase deletes every answer stored for the user.
func (p Part) Erase(ctx context.Context, userID string) error {
	return dbx.Conn(ctx, p.DB).Where("user_id = ?", userID).Delete(&record{}).Error
}
