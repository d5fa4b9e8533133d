// store_holder.go holds the store's queries over one holder's
// certificates, for erasure.

package certs

import (
	"context"
	"time"
)

// holderCertificate is what erasure needs of a holder's certificate.
type holderCertificate struct {
	ID           string
	StatusListID string
	RevokedAt    *time.Time
}

// HolderCertificateRefs lists every certificate of a holder, revoked or
// not, with its status list.
func (s *Store) HolderCertificateRefs(ctx context.Context, holderID string) ([]holderCertificate, error) {
	var rows []holderCertificate
	err := s.conn(ctx).Model(&certificateRow{}).Select("id, status_list_id, revoked_at").
		Where("holder_id = ?", holderID).Order("id").Scan(&rows).Error
	return rows, storeErr("list certificates of holder "+holderID, err)
}

// RevokeHolder revokes every certificate of a holder not yet revoked.
func (s *Store) RevokeHolder(ctx context.Context, holderID, reason, category string, now time.Time) error {
	err := s.conn(ctx).Model(&certificateRow{}).Where("holder_id = ? AND revoked_at IS NULL", holderID).
		Updates(map[string]any{"revoked_at": now, "revocation_reason": reason, "revocation_category": category}).Error
	return storeErr("revoke certificates of holder "+holderID, err)
}

// ForgetHolder replaces the holder's name on every certificate of a
// holder and removes their tokens.
func (s *Store) ForgetHolder(ctx context.Context, holderID, name string) error {
	err := s.conn(ctx).Model(&certificateRow{}).Where("holder_id = ?", holderID).
		Updates(map[string]any{"holder_name": name, "token": ""}).Error
	return storeErr("erase holder "+holderID, err)
}
