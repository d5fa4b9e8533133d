// issue.go holds issuing: a pass becomes a signed certificate.

package certs

import (
	"context"
	"errors"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/exam"
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

// Pass is what issuing needs to know of a pass: the event the grader
// raises (exam.Passed). HolderName "" asks Holders.
type Pass = exam.Passed

// Issue makes the certificate a pass earned, in the caller's transaction
// (the grading one): the pass and its certificate commit together. Issuing
// again for the same attempt returns the same certificate (the unique
// index on the attempt says so, not a read before the insert).
//
// On a warm process it writes one row (the database adds the "issued"
// event): the course version and its publisher come from memory where the
// courses domain and the verification side cache them, and the status
// index from a block reserved ahead (takeStatusSlot).
func (s *Service) Issue(ctx context.Context, p Pass) (Certificate, error) {
	course, err := s.courses.CourseVersion(ctx, p.CourseID, p.CourseVersion)
	if err != nil {
		return Certificate{}, err
	}
	if course.Publisher, err = s.issuePublisher(ctx, course.ID); err != nil {
		return Certificate{}, err
	}
	name := p.HolderName
	if name == "" {
		if name, err = s.holders.HolderName(ctx, p.UserID); err != nil {
			return Certificate{}, err
		}
	}
	issued := p.GradedAt.UTC().Truncate(time.Second)
	validity := DefaultValidity
	if course.ValidityDays > 0 {
		validity = time.Duration(course.ValidityDays) * 24 * time.Hour
	}
	listID, index, err := s.store.takeStatusSlot(ctx, issued)
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
	inserted, err := s.store.insertCertificate(ctx, row)
	if err != nil {
		return Certificate{}, err
	}
	if !inserted {
		// The attempt has its certificate already: that one stands (the
		// index taken for this one stays unused).
		prev, ok, err := s.store.CertificateByAttempt(ctx, p.AttemptID)
		if err == nil && !ok {
			err = errors.New("certs: certificate of the attempt vanished")
		}
		return s.fromRow(prev), err
	}
	return s.fromRow(row), nil
}

// issuePublisher is the publisher of a course for a certificate being
// issued, from memory when it can. Issuing runs inside a transaction (the
// grading one, or the completion of the last lesson) that changes no
// course, endorsement or account, so what it reads of them may be kept for
// every reader, which a read inside any other transaction may not (see
// publishers); the generation check still drops a value read across a
// change.
func (s *Service) issuePublisher(ctx context.Context, courseID string) (Publisher, error) {
	h := s.hot
	if h == nil || h.pubs == nil {
		pubs, err := s.courses.Publishers(ctx, []string{courseID})
		return pubs[courseID], err
	}
	if p, ok := h.pubs.Get(courseID); ok {
		return p, nil
	}
	gen := h.pubs.Generation()
	pubs, err := s.courses.Publishers(ctx, []string{courseID})
	if err != nil {
		return Publisher{}, err
	}
	h.pubs.Put(gen, courseID, pubs[courseID])
	return pubs[courseID], nil
}
