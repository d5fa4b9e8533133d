package certs

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type keyRow struct {
	ID         string `gorm:"primaryKey;size:64"`
	PublicKey  []byte `gorm:"not null"`
	PrivateKey []byte `gorm:"not null"`
	Current    bool   `gorm:"not null"`
	CreatedAt  time.Time
}

func (keyRow) TableName() string { return "signing_keys" }

type statusListRow struct {
	ID             string `gorm:"primaryKey;size:36"`
	Size           int    `gorm:"not null"`
	CreatedAt      time.Time
	Revision       int    `gorm:"not null"` // raised by every revocation in the list
	SignedRevision int    `gorm:"not null"` // the revision Token was signed from
	Token          string `gorm:"not null"`
	SignedAt       *time.Time
}

func (statusListRow) TableName() string { return "status_lists" }

type certificateRow struct {
	ID               string `gorm:"primaryKey;size:36"`
	Code             string `gorm:"size:16;not null"`
	HolderID         string `gorm:"size:36;not null"`
	HolderName       string `gorm:"size:200;not null"`
	CourseID         string `gorm:"size:36;not null"`
	CourseSlug       string `gorm:"size:100;not null"`
	CourseTitle      string `gorm:"size:200;not null"`
	CourseVersion    int    `gorm:"not null"`
	CourseLanguage   string `gorm:"size:35;not null"`
	AttemptID        string `gorm:"size:36;not null"`
	ScorePercent     float64
	IssuedAt         time.Time
	ExpiresAt        time.Time
	StatusListID     string `gorm:"size:36;not null"`
	StatusIndex      int    `gorm:"not null"`
	KeyID            string `gorm:"size:64;not null"`
	Token            string `gorm:"not null"`
	RevokedAt        *time.Time
	RevocationReason string `gorm:"size:500;not null"`
	// RevocationCategory is what the public is told of a revocation.
	RevocationCategory string `gorm:"size:30;not null"`
}

func (certificateRow) TableName() string { return "certificates" }

type eventRow struct {
	ID            string `gorm:"primaryKey;size:36"`
	CertificateID string `gorm:"size:36;not null;index"`
	Action        string `gorm:"size:20;not null"`
	ActorID       string `gorm:"size:36;not null"`
	Reason        string `gorm:"size:500;not null"`
	At            time.Time
}

func (eventRow) TableName() string { return "certificate_events" }

// Store persists keys, status lists and certificates.
type Store struct {
	db    *gorm.DB
	slots statusSlots
}

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

// Keys loads every signing key, newest first.
func (s *Store) Keys(ctx context.Context) ([]keyRow, error) {
	var rows []keyRow
	err := s.conn(ctx).Order("created_at DESC, id").Find(&rows).Error
	return rows, storeErr("load keys", err)
}

// InsertKey stores a key; with current it becomes the signing key and the
// previous current key keeps verifying only.
func (s *Store) InsertKey(ctx context.Context, row keyRow) error {
	if row.Current {
		if err := s.conn(ctx).Model(&keyRow{}).Where("current = ?", true).Update("current", false).Error; err != nil {
			return fmt.Errorf("certs: retire key: %w", err)
		}
	}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("certs: store key: %w", err)
	}
	return nil
}

// OpenStatusList returns a list with room left, making one when none has.
// A list is filled to half at most, so that random indexes stay cheap to
// find and the list still hides who is revoked among many.
func (s *Store) OpenStatusList(ctx context.Context, now time.Time) (string, error) {
	var row statusListRow
	err := s.conn(ctx).Order("created_at DESC, id DESC").Take(&row).Error
	if err == nil {
		var n int64
		if err := s.conn(ctx).Model(&certificateRow{}).Where("status_list_id = ?", row.ID).Count(&n).Error; err != nil {
			return "", storeErr("count status list", err)
		}
		if n < int64(row.Size/2) {
			return row.ID, nil
		}
	} else if !dbx.IsNotFound(err) {
		return "", fmt.Errorf("certs: load status list: %w", err)
	}
	row = statusListRow{ID: dbx.NewID(), Size: StatusListBits, CreatedAt: now, SignedRevision: -1}
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return "", fmt.Errorf("certs: create status list: %w", err)
	}
	return row.ID, nil
}

// StatusList loads a list with its last signed token.
func (s *Store) StatusList(ctx context.Context, id string) (statusListRow, error) {
	var row statusListRow
	err := s.conn(ctx).Where("id = ?", id).Take(&row).Error
	if err := dbx.LoadErr(err, "status list", "certs: load status list"); err != nil {
		return row, err
	}
	return row, nil
}

// TouchStatusLists raises the revision of lists whose bits changed
// outside Revoke (an erased account's certificates), so that they are
// signed again.
func (s *Store) TouchStatusLists(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return storeErr("touch status lists", s.conn(ctx).Model(&statusListRow{}).Where("id IN ?", ids).Update("revision", gorm.Expr("revision + 1")).Error)
}

// SaveStatusListToken keeps a list's signed token, unless one signed from
// a later revision is already there.
func (s *Store) SaveStatusListToken(ctx context.Context, id string, revision int, token string, at time.Time) error {
	err := s.conn(ctx).Model(&statusListRow{}).Where("id = ? AND signed_revision <= ?", id, revision).
		Updates(map[string]any{"signed_revision": revision, "token": token, "signed_at": at}).Error
	return storeErr("save status list token", err)
}

// StatusLists lists every status list id.
func (s *Store) StatusLists(ctx context.Context) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&statusListRow{}).Order("created_at, id").Pluck("id", &ids).Error
	return ids, storeErr("list status lists", err)
}

// TakenIndexes reports which of candidates are used in a list.
func (s *Store) TakenIndexes(ctx context.Context, listID string, candidates []int) (map[int]bool, error) {
	var taken []int
	err := s.conn(ctx).Model(&certificateRow{}).Where("status_list_id = ? AND status_index IN ?", listID, candidates).
		Pluck("status_index", &taken).Error
	out := map[int]bool{}
	for _, i := range taken {
		out[i] = true
	}
	return out, storeErr("load taken indexes", err)
}

// RevokedIndexes lists the revoked indexes of a list.
func (s *Store) RevokedIndexes(ctx context.Context, listID string) ([]int, error) {
	var idx []int
	err := s.conn(ctx).Model(&certificateRow{}).Where("status_list_id = ? AND revoked_at IS NOT NULL", listID).
		Pluck("status_index", &idx).Error
	return idx, storeErr("load revoked indexes", err)
}

// CreateCertificate inserts a certificate.
func (s *Store) CreateCertificate(ctx context.Context, row certificateRow) error {
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("certs: create certificate: %w", err)
	}
	return nil
}

// CertificateByAttempt finds the certificate an attempt earned.
func (s *Store) CertificateByAttempt(ctx context.Context, attemptID string) (certificateRow, bool, error) {
	var row certificateRow
	err := s.conn(ctx).Where("attempt_id = ?", attemptID).Take(&row).Error
	if dbx.IsNotFound(err) {
		return row, false, nil
	}
	return row, err == nil, storeErr("load certificate by attempt", err)
}

// Certificate loads a certificate by id or normalised code.
func (s *Store) Certificate(ctx context.Context, idOrCode string) (certificateRow, error) {
	return s.certificate(ctx, s.conn(ctx), idOrCode)
}

// CertificateStatus loads a certificate without its token, for the
// verification paths that only report its status.
func (s *Store) CertificateStatus(ctx context.Context, idOrCode string) (certificateRow, error) {
	return s.certificate(ctx, s.conn(ctx).Omit("token"), idOrCode)
}

func (s *Store) certificate(ctx context.Context, q *gorm.DB, idOrCode string) (certificateRow, error) {
	var row certificateRow
	if code, ok := NormalizeCode(idOrCode); ok {
		q = q.Where("code = ?", code)
	} else {
		q = q.Where("id = ?", idOrCode)
	}
	err := q.Take(&row).Error
	if err := dbx.LoadErr(err, "certificate", "certs: load certificate"); err != nil {
		return row, err
	}
	return row, nil
}

// CertificatesByIDs loads certificates by id (not code), in no order,
// without their tokens (for verification).
func (s *Store) CertificatesByIDs(ctx context.Context, ids []string) ([]certificateRow, error) {
	var rows []certificateRow
	if len(ids) == 0 {
		return rows, nil
	}
	err := s.conn(ctx).Omit("token").Where("id IN ?", ids).Find(&rows).Error
	return rows, storeErr("load certificates", err)
}

// CertificatesByCodes loads certificates by normalised code, without
// their tokens (for verification).
func (s *Store) CertificatesByCodes(ctx context.Context, codes []string) ([]certificateRow, error) {
	var rows []certificateRow
	if len(codes) == 0 {
		return rows, nil
	}
	err := s.conn(ctx).Omit("token").Where("code IN ?", codes).Find(&rows).Error
	return rows, storeErr("load certificates by code", err)
}

// HolderCertificates lists a holder's certificates, newest first.
func (s *Store) HolderCertificates(ctx context.Context, holderID string, p web.Page) ([]certificateRow, error) {
	q := dbx.PageByID(s.conn(ctx).Where("holder_id = ?", holderID), p, true)
	var rows []certificateRow
	err := q.Find(&rows).Error
	return rows, storeErr("list holder certificates", err)
}

// Revoke marks a certificate revoked, once, and raises its status list's
// revision so that the list is signed again.
func (s *Store) Revoke(ctx context.Context, id, listID, reason, category string, now time.Time) (bool, error) {
	res := s.conn(ctx).Model(&certificateRow{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": now, "revocation_reason": reason, "revocation_category": category})
	if res.Error != nil || res.RowsAffected != 1 {
		return false, storeErr("revoke certificate", res.Error)
	}
	err := s.conn(ctx).Model(&statusListRow{}).Where("id = ?", listID).Update("revision", gorm.Expr("revision + 1")).Error
	return err == nil, storeErr("touch status list", err)
}

// AddEvent records an audit event.
func (s *Store) AddEvent(ctx context.Context, e eventRow) error {
	return storeErr("add event", s.conn(ctx).Create(&e).Error)
}

// Events lists a certificate's audit trail, oldest first.
func (s *Store) Events(ctx context.Context, certID string) ([]eventRow, error) {
	var rows []eventRow
	err := s.conn(ctx).Where("certificate_id = ?", certID).Order("at, id").Find(&rows).Error
	return rows, storeErr("list events", err)
}

// ExpiredBetween lists certificates whose expiry falls in (from, to].
func (s *Store) ExpiredBetween(ctx context.Context, from, to time.Time) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&certificateRow{}).Where("expires_at > ? AND expires_at <= ?", from, to).Pluck("id", &ids).Error
	return ids, storeErr("list expired certificates", err)
}

// storeErr wraps a database error with what the store was doing, as the
// other stores do; nil stays nil.
func storeErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("certs: %s: %w", what, err)
}
