// statuslist_service.go holds the service's status lists: signing and listing them.

package certs

import (
	"context"
	"fmt"
	"time"
)

// StatusListToken returns the signed status list credential of a list
// and when it was signed. The credential is signed once per change: a
// revocation raises the list's revision, and the token kept in the
// database is signed again only then (or when half its ttl has passed, so
// that verifiers never hold an expired list), so every replica serves the
// same bytes, Last-Modified and ETag.
func (s *Service) StatusListToken(ctx context.Context, listID string) (string, time.Time, error) {
	row, err := s.store.StatusList(ctx, listID)
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.opt.Now().Truncate(time.Second)
	if row.Token != "" && row.SignedAt != nil && row.SignedRevision == row.Revision &&
		now.Before(row.SignedAt.Add(StatusListTTL/2)) && !now.Before(*row.SignedAt) {
		return row.Token, row.SignedAt.UTC(), nil
	}
	revoked, err := s.store.RevokedIndexes(ctx, listID)
	if err != nil {
		return "", time.Time{}, err
	}
	enc, err := EncodeStatusList(StatusListBits, revoked)
	if err != nil {
		return "", time.Time{}, err
	}
	tok, err := Sign(StatusListClaims(s.opt.BaseURL, listID, enc, now), s.signingKey(ctx))
	if err != nil {
		return "", time.Time{}, err
	}
	if err := s.store.SaveStatusListToken(ctx, listID, row.Revision, tok, now); err != nil {
		return "", time.Time{}, fmt.Errorf("certs: keep status list %s: %w", listID, err)
	}
	return tok, now, nil
}

// StatusListIDs lists every status list, for export.
func (s *Service) StatusListIDs(ctx context.Context) ([]string, error) {
	return s.store.StatusLists(ctx)
}
