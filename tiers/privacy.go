package tiers

import (
	"context"

	"skillgate/app/web"
)

// Export gathers every employer check of the user's certificates.
func (s *Service) Export(ctx context.Context, userID string) (any, error) {
	list, err := s.checks(ctx, ChecksFilter{HolderID: userID}, web.Page{Limit: 100000})
	if err != nil {
		return nil, err
	}
	out := make([]CheckResponse, len(list.Items))
	for i, c := range list.Items {
		out[i] = checkResponse(c)
	}
	return out, nil
}

// Erase deletes the trail of checks about the user. The organizations'
// webhook events already queued stay: they name certificates, not people.
func (s *Service) Erase(ctx context.Context, userID string) error {
	var ids []string
	if err := s.store.conn(ctx).Model(&checkRow{}).Where("holder_id = ?", userID).Pluck("id", &ids).Error; err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if err := s.store.conn(ctx).Where("check_id IN ?", ids).Delete(&checkCertRow{}).Error; err != nil {
		return err
	}
	return s.store.conn(ctx).Where("id IN ?", ids).Delete(&checkRow{}).Error
}
