// verify.go holds verification: by id, by token, in batches, and the verification trail.

package certs

import (
	"context"
	"fmt"
	"slices"

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

// ClaimKind is how a verifier names a certificate.
type ClaimKind string

// The ways to name a certificate. A new verification method is a new kind
// here and a case in Service.check.
const (
	// ClaimID names a certificate by its id or its printed code.
	ClaimID ClaimKind = "id"
	// ClaimToken presents a certificate's signed credential.
	ClaimToken ClaimKind = "token"
)

// Claim is one certificate a verifier presents to be checked.
type Claim struct {
	Kind  ClaimKind
	Value string
}

// IDClaim names a certificate by id or code.
func IDClaim(idOrCode string) Claim { return Claim{Kind: ClaimID, Value: idOrCode} }

// TokenClaim presents a signed credential.
func TokenClaim(token string) Claim { return Claim{Kind: ClaimToken, Value: token} }

// Claims turns the two lists of the batch request bodies (ids or codes,
// tokens) into claims, ids first.
func Claims(ids, tokens []string) []Claim {
	out := make([]Claim, 0, len(ids)+len(tokens))
	for _, id := range ids {
		out = append(out, IDClaim(id))
	}
	for _, t := range tokens {
		out = append(out, TokenClaim(t))
	}
	return out
}

// VerifyID checks a certificate by id or code (404 when unknown); the
// check of an employer (p) is recorded in the holder's trail.
func (s *Service) VerifyID(ctx context.Context, p *web.Principal, idOrCode string) (Verification, error) {
	return s.Verify(ctx, p, IDClaim(idOrCode))
}

// VerifyToken checks a token's signature and shape, then the certificate
// it names: revoked or expired certificates are not valid, whatever the
// token says.
func (s *Service) VerifyToken(ctx context.Context, p *web.Principal, token string) (Verification, error) {
	return s.Verify(ctx, p, TokenClaim(token))
}

// Verify checks one claim: an id or code unknown is not found (404), a
// token that does not verify is an invalid answer. The check of an
// employer (p) is recorded in the holder's trail.
func (s *Service) Verify(ctx context.Context, p *web.Principal, claim Claim) (Verification, error) {
	v, err := s.check(ctx, claim)
	if err != nil {
		return v, err
	}
	if err := s.withPublishers(ctx, v.Certificate); err != nil {
		return Verification{}, err
	}
	return v, s.record(ctx, p, []Verification{v})
}

// check verifies one claim, without its publisher.
func (s *Service) check(ctx context.Context, claim Claim) (Verification, error) {
	switch claim.Kind {
	case ClaimID:
		c, err := s.certificateStatus(ctx, claim.Value)
		if err != nil {
			return Verification{}, err
		}
		return s.verdict(c), nil
	case ClaimToken:
		return s.checkToken(ctx, claim.Value)
	}
	return Verification{}, fmt.Errorf("certs: unknown kind of claim %q", claim.Kind)
}

func (s *Service) checkToken(ctx context.Context, token string) (Verification, error) {
	tc, reason := s.tokenClaims(ctx, token)
	if tc == nil {
		return Verification{Status: "invalid", Reason: reason}, nil
	}
	c, err := s.certificateStatus(ctx, tc.CertificateID)
	if web.IsKind(err, web.KindNotFound) {
		return Verification{Status: "invalid", Reason: ReasonUnknown}, nil
	}
	if err != nil {
		return Verification{}, err
	}
	v := s.verdict(c)
	if reason == ReasonNotYetValid {
		v.Valid, v.Status, v.Reason = false, "invalid", reason
	}
	return v, nil
}

// MaxBatch bounds one batch verification.
const MaxBatch = 1000

// VerifyBatch checks claims of one kind (ids or codes, or tokens),
// answering in request order; an unknown id is a not_found answer.
func (s *Service) VerifyBatch(ctx context.Context, p *web.Principal, claims []Claim) ([]Verification, error) {
	out, err := s.verifyBatch(ctx, claims)
	if err != nil {
		return nil, err
	}
	return out, s.record(ctx, p, out)
}

func (s *Service) verifyBatch(ctx context.Context, claims []Claim) ([]Verification, error) {
	if len(claims) == 0 || slices.ContainsFunc(claims, func(c Claim) bool { return c.Kind != claims[0].Kind }) {
		return nil, web.Invalid("the batch cannot be verified", web.Either("ids", "ids", "tokens"))
	}
	if len(claims) > MaxBatch {
		return nil, web.Invalid("the batch cannot be verified", web.RuleMaxItems.On("ids", "Max", 1000))
	}
	out := make([]Verification, len(claims))
	// Ids and codes are read together: from memory, the rest in one go.
	var keys []string
	for _, c := range claims {
		if c.Kind == ClaimID {
			keys = append(keys, c.Value)
		}
	}
	found, err := s.certificatesStatus(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i, c := range claims {
		if c.Kind == ClaimID {
			if cert, ok := found[c.Value]; ok {
				out[i] = s.verdict(cert)
			} else {
				out[i] = Verification{Status: "not_found", Reason: ReasonUnknown}
			}
			continue
		}
		if out[i], err = s.check(ctx, c); err != nil {
			return nil, err
		}
	}
	cs := make([]*Certificate, len(out))
	for i := range out {
		cs[i] = out[i].Certificate
	}
	return out, s.withPublishers(ctx, cs...)
}

// Resolve verifies certificates a worker shared, in order; nil stands
// for one that does not exist or whose token does not verify.
func (s *Service) Resolve(ctx context.Context, claims []Claim) ([]*Certificate, error) {
	vs, err := s.verifyBatch(ctx, claims)
	if err != nil {
		return nil, err
	}
	out := make([]*Certificate, len(vs))
	for i, v := range vs {
		out[i] = v.Certificate
	}
	return out, nil
}
