// statuslist_service.go holds the service's status lists: signing and listing them.

package certs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"skillgate/app/dbx"
)

// StatusListToken returns the signed status list credential of a list
// and when it was signed. The credential is signed once per change: a
// revocation raises the list's revision, and the token kept in the
// database is signed again only then (or when half its ttl has passed, so
// that verifiers never hold an expired list), so every replica serves the
// same bytes, Last-Modified and ETag. It is served from memory until a
// certificate changes (dbx.TopicCertificates) or half its ttl passes.
func (s *Service) StatusListToken(ctx context.Context, listID string) (string, time.Time, error) {
	lists := s.hot.lists
	if lists == nil || dbx.InTx(ctx) {
		return s.statusListToken(ctx, listID)
	}
	now := s.opt.Now()
	if l, ok := lists.Get(listID); ok && fresh(l.at, now) {
		return l.token, l.at, nil
	}
	gen := lists.Generation()
	tok, at, err := s.statusListToken(ctx, listID)
	if err != nil {
		return "", time.Time{}, err
	}
	lists.Put(gen, strings.Clone(listID), signedList{token: tok, at: at})
	return tok, at, nil
}

// fresh says whether a list signed at may still be served at now: not
// after half its ttl, so that verifiers never hold an expired list.
func fresh(at, now time.Time) bool {
	return now.Before(at.Add(StatusListTTL/2)) && !now.Before(at)
}

func (s *Service) statusListToken(ctx context.Context, listID string) (string, time.Time, error) {
	row, err := s.store.StatusList(ctx, listID)
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.opt.Now().Truncate(time.Second)
	if row.Token != "" && row.SignedAt != nil && row.SignedRevision == row.Revision && fresh(*row.SignedAt, now) {
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
