package tiers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/secrets"
	"skillgate/app/web"
)

// SharedCertificate is a certificate a worker shared with an employer, as
// resolved (and, for a token, verified).
type SharedCertificate struct {
	Fact
	HolderID   string
	HolderName string
	Found      bool // false: no such certificate, or a token that does not verify
}

// ClaimKind is how a worker shares a certificate, as the certificates
// domain names it.
type ClaimKind string

// The ways to share a certificate.
const (
	ClaimID    ClaimKind = "id"    // its id or printed code
	ClaimToken ClaimKind = "token" // its signed credential
)

// Claim is one certificate a worker shared.
type Claim struct {
	Kind  ClaimKind
	Value string
}

// Claims turns the request's two lists (ids or codes, tokens) into
// claims, ids first.
func Claims(ids, tokens []string) []Claim {
	out := make([]Claim, 0, len(ids)+len(tokens))
	for _, id := range ids {
		out = append(out, Claim{Kind: ClaimID, Value: id})
	}
	for _, t := range tokens {
		out = append(out, Claim{Kind: ClaimToken, Value: t})
	}
	return out
}

// field is the request field that carries claims of this kind.
func (k ClaimKind) field() string {
	if k == ClaimToken {
		return "tokens"
	}
	return "certificate_ids"
}

// Certificates is what tiers need of the certificates domain.
type Certificates interface {
	HolderFacts(ctx context.Context, holderID string) ([]Fact, error)
	// Shared resolves and verifies shared certificates, in order.
	Shared(ctx context.Context, claims []Claim) ([]SharedCertificate, error)
	ExpiredBetween(ctx context.Context, from, to time.Time) ([]string, error)
}

// Organizations names organizations.
type Organizations interface {
	OrganizationNames(ctx context.Context, ids []string) (map[string]string, error)
}

// Options configure the service.
type Options struct {
	AllowPrivateWebhooks bool
	Box                  *secrets.Box
	Now                  func() time.Time
	Log                  *slog.Logger
}

// Service is the tiers use cases.
type Service struct {
	store *Store
	certs Certificates
	orgs  Organizations
	opt   Options
	http  *http.Client
	guard addressGuard
}

// NewService returns the service on store.
func NewService(store *Store, certs Certificates, orgs Organizations, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Box == nil {
		opt.Box, _ = secrets.NewBox(nil)
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	s := &Service{store: store, certs: certs, orgs: orgs, opt: opt, guard: addressGuard{allowPrivate: opt.AllowPrivateWebhooks, own: newOwnAddresses()}}
	s.http = newClient(s.guard)
	return s
}

func validateTier(t Tier) []web.FieldError {
	var f []web.FieldError
	add := func(e web.FieldError) { f = append(f, e) }
	if !web.IsSlug(t.Slug) || len(t.Slug) > 100 {
		add(web.NotSlug("slug"))
	}
	if strings.TrimSpace(t.Name) == "" || len(t.Name) > 200 {
		add(web.RequiredUpTo("name", 200))
	}
	if t.Rank < 1 || t.Rank > 1000 {
		add(web.Between("rank", 1, 1000))
	}
	if t.HourlyRateUSD < 0 || t.HourlyRateUSD > 10000 {
		add(web.Between("hourly_rate_usd", 0, 10000))
	}
	if len(t.Description) > 2000 {
		add(web.TooLong("description", 2000))
	}
	if len(t.Requirements) == 0 || len(t.Requirements) > 20 {
		add(web.RuleItemCount.On("requirements", "Min", 1, "Max", 20))
	}
	for i, r := range t.Requirements {
		p := fmt.Sprintf("requirements[%d]", i)
		if !web.IsSlug(r.CourseSlug) {
			add(web.RuleCourseSlug.On(p + ".course_slug"))
		}
		if r.MinPercent < 0 || r.MinPercent > 100 {
			add(web.Between(p+".min_percent", 0, 100))
		}
		if r.MaxAgeDays < 0 {
			add(web.Negative(p + ".max_age_days"))
		}
	}
	return f
}

// Tiers lists every tier by rank.
func (s *Service) Tiers(ctx context.Context) ([]Tier, error) { return s.store.Tiers(ctx) }

// CreateTier adds a tier.
func (s *Service) CreateTier(ctx context.Context, t Tier) (Tier, error) {
	t.ID = dbx.NewID()
	if f := validateTier(t); len(f) > 0 {
		return Tier{}, web.Invalid("the tier is not valid", f...)
	}
	return t, s.store.CreateTier(ctx, t, s.opt.Now())
}

// UpdateTier replaces a tier.
func (s *Service) UpdateTier(ctx context.Context, id string, t Tier) (Tier, error) {
	t.ID = id
	if f := validateTier(t); len(f) > 0 {
		return Tier{}, web.Invalid("the tier is not valid", f...)
	}
	return t, s.store.UpdateTier(ctx, t, s.opt.Now())
}

// SeedBuiltIn adds the built-in tiers that are not there yet.
func (s *Service) SeedBuiltIn(ctx context.Context) (int, error) {
	have, err := s.store.TierSlugs(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range BuiltIn() {
		if slices.Contains(have, t.Slug) {
			continue
		}
		t.ID = dbx.NewID()
		if err := s.store.CreateTier(ctx, t, s.opt.Now()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// MyTier places the caller.
func (s *Service) MyTier(ctx context.Context, p web.Principal) (Result, error) {
	all, err := s.store.Tiers(ctx)
	if err != nil {
		return Result{}, err
	}
	facts, err := s.certs.HolderFacts(ctx, p.UserID)
	if err != nil {
		return Result{}, err
	}
	return Evaluate(all, facts, s.opt.Now()), nil
}

// Eligibility places the holder of the certificates a worker shared (of
// one kind: ids or tokens, never both) and records the check in the
// worker's trail.
func (s *Service) Eligibility(ctx context.Context, p web.Principal, claims []Claim) (string, string, Result, error) {
	if len(claims) == 0 || slices.ContainsFunc(claims, func(c Claim) bool { return c.Kind != claims[0].Kind }) {
		return "", "", Result{}, web.Invalid("eligibility needs certificates", web.Either("certificate_ids", "certificate_ids", "tokens"))
	}
	if len(claims) > 50 {
		return "", "", Result{}, web.Invalid("eligibility needs fewer certificates", web.RuleMaxCertificates.On("certificate_ids", "Max", 50))
	}
	shared, err := s.certs.Shared(ctx, claims)
	if err != nil {
		return "", "", Result{}, err
	}
	field := claims[0].Kind.field()
	var fields []web.FieldError
	holders := map[string]string{}
	var facts []Fact
	var certIDs []string
	for i, c := range shared {
		if !c.Found {
			fields = append(fields, web.RuleNotCertificate.On(fmt.Sprintf("%s[%d]", field, i)))
			continue
		}
		holders[c.HolderID] = c.HolderName
		facts = append(facts, c.Fact)
		certIDs = append(certIDs, c.CertificateID)
	}
	if len(fields) > 0 {
		return "", "", Result{}, web.Invalid("some certificates are not valid", fields...)
	}
	if len(holders) > 1 {
		return "", "", Result{}, web.Invalid("the certificates belong to several holders",
			web.RuleOneHolder.On(field))
	}
	var holderID, name string
	for id, n := range holders {
		holderID, name = id, n
	}
	all, err := s.store.Tiers(ctx)
	if err != nil {
		return "", "", Result{}, err
	}
	res := Evaluate(all, facts, s.opt.Now())
	if err := s.Record(ctx, p, "eligibility", map[string][]string{holderID: certIDs}); err != nil {
		return "", "", Result{}, err
	}
	return holderID, name, res, nil
}

// Record stores an employer's check of certificates, grouped by holder,
// in the holders' trails. Checks by anyone but an employer of an
// organization (admins, the public) are not employer checks and are not
// recorded.
func (s *Service) Record(ctx context.Context, p web.Principal, kind string, byHolder map[string][]string) error {
	if p.Role != web.RoleEmployer || p.OrganizationID == "" {
		return nil
	}
	now := s.opt.Now()
	checks := make([]Check, 0, len(byHolder))
	for holder, certs := range byHolder {
		if holder != "" && len(certs) > 0 {
			checks = append(checks, Check{ID: dbx.NewID(), OrganizationID: p.OrganizationID, CheckedBy: p.UserID, HolderID: holder,
				Kind: kind, CertificateIDs: certs, CheckedAt: now})
		}
	}
	return s.store.RecordChecks(ctx, checks)
}

// NamedCheck is a check with its organization's name.
type NamedCheck struct {
	Check
	OrganizationName string
}

func (s *Service) named(ctx context.Context, checks []Check) ([]NamedCheck, error) {
	ids := make([]string, 0, len(checks))
	for _, c := range checks {
		ids = append(ids, c.OrganizationID)
	}
	names, err := s.orgs.OrganizationNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]NamedCheck, len(checks))
	for i, c := range checks {
		out[i] = NamedCheck{Check: c, OrganizationName: names[c.OrganizationID]}
	}
	return out, nil
}

// MyVerifications lists who checked the caller's certificates.
func (s *Service) MyVerifications(ctx context.Context, p web.Principal, page web.Page) (web.List[NamedCheck], error) {
	return s.checks(ctx, ChecksFilter{HolderID: p.UserID}, page)
}

// OrganizationVerifications lists an organization's own checks, to its
// employers and admins; another organization's trail is not found.
func (s *Service) OrganizationVerifications(ctx context.Context, p web.Principal, orgID string, page web.Page) (web.List[NamedCheck], error) {
	if err := ownOrganization(p, orgID); err != nil {
		return web.List[NamedCheck]{}, err
	}
	return s.checks(ctx, ChecksFilter{OrganizationID: orgID}, page)
}

func (s *Service) checks(ctx context.Context, f ChecksFilter, page web.Page) (web.List[NamedCheck], error) {
	checks, err := s.store.Checks(ctx, f, page)
	if err != nil {
		return web.List[NamedCheck]{}, err
	}
	named, err := s.named(ctx, checks)
	if err != nil {
		return web.List[NamedCheck]{}, err
	}
	return web.NewList(named, page, func(c NamedCheck) string { return c.ID }), nil
}

func ownOrganization(p web.Principal, orgID string) error {
	if p.IsAdmin() || (p.Role == web.RoleEmployer && p.OrganizationID == orgID) {
		return nil
	}
	return web.NotFound("organization")
}

// Webhook is an organization's event receiver.
type Webhook struct {
	ID             string
	OrganizationID string
	URL            string
	Secret         string // shown once, at creation
	CreatedAt      time.Time
}

// webhookURLError says by its rule why checkURL refused a URL.
func webhookURLError(err error) web.FieldError {
	switch {
	case errors.Is(err, errUnresolvable):
		return web.RuleHostUnresolved.On("url")
	case errors.Is(err, errPrivateAddress):
		return web.RuleURLPrivate.On("url")
	case errors.Is(err, errOwnAddress):
		return web.RuleURLOwn.On("url")
	}
	return web.RuleWebhookURL.On("url")
}

// CreateWebhook registers a receiver and returns its HMAC secret, which
// is shown only here.
func (s *Service) CreateWebhook(ctx context.Context, p web.Principal, orgID, target string) (Webhook, error) {
	if err := ownOrganization(p, orgID); err != nil {
		return Webhook{}, err
	}
	if err := s.requireOrg(ctx, orgID); err != nil {
		return Webhook{}, err
	}
	if err := checkURL(ctx, target, s.guard); err != nil {
		return Webhook{}, web.Invalid("the webhook cannot be registered", webhookURLError(err))
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Webhook{}, err
	}
	secret := "whsec_" + hex.EncodeToString(raw)
	w := Webhook{ID: dbx.NewID(), OrganizationID: orgID, URL: target, Secret: secret, CreatedAt: s.opt.Now()}
	sealed, err := s.opt.Box.Seal([]byte(secret), []byte(w.ID))
	if err != nil {
		return Webhook{}, err
	}
	return w, s.store.CreateWebhook(ctx, webhookRow{ID: w.ID, OrganizationID: orgID, URL: target, Secret: sealed, CreatedAt: w.CreatedAt})
}

// requireOrg is nil when the organization exists, a not-found error when
// it does not, and the lookup's own error (a 500) when it cannot be told.
func (s *Service) requireOrg(ctx context.Context, orgID string) error {
	names, err := s.orgs.OrganizationNames(ctx, []string{orgID})
	if err != nil {
		return fmt.Errorf("tiers: look up organization %s: %w", orgID, err)
	}
	if names[orgID] == "" {
		return web.NotFound("organization")
	}
	return nil
}

// Webhooks lists an organization's receivers (never their secrets).
func (s *Service) Webhooks(ctx context.Context, p web.Principal, orgID string) ([]Webhook, error) {
	if err := ownOrganization(p, orgID); err != nil {
		return nil, err
	}
	rows, err := s.store.Webhooks(ctx, []string{orgID})
	if err != nil {
		return nil, err
	}
	out := make([]Webhook, len(rows))
	for i, r := range rows {
		out[i] = Webhook{ID: r.ID, OrganizationID: r.OrganizationID, URL: r.URL, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// DeleteWebhook retires a receiver.
func (s *Service) DeleteWebhook(ctx context.Context, p web.Principal, orgID, id string) error {
	if err := ownOrganization(p, orgID); err != nil {
		return err
	}
	return s.store.DeleteWebhook(ctx, orgID, id, s.opt.Now())
}

// Event types.
const (
	EventRevoked = "certificate.revoked"
	EventExpired = "certificate.expired"
)

// Event is the webhook body.
type Event struct {
	ID            string    `json:"id"`
	Type          string    `json:"type"`
	OccurredAt    time.Time `json:"occurred_at"`
	CertificateID string    `json:"certificate_id"`
}

// enqueue writes an event for every live webhook of every organization
// that checked the certificate, in the caller's transaction.
func (s *Service) enqueue(ctx context.Context, typ, certID string, at time.Time) error {
	orgs, err := s.store.CheckingOrganizations(ctx, certID)
	if err != nil || len(orgs) == 0 {
		return err
	}
	hooks, err := s.store.Webhooks(ctx, orgs)
	if err != nil {
		return err
	}
	rows := make([]outboxRow, 0, len(hooks))
	for _, h := range hooks {
		ev := Event{ID: dbx.NewID(), Type: typ, OccurredAt: at.UTC(), CertificateID: certID}
		body, _ := json.Marshal(ev)
		rows = append(rows, outboxRow{ID: ev.ID, WebhookID: h.ID, Type: typ, CertificateID: certID, Body: string(body),
			NextAttemptAt: s.opt.Now(), CreatedAt: s.opt.Now()})
	}
	return s.store.Enqueue(ctx, rows)
}

// OnRevoked queues certificate.revoked events inside the revocation's
// transaction, so the event exists exactly when the revocation does.
func (s *Service) OnRevoked(ctx context.Context, certID string, at time.Time) error {
	return s.enqueue(ctx, EventRevoked, certID, at)
}

// EnqueueExpired queues certificate.expired events for checked
// certificates that expired in the last week (the outbox's unique key
// makes repeated runs harmless).
func (s *Service) EnqueueExpired(ctx context.Context) (int, error) {
	now := s.opt.Now()
	expired, err := s.certs.ExpiredBetween(ctx, now.Add(-7*24*time.Hour), now)
	if err != nil {
		return 0, err
	}
	checked, err := s.store.CheckedAmong(ctx, expired)
	if err != nil {
		return 0, err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		for _, id := range checked {
			if err := s.enqueue(ctx, EventExpired, id, now); err != nil {
				return err
			}
		}
		return nil
	})
	return len(checked), err
}

// deliveryLease is how long a claimed event is left to one deliverer
// before another may try it (a deliverer that died mid-way).
const deliveryLease = 2 * time.Minute

// DeliverDue sends the events whose time has come. Events are claimed in a
// short transaction (SKIP LOCKED on PostgreSQL, so replicas share the
// work), delivered outside it, then marked: a failure is retried with
// backoff, and a process that stops leaves its claims to expire and be
// retried, so no event is lost. Receivers may see an event again only if
// a deliverer died between sending and marking; the event id tells them.
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	var due []outboxRow
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if due, err = s.store.Due(ctx, s.opt.Now(), 50); err != nil {
			return err
		}
		return s.store.Lease(ctx, due, s.opt.Now().Add(deliveryLease))
	})
	if err != nil {
		return 0, err
	}
	delivered := 0
	for _, ev := range due {
		ok, err := s.deliverOne(ctx, ev)
		if err != nil {
			return delivered, err
		}
		if ok {
			delivered++
		}
	}
	return delivered, nil
}

func (s *Service) deliverOne(ctx context.Context, ev outboxRow) (bool, error) {
	now := s.opt.Now()
	hook, err := s.store.Webhook(ctx, ev.WebhookID)
	if web.IsKind(err, web.KindNotFound) {
		return false, s.store.MarkFailed(ctx, ev.ID, ev.Attempts, nil, "webhook deleted", now)
	}
	if err != nil {
		return false, err
	}
	secret, err := s.opt.Box.Open(hook.Secret, []byte(hook.ID))
	if err != nil {
		return false, err
	}
	attempts := ev.Attempts + 1
	if derr := deliver(ctx, s.http, hook.URL, secret, []byte(ev.Body), ev.ID, now); derr != nil {
		var next *time.Time
		if attempts < maxAttempts {
			t := now.Add(backoff(attempts))
			next = &t
		}
		s.opt.Log.Warn("webhook delivery failed", "event", ev.ID, "webhook", hook.ID, "attempt", attempts, "err", derr)
		return false, s.store.MarkFailed(ctx, ev.ID, attempts, next, derr.Error(), now)
	}
	return true, s.store.MarkDelivered(ctx, ev.ID, attempts, s.opt.Now())
}
