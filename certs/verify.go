// verify.go holds verification: by id, by token, in batches, and the verification trail.

package certs

import (
	"context"

	"skillgate/app/web"
)

// record notes an employer's check of the verified certificates.
func (s *Service) record(ctx context.Context, p *web.Principal, vs []Verification) error {
	if p == nil || s.trail == nil {
		return nil
	}
	byHolder := map[string][]string{}
	for _, v := range vs {
		if c := v.Certificate; c != nil {
			byHolder[c.HolderID] = append(byHolder[c.HolderID], c.ID)
		}
	}
	if len(byHolder) == 0 {
		return nil
	}
	return s.trail.Record(ctx, *p, "verify", byHolder)
}

// Verification is the answer of every verification.
type Verification struct {
	Valid       bool
	Status      string // active, revoked, expired, invalid, not_found
	Reason      Reason
	Certificate *Certificate
}

func (s *Service) verdict(c Certificate) Verification {
	st := c.Status(s.opt.Now())
	v := Verification{Valid: st == "active", Status: st, Certificate: &c}
	switch st {
	case "revoked":
		v.Reason = ReasonRevoked
	case "expired":
		v.Reason = ReasonExpired
	}
	return v
}

// VerifyID checks a certificate by id or code (404 when unknown); the
// check of an employer (p) is recorded in the holder's trail.
func (s *Service) VerifyID(ctx context.Context, p *web.Principal, idOrCode string) (Verification, error) {
	row, err := s.store.CertificateStatus(ctx, idOrCode)
	if err != nil {
		return Verification{}, err
	}
	v := s.verdict(s.fromRow(row))
	if err := s.withPublishers(ctx, v.Certificate); err != nil {
		return Verification{}, err
	}
	return v, s.record(ctx, p, []Verification{v})
}

// VerifyToken checks a token's signature and shape, then the certificate
// it names: revoked or expired certificates are not valid, whatever the
// token says.
func (s *Service) VerifyToken(ctx context.Context, p *web.Principal, token string) (Verification, error) {
	v, err := s.verifyToken(ctx, token)
	if err != nil {
		return v, err
	}
	return v, s.record(ctx, p, []Verification{v})
}

func (s *Service) verifyToken(ctx context.Context, token string) (Verification, error) {
	kid := peekKid(token)
	tc, reason := VerifyToken(token, s.KeySet(ctx, kid), s.opt.Now())
	if tc == nil {
		return Verification{Status: "invalid", Reason: reason}, nil
	}
	row, err := s.store.CertificateStatus(ctx, tc.CertificateID)
	if web.IsKind(err, web.KindNotFound) {
		return Verification{Status: "invalid", Reason: ReasonUnknown}, nil
	}
	if err != nil {
		return Verification{}, err
	}
	v := s.verdict(s.fromRow(row))
	if err := s.withPublishers(ctx, v.Certificate); err != nil {
		return Verification{}, err
	}
	if reason == ReasonNotYetValid {
		v.Valid, v.Status, v.Reason = false, "invalid", reason
	}
	return v, nil
}

// MaxBatch bounds one batch verification.
const MaxBatch = 1000

// VerifyBatch checks ids (or codes) or tokens, answering in request order.
func (s *Service) VerifyBatch(ctx context.Context, p *web.Principal, ids, tokens []string) ([]Verification, error) {
	out, err := s.verifyBatch(ctx, ids, tokens)
	if err != nil {
		return nil, err
	}
	return out, s.record(ctx, p, out)
}

func (s *Service) verifyBatch(ctx context.Context, ids, tokens []string) ([]Verification, error) {
	if (len(ids) == 0) == (len(tokens) == 0) {
		return nil, web.Invalid("the batch cannot be verified", web.FieldError{Field: "ids", Message: "send either ids or tokens"})
	}
	if len(ids)+len(tokens) > MaxBatch {
		return nil, web.Invalid("the batch cannot be verified", web.FieldError{Field: "ids", Message: "at most 1000 items"})
	}
	out := make([]Verification, 0, len(ids)+len(tokens))
	if len(tokens) > 0 {
		for _, t := range tokens {
			v, err := s.verifyToken(ctx, t)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	var plain, codes []string
	for _, id := range ids {
		if c, ok := NormalizeCode(id); ok {
			codes = append(codes, c)
		} else {
			plain = append(plain, id)
		}
	}
	rows, err := s.store.CertificatesByIDs(ctx, plain)
	if err != nil {
		return nil, err
	}
	more, err := s.store.CertificatesByCodes(ctx, codes)
	if err != nil {
		return nil, err
	}
	byKey := map[string]certificateRow{}
	for _, r := range append(rows, more...) {
		byKey[r.ID], byKey[r.Code] = r, r
	}
	for _, id := range ids {
		key := id
		if c, ok := NormalizeCode(id); ok {
			key = c
		}
		r, ok := byKey[key]
		if !ok {
			out = append(out, Verification{Status: "not_found", Reason: ReasonUnknown})
			continue
		}
		out = append(out, s.verdict(s.fromRow(r)))
	}
	cs := make([]*Certificate, len(out))
	for i := range out {
		cs[i] = out[i].Certificate
	}
	return out, s.withPublishers(ctx, cs...)
}

// Resolve verifies certificates a worker shared, by id (or code) or by
// token, in order; nil stands for one that does not exist or whose token
// does not verify.
func (s *Service) Resolve(ctx context.Context, ids, tokens []string) ([]*Certificate, error) {
	vs, err := s.verifyBatch(ctx, ids, tokens)
	if err != nil {
		return nil, err
	}
	out := make([]*Certificate, len(vs))
	for i, v := range vs {
		out[i] = v.Certificate
	}
	return out, nil
}
