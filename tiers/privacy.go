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
	return s.store.EraseHolderChecks(ctx, userID)
}
