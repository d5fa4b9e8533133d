// hot.go holds the read side's in-process caches: the certificates that
// verification reads, their courses' publishers and the signed status
// lists. The change bus keeps them coherent across replicas: revocation
// and erasure publish dbx.TopicCertificates (key: the certificate id) in
// their transaction, rotation publishes dbx.TopicKeys.

package certs

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"skillgate/app/dbx"
)

// hotCertificates bounds the certificates kept for verification (about
// half a KiB each, without their tokens).
const hotCertificates = 50000

// hotReads are the caches; each is nil without a change bus, and every
// read then goes to the database, as it does inside a transaction (which
// may have changed what they hold, and may yet roll back).
type hotReads struct {
	bus *dbx.Changes
	// certs are certificates by id, without their tokens. Never a miss:
	// a certificate issued later would make a cached "unknown" wrong,
	// and issuing does not publish.
	certs *dbx.Cache[Certificate]
	// codes maps a normalised code to its certificate id; a code never
	// changes once issued, so nothing drops it.
	codes *dbx.Cache[string]
	// pubs are publishers by course id: a course's endorsement and owner
	// change with dbx.TopicCourses, an owner's or organization's name
	// with dbx.TopicAccounts.
	pubs *dbx.Cache[Publisher]
	// lists are signed status lists by list id. The bus names the
	// certificate, not its list, so any certificate change drops them
	// all (they are few, and the signed token is kept in the database).
	lists *dbx.Cache[signedList]
	// tokens are tokens whose signature and shape checked out, by their
	// SHA-256, without their raw claims: a signature once good stays
	// good (keys are never deleted), and the dates are checked at every
	// use. Rotation flushes them all the same.
	tokens *dbx.Cache[TokenClaims]
	// jwks is the published key set (keys_service.go).
	jwks jwksCache
}

// signedList is a status list credential and when it was signed.
type signedList struct {
	token string
	at    time.Time
}

func newHotReads(s *Service, bus *dbx.Changes) *hotReads {
	h := &hotReads{bus: bus}
	if bus == nil {
		return h
	}
	h.certs = dbx.NewCache[Certificate](hotCertificates, bus, dbx.TopicCertificates, true)
	h.codes = dbx.NewCache[string](hotCertificates, nil, "", false)
	h.pubs = dbx.NewCache[Publisher](4096, bus, dbx.TopicCourses, true)
	bus.Subscribe(dbx.TopicAccounts, func(string) { h.pubs.Flush() })
	h.tokens = dbx.NewCache[TokenClaims](hotCertificates, bus, dbx.TopicKeys, false)
	h.lists = dbx.NewCache[signedList](1024, bus, dbx.TopicCertificates, false)
	bus.Subscribe(dbx.TopicKeys, func(string) { s.keysChanged() })
	return h
}

// publish records, in the context's transaction, that key of topic
// changed, so that every replica drops what it holds of it.
func (s *Service) publish(ctx context.Context, topic, key string) error {
	if err := s.hot.bus.Publish(ctx, topic, key); err != nil {
		return fmt.Errorf("certs: announce change of %s %s: %w", topic, key, err)
	}
	return nil
}

// certificateStatus is a certificate as verification reads it (without
// its token), from memory when it can be: by id, or by code through the
// code's id.
func (s *Service) certificateStatus(ctx context.Context, idOrCode string) (Certificate, error) {
	h := s.hot
	if h.certs == nil || dbx.InTx(ctx) {
		row, err := s.store.CertificateStatus(ctx, idOrCode)
		if err != nil {
			return Certificate{}, err
		}
		return s.fromRow(row), nil
	}
	// Keys stored are the row's own strings, never the caller's: a
	// handler's may be Fiber's reused memory.
	if code, ok := NormalizeCode(idOrCode); ok {
		if id, ok := h.codes.Get(code); ok {
			idOrCode = id
		}
	}
	if c, ok := h.certs.Get(idOrCode); ok {
		return c, nil
	}
	gen, codeGen := h.certs.Generation(), h.codes.Generation()
	row, err := s.store.CertificateStatus(ctx, idOrCode)
	if err != nil {
		return Certificate{}, err
	}
	c := s.fromRow(row)
	h.certs.Put(gen, row.ID, c)
	h.codes.Put(codeGen, row.Code, row.ID)
	return c, nil
}

// certificatesStatus is certificateStatus for many ids or codes at once:
// what memory lacks is read in two queries. Unknown ones are absent from
// the answer, which is keyed by the id or code asked for.
func (s *Service) certificatesStatus(ctx context.Context, idsOrCodes []string) (map[string]Certificate, error) {
	h := s.hot
	cached := h.certs != nil && !dbx.InTx(ctx)
	out := make(map[string]Certificate, len(idsOrCodes))
	var plain, codes []string
	for _, k := range idsOrCodes {
		code, isCode := NormalizeCode(k)
		if cached {
			id := k
			if isCode {
				id, _ = h.codes.Get(code)
			}
			if c, ok := h.certs.Get(id); ok {
				out[k] = c
				continue
			}
		}
		if isCode {
			codes = append(codes, code)
		} else {
			plain = append(plain, k)
		}
	}
	if len(plain)+len(codes) == 0 {
		return out, nil
	}
	var gen, codeGen uint64
	if cached {
		gen, codeGen = h.certs.Generation(), h.codes.Generation()
	}
	rows, err := s.store.CertificatesByIDs(ctx, plain)
	if err != nil {
		return nil, fmt.Errorf("certs: load certificates to verify: %w", err)
	}
	more, err := s.store.CertificatesByCodes(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("certs: load certificates to verify by code: %w", err)
	}
	byKey := map[string]Certificate{}
	for _, r := range append(rows, more...) {
		c := s.fromRow(r)
		byKey[r.ID], byKey[r.Code] = c, c
		if cached {
			h.certs.Put(gen, r.ID, c)
			h.codes.Put(codeGen, r.Code, r.ID)
		}
	}
	for _, k := range idsOrCodes {
		if _, done := out[k]; done {
			continue
		}
		key := k
		if code, ok := NormalizeCode(k); ok {
			key = code
		}
		if c, ok := byKey[key]; ok {
			out[k] = c
		}
	}
	return out, nil
}

// publishers describes the publishers of courses, from memory when it can.
func (s *Service) publishers(ctx context.Context, courseIDs []string) (map[string]Publisher, error) {
	h := s.hot
	if h.pubs == nil || dbx.InTx(ctx) {
		return s.courses.Publishers(ctx, courseIDs)
	}
	out := make(map[string]Publisher, len(courseIDs))
	var missing []string
	for _, id := range courseIDs {
		if p, ok := h.pubs.Get(id); ok {
			out[id] = p
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	gen := h.pubs.Generation()
	got, err := s.courses.Publishers(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, id := range missing {
		// A course that is gone stays gone: its unknown publisher is kept.
		out[id] = got[id]
		h.pubs.Put(gen, id, got[id])
	}
	return out, nil
}

// tokenClaims checks a token's signature and shape, from memory when the
// same token checked out before, and its dates at now.
func (s *Service) tokenClaims(ctx context.Context, token string) (*TokenClaims, Reason) {
	h := s.hot
	if h.tokens == nil {
		return VerifyToken(token, s.KeySet(ctx, peekKid(token)), s.opt.Now())
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	key := string(sum[:])
	now := s.opt.Now()
	if tc, ok := h.tokens.Get(key); ok {
		return &tc, tc.dates(now)
	}
	gen := h.tokens.Generation()
	tc, reason := VerifyToken(token, s.KeySet(ctx, peekKid(token)), now)
	if tc != nil {
		kept := *tc
		kept.Raw = nil
		h.tokens.Put(gen, key, kept)
	}
	return tc, reason
}
