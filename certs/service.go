package certs

import (
	"context"
	"sync"
	"time"

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
	// Changes is the change bus: with it, verification answers, status
	// lists and the JWKS are served from memory and kept coherent across
	// replicas; without it every read goes to the database.
	Changes *dbx.Changes
}

// Service is the certificates use cases.
type Service struct {
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

	// hot holds the read side's in-process caches (hot.go): verification
	// rows, publishers, status lists and the JWKS.
	hot *hotReads
}

// NewService loads the signing keys from store (NewStore), creating the
// first one if no replica has yet.
func NewService(ctx context.Context, store *Store, courses Courses, holders Holders, opt Options) (*Service, error) {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Box == nil {
		opt.Box, _ = secrets.NewBox(nil)
	}
	if opt.IssuerName == "" {
		opt.IssuerName = "Skillgate"
	}
	s := &Service{store: store, courses: courses, holders: holders, opt: opt}
	s.hot = newHotReads(s, opt.Changes)
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

// IssuerName is the platform's name, which endorses courses and signs.
func (s *Service) IssuerName() string { return s.opt.IssuerName }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.opt.Now() }

// BaseURL is the public URL certificates name.
func (s *Service) BaseURL() string { return s.opt.BaseURL }
