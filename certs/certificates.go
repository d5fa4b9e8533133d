// certificates.go holds reading and revoking issued certificates.

package certs

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Certificate is an issued certificate.
type Certificate struct {
	ID               string
	Code             string
	HolderID         string
	HolderName       string
	CourseID         string
	CourseSlug       string
	CourseTitle      string
	CourseVersion    int
	CourseLanguage   string
	ScorePercent     float64
	IssuedAt         time.Time
	ExpiresAt        time.Time
	RevokedAt        *time.Time
	RevocationReason string
	// RevocationCategory is one of RevocationCategories: what the public
	// is told; the reason is for the holder, admins and the course's
	// trainers only.
	RevocationCategory string
	Token              string
	VerifyURL          string
	StatusListID       string
	StatusIndex        int
	// Publisher is who published the course, as of now (filled in by
	// the verification paths and Get).
	Publisher *Publisher
	// TokenES256 is the same credential signed with ES256, for verifiers
	// without Ed25519 (filled in for the holder's and admins' reads).
	TokenES256 string
}

// Status is active, revoked or expired at now.
func (c Certificate) Status(now time.Time) string {
	switch {
	case c.RevokedAt != nil:
		return "revoked"
	case !now.Before(c.ExpiresAt):
		return "expired"
	}
	return "active"
}

func (s *Service) fromRow(r certificateRow) Certificate {
	return Certificate{ID: r.ID, Code: r.Code, HolderID: r.HolderID, HolderName: r.HolderName, CourseID: r.CourseID,
		CourseSlug: r.CourseSlug, CourseTitle: r.CourseTitle, CourseVersion: r.CourseVersion, CourseLanguage: r.CourseLanguage,
		ScorePercent: r.ScorePercent, IssuedAt: r.IssuedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt,
		RevocationReason: r.RevocationReason, RevocationCategory: r.RevocationCategory, Token: r.Token, VerifyURL: s.opt.BaseURL + "/verify/" + r.ID,
		StatusListID: r.StatusListID, StatusIndex: r.StatusIndex}
}

// withPublishers fills in the publisher of each certificate's course: who
// published it and whether it is endorsed now (an endorsement given or
// withdrawn after issue shows at once).
func (s *Service) withPublishers(ctx context.Context, cs ...*Certificate) error {
	var ids []string
	for _, c := range cs {
		if c != nil && !slices.Contains(ids, c.CourseID) {
			ids = append(ids, c.CourseID)
		}
	}
	if len(ids) == 0 || s.courses == nil {
		return nil
	}
	pubs, err := s.publishers(ctx, ids)
	if err != nil {
		return fmt.Errorf("certs: load publishers: %w", err)
	}
	for _, c := range cs {
		if c == nil {
			continue
		}
		p := s.publisher(pubs[c.CourseID]) // a course that is gone: an unknown publisher, not endorsed
		c.Publisher = &p
	}
	return nil
}

// publisher names the platform as the publisher of its built-in courses.
func (s *Service) publisher(p Publisher) Publisher {
	if p.BuiltIn && p.Name == "" {
		p.Name = s.opt.IssuerName
	}
	return p
}

// Get returns a certificate to its holder or an admin; to anyone else it
// does not exist.
func (s *Service) Get(ctx context.Context, p web.Principal, idOrCode string) (Certificate, error) {
	row, err := s.store.Certificate(ctx, idOrCode)
	if err != nil {
		return Certificate{}, err
	}
	if row.HolderID != p.UserID && !p.IsAdmin() {
		return Certificate{}, web.NotFound("certificate")
	}
	c := s.fromRow(row)
	if err := s.withPublishers(ctx, &c); err != nil {
		return Certificate{}, err
	}
	if c.TokenES256, err = s.tokenES256(ctx, c); err != nil {
		return Certificate{}, err
	}
	return c, nil
}

// Mine lists the caller's certificates.
func (s *Service) Mine(ctx context.Context, p web.Principal, page web.Page) (web.List[Certificate], error) {
	rows, err := s.store.HolderCertificates(ctx, p.UserID, page)
	if err != nil {
		return web.List[Certificate]{}, err
	}
	out := make([]Certificate, len(rows))
	ptrs := make([]*Certificate, len(rows))
	for i, r := range rows {
		out[i] = s.fromRow(r)
		ptrs[i] = &out[i]
		if out[i].TokenES256, err = s.tokenES256(ctx, out[i]); err != nil {
			return web.List[Certificate]{}, err
		}
	}
	if err := s.withPublishers(ctx, ptrs...); err != nil {
		return web.List[Certificate]{}, err
	}
	return web.NewList(out, page, func(c Certificate) string { return c.ID }), nil
}

// RevocationCategories are the reasons for a revocation the public may
// read: the free-text reason a trainer types can name people or events.
var RevocationCategories = []string{"withdrawn_by_holder", "issued_in_error", "misconduct", "other"}

// Revoke revokes a certificate (admins, or the trainer who owns its
// course), recording who did it, why (reason, shown to the holder, admins
// and the course's trainers) and the public category ("other" when none
// is given). The change is announced in the same transaction, so every
// replica's verify answers, status lists and pages change within a second.
func (s *Service) Revoke(ctx context.Context, p web.Principal, idOrCode, reason, category string) (Certificate, error) {
	reason = strings.TrimSpace(reason)
	var bad []web.FieldError
	if reason == "" || len(reason) > 500 {
		bad = append(bad, web.RequiredUpTo("reason", 500))
	}
	if category == "" {
		category = "other"
	}
	if !slices.Contains(RevocationCategories, category) {
		bad = append(bad, web.RuleCategory.On("category", "Choices", strings.Join(RevocationCategories, ", ")))
	}
	if len(bad) > 0 {
		return Certificate{}, web.Invalid("the certificate cannot be revoked", bad...)
	}
	var out Certificate
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		row, err := s.store.Certificate(ctx, idOrCode)
		if err != nil {
			return err
		}
		if !p.IsAdmin() {
			if err := s.courses.Authorize(ctx, p, row.CourseID); err != nil {
				if row.HolderID == p.UserID || web.IsKind(err, web.KindForbidden) {
					return web.Forbidden("only an admin or the course's trainer may revoke")
				}
				return web.NotFound("certificate")
			}
		}
		now := s.opt.Now()
		done, err := s.store.Revoke(ctx, row.ID, row.StatusListID, reason, category, now)
		if err != nil {
			return err
		}
		if !done {
			return web.DetailAlreadyRevoked.Conflict()
		}
		if err := s.store.AddEvent(ctx, eventRow{ID: dbx.NewID(), CertificateID: row.ID, Action: "revoked", ActorID: p.UserID, Reason: reason, At: now}); err != nil {
			return err
		}
		if s.revoked != nil {
			if err := s.revoked.OnRevoked(ctx, row.ID, now); err != nil {
				return err
			}
		}
		if err := s.publish(ctx, dbx.TopicCertificates, row.ID); err != nil {
			return err
		}
		row, err = s.store.Certificate(ctx, row.ID)
		out = s.fromRow(row)
		return err
	})
	return out, err
}

// HolderCertificates lists every certificate of a holder.
func (s *Service) HolderCertificates(ctx context.Context, holderID string) ([]Certificate, error) {
	rows, err := s.store.HolderCertificates(ctx, holderID, web.Page{Limit: 10000})
	if err != nil {
		return nil, err
	}
	out := make([]Certificate, len(rows))
	for i, r := range rows {
		out[i] = s.fromRow(r)
	}
	return out, nil
}

// ExpiredBetween lists certificates that expired in (from, to].
func (s *Service) ExpiredBetween(ctx context.Context, from, to time.Time) ([]string, error) {
	return s.store.ExpiredBetween(ctx, from, to)
}
