package tiers

import (
	"context"
	"fmt"
)

// EraseHolderChecks deletes every recorded employer check of one holder's
// certificates, with the certificates each check listed.
func (s *Store) EraseHolderChecks(ctx context.Context, holderID string) error {
	var ids []string
	if err := s.conn(ctx).Model(&checkRow{}).Where("holder_id = ?", holderID).Pluck("id", &ids).Error; err != nil {
		return fmt.Errorf("tiers: list a holder's checks: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	if err := s.conn(ctx).Where("check_id IN ?", ids).Delete(&checkCertRow{}).Error; err != nil {
		return fmt.Errorf("tiers: erase checked certificates: %w", err)
	}
	if err := s.conn(ctx).Where("id IN ?", ids).Delete(&checkRow{}).Error; err != nil {
		return fmt.Errorf("tiers: erase checks: %w", err)
	}
	return nil
}
