package certs

import (
	"context"
	"slices"
	"time"

	"skillgate/app/dbx"
)

// ErasedHolderName replaces a holder's name when they delete their account.
const ErasedHolderName = "Former learner (account deleted)"

// WithdrawnReason is the revocation reason of an erased holder's
// certificates.
const WithdrawnReason = "withdrawn by the holder: account deleted"

// CertificateExport is one certificate in a user's data export.
type CertificateExport struct {
	ID               string     `json:"id"`
	Code             string     `json:"code"`
	CourseSlug       string     `json:"course_slug"`
	CourseTitle      string     `json:"course_title"`
	CourseVersion    int        `json:"course_version"`
	ScorePercent     float64    `json:"score_percent"`
	IssuedAt         time.Time  `json:"issued_at"`
	ExpiresAt        time.Time  `json:"expires_at"`
	Status           string     `json:"status"`
	RevokedAt        *time.Time `json:"revoked_at"`
	RevocationReason string     `json:"revocation_reason,omitempty"`
	Token            string     `json:"token"`
	VerifyURL        string     `json:"verify_url"`
}

// Export gathers a user's certificates, with their tokens.
func (s *Service) Export(ctx context.Context, userID string) (any, error) {
	list, err := s.HolderCertificates(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]CertificateExport, len(list))
	now := s.opt.Now()
	for i, c := range list {
		out[i] = CertificateExport{ID: c.ID, Code: c.Code, CourseSlug: c.CourseSlug, CourseTitle: c.CourseTitle, CourseVersion: c.CourseVersion,
			ScorePercent: c.ScorePercent, IssuedAt: c.IssuedAt.UTC(), ExpiresAt: c.ExpiresAt.UTC(), Status: c.Status(now),
			RevokedAt: utcPtr(c.RevokedAt), RevocationReason: c.RevocationReason, Token: c.Token, VerifyURL: c.VerifyURL}
	}
	return out, nil
}

// Erase withdraws a holder's certificates: each is revoked (so every
// verifier, online or with a status list, sees it revoked), the stored
// name and token are removed, and the audit trail records why. The
// certificate id and code keep answering, as revoked, so that nobody can
// pass off a copy of the token as current. Every replica hears of each
// certificate that changed.
func (s *Service) Erase(ctx context.Context, userID string) error {
	now := s.opt.Now()
	all, err := s.store.HolderCertificateRefs(ctx, userID)
	if err != nil {
		return err
	}
	var revoking, lists []string
	for _, c := range all {
		if c.RevokedAt == nil {
			revoking = append(revoking, c.ID)
			if !slices.Contains(lists, c.StatusListID) {
				lists = append(lists, c.StatusListID)
			}
		}
	}
	if err := s.store.RevokeHolder(ctx, userID, WithdrawnReason, "withdrawn_by_holder", now); err != nil {
		return err
	}
	// The lists change: they are signed again on their next request.
	if err := s.store.TouchStatusLists(ctx, lists); err != nil {
		return err
	}
	if err := s.store.ForgetHolder(ctx, userID, ErasedHolderName); err != nil {
		return err
	}
	for _, id := range revoking {
		if err := s.store.AddEvent(ctx, eventRow{ID: dbx.NewID(), CertificateID: id, Action: "revoked", ActorID: userID, Reason: WithdrawnReason, At: now}); err != nil {
			return err
		}
		if s.revoked != nil {
			if err := s.revoked.OnRevoked(ctx, id, now); err != nil {
				return err
			}
		}
	}
	// Revoked ones changed too: their holder's name is gone.
	for _, c := range all {
		if err := s.publish(ctx, dbx.TopicCertificates, c.ID); err != nil {
			return err
		}
	}
	return nil
}
