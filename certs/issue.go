// issue.go holds issuing: a pass becomes a signed certificate.

package certs

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"time"

	"skillgate/app/dbx"
)

// Achievement describes a published course version as the Open Badges
// Achievement its credentials name (served at AchievementURL).
func (s *Service) Achievement(ctx context.Context, slug string, version int) (map[string]any, CourseInfo, error) {
	c, err := s.courses.CourseVersionBySlug(ctx, slug, version)
	if err != nil {
		return nil, CourseInfo{}, err
	}
	pubs, err := s.courses.Publishers(ctx, []string{c.ID})
	if err != nil {
		return nil, CourseInfo{}, err
	}
	c.Publisher = s.publisher(pubs[c.ID])
	return Achievement(s.opt.BaseURL, s.opt.IssuerName, c), c, nil
}

// Pass is what issuing needs to know of a pass.
type Pass struct {
	AttemptID     string
	CourseID      string
	CourseVersion int
	UserID        string
	ScorePercent  float64
	PassPercent   float64
	GradedAt      time.Time
}

// Issue makes the certificate a pass earned, in the caller's transaction
// (the grading one): the pass and its certificate commit together. Issuing
// again for the same attempt returns the same certificate.
func (s *Service) Issue(ctx context.Context, p Pass) (Certificate, error) {
	if row, ok, err := s.store.CertificateByAttempt(ctx, p.AttemptID); err != nil || ok {
		return s.fromRow(row), err
	}
	course, err := s.courses.CourseVersion(ctx, p.CourseID, p.CourseVersion)
	if err != nil {
		return Certificate{}, err
	}
	pubs, err := s.courses.Publishers(ctx, []string{course.ID})
	if err != nil {
		return Certificate{}, err
	}
	course.Publisher = pubs[course.ID]
	name, err := s.holders.HolderName(ctx, p.UserID)
	if err != nil {
		return Certificate{}, err
	}
	issued := p.GradedAt.UTC().Truncate(time.Second)
	validity := DefaultValidity
	if course.ValidityDays > 0 {
		validity = time.Duration(course.ValidityDays) * 24 * time.Hour
	}
	listID, err := s.store.OpenStatusList(ctx, issued)
	if err != nil {
		return Certificate{}, err
	}
	index, err := s.freeIndex(ctx, listID)
	if err != nil {
		return Certificate{}, err
	}
	code, err := NewCode()
	if err != nil {
		return Certificate{}, err
	}
	key := s.signingKey(ctx)
	id := dbx.NewID()
	claims := Issued{CertificateID: id, BaseURL: s.opt.BaseURL, IssuerName: s.opt.IssuerName, HolderID: p.UserID, HolderName: name,
		Publisher:  s.publisher(course.Publisher),
		CourseSlug: course.Slug, CourseTitle: course.Title, CourseSummary: course.Summary, CourseVersion: course.Version,
		PassPercent: p.PassPercent, ScorePercent: p.ScorePercent, IssuedAt: issued, ExpiresAt: issued.Add(validity),
		StatusListID: listID, StatusListIndex: index}
	token, err := Sign(claims.Claims(), key)
	if err != nil {
		return Certificate{}, err
	}
	row := certificateRow{ID: id, Code: code, HolderID: p.UserID, HolderName: name, CourseID: course.ID, CourseSlug: course.Slug,
		CourseTitle: course.Title, CourseVersion: course.Version, CourseLanguage: course.Language, AttemptID: p.AttemptID,
		ScorePercent: p.ScorePercent, IssuedAt: issued, ExpiresAt: claims.ExpiresAt, StatusListID: listID, StatusIndex: index,
		KeyID: key.ID, Token: token}
	if err := s.store.CreateCertificate(ctx, row); err != nil {
		return Certificate{}, err
	}
	if err := s.store.AddEvent(ctx, eventRow{ID: dbx.NewID(), CertificateID: id, Action: "issued", ActorID: p.UserID, At: issued}); err != nil {
		return Certificate{}, err
	}
	return s.fromRow(row), nil
}

// freeIndex picks a random unused index of a list (indexes are random so
// that a list reveals nothing about the order certificates were issued).
func (s *Service) freeIndex(ctx context.Context, listID string) (int, error) {
	for round := 0; round < 8; round++ {
		cands := make([]int, 16)
		buf := make([]byte, 4*len(cands))
		if _, err := rand.Read(buf); err != nil {
			return 0, err
		}
		for i := range cands {
			cands[i] = int(binary.BigEndian.Uint32(buf[4*i:]) % StatusListBits)
		}
		taken, err := s.store.TakenIndexes(ctx, listID, cands)
		if err != nil {
			return 0, err
		}
		for _, c := range cands {
			if !taken[c] {
				return c, nil
			}
		}
	}
	return 0, errors.New("certs: no free status index found")
}
