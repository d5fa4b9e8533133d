package certs

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"skillgate/app/dbx"
	"skillgate/app/secrets"
	"skillgate/app/web"
)

// DefaultValidity is a certificate's life when its course sets none.
const DefaultValidity = 2 * 365 * 24 * time.Hour

// CourseInfo is what a certificate states of its course.
type CourseInfo struct {
	ID, Slug, Title, Summary, Language string
	Version                            int
	ValidityDays                       int
	PassPercent                        float64 // of the version's final, when known
	Publisher                          Publisher
}

// Publisher is who published a course: any trainer may publish a course
// titled like an official one, so every verify surface names the
// publisher and says whether the platform endorsed the course.
type Publisher struct {
	Name         string // the trainer's name; the platform's for built-in courses
	Organization string // the trainer's organization, if any
	BuiltIn      bool   // a built-in course: the platform itself published it
	Endorsed     bool   // an admin endorsed the course for the catalogue (built-in ones always are)
	OwnerID      string // the owning trainer, "" for built-in courses
}

// Label is the publisher as a person reads it: "Name (Organization)".
func (p Publisher) Label() string {
	name := p.Name
	if name == "" {
		name = "an unknown publisher"
	}
	if p.Organization != "" {
		return name + " (" + p.Organization + ")"
	}
	return name
}

// Courses is what certificates need of the courses domain.
type Courses interface {
	// CourseVersion describes a published version of a course.
	CourseVersion(ctx context.Context, courseID string, version int) (CourseInfo, error)
	// CourseVersionBySlug is CourseVersion by the course's slug (for the
	// achievement URLs credentials carry).
	CourseVersionBySlug(ctx context.Context, slug string, version int) (CourseInfo, error)
	// Authorize fails unless p may author the course.
	Authorize(ctx context.Context, p web.Principal, courseID string) error
	// Publishers describes the publishers of courses, by course id.
	Publishers(ctx context.Context, courseIDs []string) (map[string]Publisher, error)
}

// Holders names certificate holders.
type Holders interface {
	HolderName(ctx context.Context, userID string) (string, error)
}

// Trail records employers' checks of certificates in their holders'
// trails; checks by anyone else are ignored by the implementation.
type Trail interface {
	Record(ctx context.Context, p web.Principal, kind string, byHolder map[string][]string) error
}

// RevocationHook runs inside the revocation's transaction (to queue the
// events that tell employers).
type RevocationHook interface {
	OnRevoked(ctx context.Context, certificateID string, at time.Time) error
}

// Options configure the service.
type Options struct {
	BaseURL    string
	IssuerName string
	Box        *secrets.Box
	Now        func() time.Time
}

// Service is the certificates use cases.
type Service struct {
	db      *gorm.DB
	store   *Store
	courses Courses
	holders Holders
	trail   Trail
	revoked RevocationHook
	opt     Options

	mu      sync.RWMutex
	keys    map[string]Key // every key, public halves; the current one with its private half
	set     KeySet         // the public keys by both kids
	current string
	// ecCurrent is the current P-256 key (ES256 tokens, offered beside
	// the contract's EdDSA ones).
	ecCurrent string
	loaded    time.Time

	// jwks is the published key set, cached: building it reads the
	// certificates table. A rotation here drops it; one made by another
	// replica shows within keyRefresh.
	jwksMu sync.Mutex
	jwks   *JWKS
	jwksAt time.Time
}

// NewService loads the signing keys, creating the first one if no replica
// has yet.
func NewService(ctx context.Context, db *gorm.DB, courses Courses, holders Holders, opt Options) (*Service, error) {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Box == nil {
		opt.Box, _ = secrets.NewBox(nil)
	}
	if opt.IssuerName == "" {
		opt.IssuerName = "Skillgate"
	}
	s := &Service{db: db, store: NewStore(db), courses: courses, holders: holders, opt: opt}
	if err := s.loadKeys(ctx); err != nil {
		return nil, err
	}
	if s.current == "" {
		if err := s.firstKey(ctx); err != nil {
			return nil, err
		}
	}
	if s.ecCurrent == "" {
		if err := s.firstECKey(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// SetTrail connects the verification trail and the revocation hook.
func (s *Service) SetTrail(t Trail, h RevocationHook) { s.trail, s.revoked = t, h }

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

// Store exposes the store to adapters and tests.
func (s *Service) Store() *Store { return s.store }

// loadKeys reads every key; public keys never change, so they are kept,
// and a kid not yet known is looked up again (a key rotated on another
// replica).
func (s *Service) loadKeys(ctx context.Context) error {
	rows, err := s.store.Keys(ctx)
	if err != nil {
		return fmt.Errorf("certs: load keys: %w", err)
	}
	keys := map[string]Key{}
	set := KeySet{}
	current := ""
	for _, r := range rows {
		k := Key{ID: r.ID, URI: KeyURI(s.opt.BaseURL, r.ID), Public: ed25519.PublicKey(r.PublicKey), CreatedAt: r.CreatedAt, Current: r.Current}
		if r.Current {
			seed, err := s.opt.Box.Open(r.PrivateKey, []byte(r.ID))
			if err != nil {
				return fmt.Errorf("certs: open signing key %s: %w", r.ID, err)
			}
			k.Private = ed25519.NewKeyFromSeed(seed)
			current = r.ID
		}
		keys[r.ID] = k
		set.add(k)
	}
	ecCurrent, err := s.loadECKeys(ctx, keys, set)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.keys, s.set, s.current, s.ecCurrent, s.loaded = keys, set, current, ecCurrent, time.Now()
	s.mu.Unlock()
	return nil
}

// firstKeyLock serialises the first start of several replicas.
const firstKeyLock = 0x5c111a7f

// firstKey makes the first signing key unless a replica starting at the
// same moment already has: one key, whoever is first.
func (s *Service) firstKey(ctx context.Context) error {
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		if err := dbx.LockTx(ctx, s.db, firstKeyLock); err != nil {
			return err
		}
		rows, err := s.store.Keys(ctx)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			return s.loadKeys(ctx)
		}
		_, err = s.RotateKey(ctx)
		return err
	})
}

// RotateKey makes a new signing key current; older keys keep verifying.
func (s *Service) RotateKey(ctx context.Context) (Key, error) {
	k, err := GenerateKey(s.opt.Now())
	if err != nil {
		return Key{}, err
	}
	sealed, err := s.opt.Box.Seal(k.Private.Seed(), []byte(k.ID))
	if err != nil {
		return Key{}, err
	}
	err = dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		return s.store.InsertKey(ctx, keyRow{ID: k.ID, PublicKey: k.Public, PrivateKey: sealed, Current: true, CreatedAt: k.CreatedAt})
	})
	if err != nil {
		return Key{}, err
	}
	k.Current, k.URI = true, KeyURI(s.opt.BaseURL, k.ID)
	s.jwksMu.Lock()
	s.jwks = nil
	s.jwksMu.Unlock()
	return k, s.loadKeys(ctx)
}

// keyRefresh is how soon a replica notices a key rotated elsewhere.
const keyRefresh = time.Minute

// signingKey is the current key, reloaded now and then so that a rotation
// made by another process is picked up without a restart.
func (s *Service) signingKey(ctx context.Context) Key {
	s.mu.RLock()
	stale := time.Since(s.loaded) > keyRefresh
	s.mu.RUnlock()
	if stale {
		_ = s.loadKeys(ctx) // on failure keep signing with the key in hand
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys[s.current]
}

// SigningKey is the current signing key, for tools that issue in bulk
// (the load tool's seeding); never reachable over HTTP.
func (s *Service) SigningKey(ctx context.Context) Key { return s.signingKey(ctx) }

// KeySet returns the public keys, reloading once when kid is not known.
func (s *Service) KeySet(ctx context.Context, kid string) KeySet {
	s.mu.RLock()
	_, known := s.set[kid]
	s.mu.RUnlock()
	if !known && kid != "" {
		_ = s.loadKeys(ctx)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.set
}

// JWKS publishes every key that may still have valid certificates, and
// the current signing key. The answer is cached: it changes only with a
// rotation (which drops the cache here) or when a key's last certificate
// expires, and other replicas' rotations show within keyRefresh.
func (s *Service) JWKS(ctx context.Context) (JWKS, error) {
	s.jwksMu.Lock()
	defer s.jwksMu.Unlock()
	if s.jwks != nil && time.Since(s.jwksAt) < keyRefresh {
		return *s.jwks, nil
	}
	if err := s.loadKeys(ctx); err != nil {
		return JWKS{}, err
	}
	inUse, err := s.store.KeysInUse(ctx, s.opt.Now())
	if err != nil {
		return JWKS{}, err
	}
	s.mu.RLock()
	out := JWKS{Keys: []JWK{}}
	ids := make([]string, 0, len(s.keys))
	for id := range s.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		// ES256 tokens are signed whenever a certificate is read, so every
		// P-256 key may have valid ones.
		if id == s.current || slices.Contains(inUse, id) || s.keys[id].Alg == AlgES256 {
			out.Keys = append(out.Keys, PublicJWK(s.keys[id]))
		}
	}
	s.mu.RUnlock()
	s.jwks, s.jwksAt = &out, time.Now()
	return out, nil
}

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
	pubs, err := s.courses.Publishers(ctx, ids)
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

// IssuerName is the platform's name, which endorses courses and signs.
func (s *Service) IssuerName() string { return s.opt.IssuerName }

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
// is given). The status list, the verify answers and the page read the
// same row, so all change at once.
func (s *Service) Revoke(ctx context.Context, p web.Principal, idOrCode, reason, category string) (Certificate, error) {
	reason = strings.TrimSpace(reason)
	var bad []web.FieldError
	if reason == "" || len(reason) > 500 {
		bad = append(bad, web.FieldError{Field: "reason", Message: "is required (at most 500 characters)"})
	}
	if category == "" {
		category = "other"
	}
	if !slices.Contains(RevocationCategories, category) {
		bad = append(bad, web.FieldError{Field: "category", Message: "must be one of " + strings.Join(RevocationCategories, ", ")})
	}
	if len(bad) > 0 {
		return Certificate{}, web.Invalid("the certificate cannot be revoked", bad...)
	}
	var out Certificate
	err := dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
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
			return web.Conflict("the certificate is already revoked")
		}
		if err := s.store.AddEvent(ctx, eventRow{ID: dbx.NewID(), CertificateID: row.ID, Action: "revoked", ActorID: p.UserID, Reason: reason, At: now}); err != nil {
			return err
		}
		if s.revoked != nil {
			if err := s.revoked.OnRevoked(ctx, row.ID, now); err != nil {
				return err
			}
		}
		row, err = s.store.Certificate(ctx, row.ID)
		out = s.fromRow(row)
		return err
	})
	return out, err
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

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.opt.Now() }

// BaseURL is the public URL certificates name.
func (s *Service) BaseURL() string { return s.opt.BaseURL }

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

// ExpiredBetween lists certificates that expired in (from, to].
func (s *Service) ExpiredBetween(ctx context.Context, from, to time.Time) ([]string, error) {
	return s.store.ExpiredBetween(ctx, from, to)
}
