package tiers

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

type tierRow struct {
	ID            string `gorm:"primaryKey;size:36"`
	Slug          string `gorm:"size:100;not null"`
	Name          string `gorm:"size:200;not null"`
	Rank          int    `gorm:"not null"`
	Description   string `gorm:"size:2000;not null"`
	HourlyRateUSD float64
	Requirements  string `gorm:"not null"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (tierRow) TableName() string { return "tiers" }

type checkRow struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;not null"`
	CheckedBy      string `gorm:"size:36;not null"`
	HolderID       string `gorm:"size:36;not null"`
	Kind           string `gorm:"size:20;not null"`
	CheckedAt      time.Time
}

func (checkRow) TableName() string { return "verification_checks" }

type checkCertRow struct {
	CheckID        string `gorm:"primaryKey;size:36"`
	CertificateID  string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;not null"`
}

func (checkCertRow) TableName() string { return "verification_check_certificates" }

type webhookRow struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;not null"`
	URL            string `gorm:"size:2000;not null"`
	Secret         []byte `gorm:"not null"`
	CreatedAt      time.Time
	DeletedAt      *time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

type outboxRow struct {
	ID            string `gorm:"primaryKey;size:36"`
	WebhookID     string `gorm:"size:36;not null"`
	Type          string `gorm:"size:40;not null"`
	CertificateID string `gorm:"size:36;not null"`
	Body          string `gorm:"not null"`
	Attempts      int    `gorm:"not null"`
	NextAttemptAt time.Time
	DeliveredAt   *time.Time
	FailedAt      *time.Time
	LastError     string `gorm:"size:500;not null"`
	CreatedAt     time.Time
}

func (outboxRow) TableName() string { return "webhook_outbox" }

// Store persists tiers, the verification trail, webhooks and the outbox.
type Store struct{ db *gorm.DB }

// NewStore returns a store on db.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

func (s *Store) conn(ctx context.Context) *gorm.DB { return dbx.Conn(ctx, s.db) }

// InTx runs fn in one transaction, or in ctx's when it carries one, so the
// service groups store calls without holding the database itself.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return dbx.WithTx(ctx, s.db, fn)
}

func (r tierRow) domain() Tier {
	t := Tier{ID: r.ID, Slug: r.Slug, Name: r.Name, Rank: r.Rank, Description: r.Description, HourlyRateUSD: r.HourlyRateUSD}
	_ = json.Unmarshal([]byte(r.Requirements), &t.Requirements)
	if t.Requirements == nil {
		t.Requirements = []Requirement{}
	}
	return t
}

func tierToRow(t Tier, now time.Time) tierRow {
	req, _ := json.Marshal(t.Requirements)
	return tierRow{ID: t.ID, Slug: t.Slug, Name: t.Name, Rank: t.Rank, Description: t.Description, HourlyRateUSD: t.HourlyRateUSD,
		Requirements: string(req), CreatedAt: now, UpdatedAt: now}
}

var errTierTaken = web.DetailTierTaken.Conflict()

// Tiers lists every tier by rank.
func (s *Store) Tiers(ctx context.Context) ([]Tier, error) {
	var rows []tierRow
	if err := s.conn(ctx).Order("rank").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("tiers: list: %w", err)
	}
	out := make([]Tier, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// CreateTier inserts t.
func (s *Store) CreateTier(ctx context.Context, t Tier, now time.Time) error {
	row := tierToRow(t, now)
	return dbx.WriteErr(s.conn(ctx).Create(&row).Error, errTierTaken, "tiers: create tier")
}

// UpdateTier replaces t.
func (s *Store) UpdateTier(ctx context.Context, t Tier, now time.Time) error {
	row := tierToRow(t, now)
	res := s.conn(ctx).Model(&tierRow{}).Where("id = ?", t.ID).Updates(map[string]any{"slug": row.Slug, "name": row.Name,
		"rank": row.Rank, "description": row.Description, "hourly_rate_usd": row.HourlyRateUSD, "requirements": row.Requirements,
		"updated_at": now})
	if dbx.IsDuplicate(res.Error) {
		return errTierTaken
	}
	if res.Error != nil {
		return storeErr("update tier", res.Error)
	}
	if res.RowsAffected == 0 {
		return web.NotFound("tier")
	}
	return nil
}

// TierSlugs lists the slugs of every tier.
func (s *Store) TierSlugs(ctx context.Context) ([]string, error) {
	var slugs []string
	err := s.conn(ctx).Model(&tierRow{}).Pluck("slug", &slugs).Error
	return slugs, storeErr("list tier slugs", err)
}

// Check is one recorded employer check of one holder's certificates.
type Check struct {
	ID             string
	OrganizationID string
	CheckedBy      string
	HolderID       string
	Kind           string
	CertificateIDs []string
	CheckedAt      time.Time
}

// RecordChecks stores checks and the certificates they covered, in two
// multi-row inserts (a batch verification checks up to 1,000 holders).
func (s *Store) RecordChecks(ctx context.Context, checks []Check) error {
	if len(checks) == 0 {
		return nil
	}
	rows := make([]checkRow, len(checks))
	var items []checkCertRow
	for i, c := range checks {
		rows[i] = checkRow{ID: c.ID, OrganizationID: c.OrganizationID, CheckedBy: c.CheckedBy, HolderID: c.HolderID, Kind: c.Kind, CheckedAt: c.CheckedAt}
		seen := map[string]bool{}
		for _, id := range c.CertificateIDs {
			if !seen[id] {
				seen[id] = true
				items = append(items, checkCertRow{CheckID: c.ID, CertificateID: id, OrganizationID: c.OrganizationID})
			}
		}
	}
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		if err := s.conn(ctx).CreateInBatches(&rows, 500).Error; err != nil {
			return fmt.Errorf("tiers: record checks: %w", err)
		}
		if err := s.conn(ctx).CreateInBatches(&items, 500).Error; err != nil {
			return fmt.Errorf("tiers: record check certificates: %w", err)
		}
		return nil
	})
}

// ChecksFilter selects checks by holder or by organization.
type ChecksFilter struct {
	HolderID       string
	OrganizationID string
}

// Checks lists checks, newest first, up to p.Limit+1 after the cursor.
func (s *Store) Checks(ctx context.Context, f ChecksFilter, p web.Page) ([]Check, error) {
	q := dbx.PageByID(s.conn(ctx), p, true)
	if f.HolderID != "" {
		q = q.Where("holder_id = ?", f.HolderID)
	}
	if f.OrganizationID != "" {
		q = q.Where("organization_id = ?", f.OrganizationID)
	}
	var rows []checkRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("tiers: list checks: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var items []checkCertRow
	if len(ids) > 0 {
		if err := s.conn(ctx).Where("check_id IN ?", ids).Order("certificate_id").Find(&items).Error; err != nil {
			return nil, storeErr("list checked certificates", err)
		}
	}
	certs := map[string][]string{}
	for _, it := range items {
		certs[it.CheckID] = append(certs[it.CheckID], it.CertificateID)
	}
	out := make([]Check, len(rows))
	for i, r := range rows {
		out[i] = Check{ID: r.ID, OrganizationID: r.OrganizationID, CheckedBy: r.CheckedBy, HolderID: r.HolderID, Kind: r.Kind,
			CertificateIDs: certs[r.ID], CheckedAt: r.CheckedAt}
		if out[i].CertificateIDs == nil {
			out[i].CertificateIDs = []string{}
		}
	}
	return out, nil
}

// CheckingOrganizations lists the organizations that checked a certificate.
func (s *Store) CheckingOrganizations(ctx context.Context, certificateID string) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&checkCertRow{}).Where("certificate_id = ?", certificateID).Distinct().Pluck("organization_id", &ids).Error
	return ids, storeErr("list checking organizations", err)
}

// CheckedAmong keeps the certificates of ids that some organization checked.
func (s *Store) CheckedAmong(ctx context.Context, ids []string) ([]string, error) {
	var out []string
	if len(ids) == 0 {
		return out, nil
	}
	err := s.conn(ctx).Model(&checkCertRow{}).Where("certificate_id IN ?", ids).Distinct().Pluck("certificate_id", &out).Error
	return out, storeErr("list checked certificates", err)
}

// CreateWebhook stores a webhook.
func (s *Store) CreateWebhook(ctx context.Context, w webhookRow) error {
	return storeErr("create webhook", s.conn(ctx).Create(&w).Error)
}

// Webhooks lists an organization's live webhooks (all organizations when
// orgIDs is nil... never: callers pass the ones they want).
func (s *Store) Webhooks(ctx context.Context, orgIDs []string) ([]webhookRow, error) {
	var rows []webhookRow
	if len(orgIDs) == 0 {
		return rows, nil
	}
	err := s.conn(ctx).Where("organization_id IN ? AND deleted_at IS NULL", orgIDs).Order("id").Find(&rows).Error
	return rows, storeErr("list webhooks", err)
}

// Webhook loads one live webhook.
func (s *Store) Webhook(ctx context.Context, id string) (webhookRow, error) {
	var row webhookRow
	err := s.conn(ctx).Where("id = ? AND deleted_at IS NULL", id).Take(&row).Error
	if dbx.IsNotFound(err) {
		return row, web.NotFound("webhook")
	}
	return row, storeErr("load webhook", err)
}

// DeleteWebhook retires a webhook; its pending deliveries stop.
func (s *Store) DeleteWebhook(ctx context.Context, orgID, id string, now time.Time) error {
	res := s.conn(ctx).Model(&webhookRow{}).Where("id = ? AND organization_id = ? AND deleted_at IS NULL", id, orgID).Update("deleted_at", now)
	if res.Error != nil {
		return storeErr("delete webhook", res.Error)
	}
	if res.RowsAffected == 0 {
		return web.NotFound("webhook")
	}
	return nil
}

// Enqueue adds events to the outbox, once per webhook, type and
// certificate.
func (s *Store) Enqueue(ctx context.Context, rows []outboxRow) error {
	if len(rows) == 0 {
		return nil
	}
	return storeErr("enqueue events", s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error)
}

// Due lists undelivered events whose time has come.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]outboxRow, error) {
	var rows []outboxRow
	q := s.conn(ctx).Where("delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?", now).Order("next_attempt_at, id").Limit(limit)
	if dbx.DialectOf(s.db) == dbx.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	err := q.Find(&rows).Error
	return rows, storeErr("list due events", err)
}

// Lease pushes claimed events' next attempt past until, so no other
// deliverer takes them meanwhile.
func (s *Store) Lease(ctx context.Context, rows []outboxRow, until time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return storeErr("lease events", s.conn(ctx).Model(&outboxRow{}).Where("id IN ?", ids).Update("next_attempt_at", until).Error)
}

// MarkDelivered records a delivery.
func (s *Store) MarkDelivered(ctx context.Context, id string, attempts int, now time.Time) error {
	return storeErr("mark event delivered", s.conn(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{"delivered_at": now, "attempts": attempts}).Error)
}

// MarkFailed schedules a retry, or gives up when next is nil.
func (s *Store) MarkFailed(ctx context.Context, id string, attempts int, next *time.Time, reason string, now time.Time) error {
	cols := map[string]any{"attempts": attempts, "last_error": truncate(reason, 500)}
	if next == nil {
		cols["failed_at"] = now
	} else {
		cols["next_attempt_at"] = *next
	}
	return storeErr("mark event failed", s.conn(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(cols).Error)
}

// Outbox lists every event of a webhook (tests, operators).
func (s *Store) Outbox(ctx context.Context, webhookID string) ([]outboxRow, error) {
	var rows []outboxRow
	err := s.conn(ctx).Where("webhook_id = ?", webhookID).Order("created_at, id").Find(&rows).Error
	return rows, storeErr("list outbox", err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// storeErr wraps a database error with what the store was doing, as the
// other stores do; nil stays nil.
func storeErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("tiers: %s: %w", what, err)
}
