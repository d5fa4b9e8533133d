// Package wire is the composition root shared by the binary and the tests:
// it builds every service on one database and connects the domains through
// their small interfaces, so that no domain imports another.
package wire

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"skillgate/accounts"
	"skillgate/app/config"
	"skillgate/app/dbx"
	"skillgate/app/idempotency"
	"skillgate/app/privacy"
	"skillgate/app/ratelimit"
	"skillgate/app/secrets"
	"skillgate/app/server"
	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/certs"
	"skillgate/classes"
	"skillgate/courses"
	"skillgate/courses/packs"
	"skillgate/site"
	"skillgate/tiers"
)

// Migrations lists every schema change of every domain, in order.
func Migrations() []*dbx.Migration {
	var all []*dbx.Migration
	for _, part := range [][]*dbx.Migration{
		dbx.ChangesMigrations(),
		ratelimit.Migrations(),
		idempotency.Migrations(),
		accounts.Migrations(),
		courses.Migrations(),
		assessments.Migrations(),
		certs.Migrations(),
		tiers.Migrations(),
		classes.Migrations(),
		site.Migrations(),
	} {
		all = append(all, part...)
	}
	return all
}

// Platform is the running service's parts.
type Platform struct {
	Config  config.Config
	DB      *gorm.DB
	Log     *slog.Logger
	Limiter *ratelimit.Limiter
	// Changes carries cache invalidations between replicas.
	Changes     *dbx.Changes
	Accounts    *accounts.Service
	Courses     *courses.Service
	Assessments *assessments.Service
	Certs       *certs.Service
	Tiers       *tiers.Service
	Classes     *classes.Service
	Site        *site.Site
	App         *fiber.App
	Now         func() time.Time
}

// Options override the parts tests control.
type Options struct {
	Now func() time.Time
	// PasswordHashCost lets tests that make many accounts hash cheaply;
	// the service itself never sets it and hashes at OWASP's baseline.
	PasswordHashCost accounts.HashCost
}

// Build migrates db and assembles the platform.
func Build(ctx context.Context, cfg config.Config, db *gorm.DB, log *slog.Logger, opt Options) (*Platform, error) {
	now := opt.Now
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	if err := dbx.Migrate(ctx, db, Migrations()); err != nil {
		return nil, err
	}
	box, err := secrets.NewBox(cfg.KeyEncryptionKey)
	if err != nil {
		return nil, err
	}
	p := &Platform{Config: cfg, DB: db, Log: log, Now: now}
	// The change bus runs as long as ctx: caches built below subscribe to
	// it, and it starts reading the change log before any of them fills.
	p.Changes = dbx.NewChanges(db, dbx.ChangesOptions{Log: log})
	if err := p.Changes.Run(ctx); err != nil {
		return nil, err
	}
	p.Limiter = ratelimit.New(db, now)
	// The per-account ceiling is never tighter than one address's limit.
	ceiling := cfg.RateLoginPerAccount
	ceiling.Count = max(ceiling.Count, cfg.RateLoginFailures.Count)
	p.Accounts, err = accounts.NewService(ctx, accounts.NewStore(db), accounts.Options{
		Issuer:          cfg.BaseURL,
		AccessTokenTTL:  cfg.AccessTokenTTL,
		RefreshTokenTTL: cfg.RefreshTokenTTL,
		PerAddress:      loginBackoff(cfg.RateLoginFailures),
		PerAccount:      loginBackoff(ceiling),
		Box:             box,
		Now:             now,
		Changes:         p.Changes,
		HashCost:        opt.PasswordHashCost,
	})
	if err != nil {
		return nil, err
	}
	if cfg.AdminEmail != "" {
		created, err := p.Accounts.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
		if err != nil {
			return nil, err
		}
		if created {
			log.Info("bootstrap admin created", "email", cfg.AdminEmail)
		}
	}
	p.Courses = courses.NewService(courses.NewStore(db, p.Changes), now)
	p.Assessments = assessments.NewService(assessments.NewStore(db), courseSeam{p.Courses}, nil, now)
	p.Assessments.SetChanges(p.Changes)
	p.Courses.SetAssessments(assessmentSeam{p.Assessments}, assessmentSeam{p.Assessments})
	// Questions are sanitised with the lessons' policy; completing the last
	// lesson issues a certificate a pass of the final waited for.
	p.Assessments.SetTextRenderer(courses.QuestionText{})
	p.Courses.SetCompletionHook(p.Assessments)
	seam := certSeam{courses: p.Courses, accounts: p.Accounts}
	p.Certs, err = certs.NewService(ctx, certs.NewStore(db), seam, seam, certs.Options{BaseURL: cfg.BaseURL, Box: box, Now: now, Changes: p.Changes})
	if err != nil {
		return nil, err
	}
	seam.certs = p.Certs
	p.Assessments.SetPassHook(seam)
	tseam := tierSeam{certs: p.Certs, courses: p.Courses, accounts: p.Accounts}
	p.Tiers = tiers.NewService(tiers.NewStore(db), tseam, tseam, tiers.Options{AllowPrivateWebhooks: cfg.WebhookAllowPrivate, Box: box, Now: now, Log: log})
	p.Certs.SetTrail(p.Tiers, p.Tiers)
	cseam := classSeam{accounts: p.Accounts, courses: p.Courses, assessments: p.Assessments, certs: p.Certs, tiers: p.Tiers}
	p.Classes = classes.NewService(classes.NewStore(db), cseam, cseam, cseam, now)
	batchLimit := ratelimit.KeyedMiddleware(p.Limiter, "batch-org", cfg.RateBatchPerOrganization.Count,
		cfg.RateBatchPerOrganization.Window, func(c *fiber.Ctx) string {
			// Employers share their organization's limit; admins have their own.
			pr, _ := web.Caller(c)
			if pr.OrganizationID != "" {
				return "org:" + pr.OrganizationID
			}
			return "user:" + pr.UserID
		})
	priv := privacy.NewHandler(dbx.HandleOf(db), now,
		privacy.Named{Name: "certificates", Part: p.Certs},
		privacy.Named{Name: "attempts", Part: p.Assessments},
		privacy.Named{Name: "enrollments", Part: p.Courses},
		privacy.Named{Name: "verifications", Part: p.Tiers},
		privacy.Named{Name: "stored_responses", Part: idempotency.Part{DB: db}},
		privacy.Named{Name: "account", Part: p.Accounts})
	p.Site, err = site.New(site.Deps{Sessions: site.NewStore(db), Log: log, Accounts: p.Accounts, Courses: p.Courses,
		Assessments: p.Assessments, Certs: p.Certs, Tiers: p.Tiers, Classes: p.Classes, Privacy: priv, Now: now, BaseURL: cfg.BaseURL,
		Limiter: p.Limiter, AuthRate: site.Rate{Count: cfg.RateAuthPerAddress.Count, Window: cfg.RateAuthPerAddress.Window},
		IdleTimeout: cfg.WebIdleTimeout, MaxAge: cfg.WebSessionMax})
	if err != nil {
		return nil, err
	}
	authLimit := ratelimit.Middleware(p.Limiter, "auth-addr", cfg.RateAuthPerAddress.Count, cfg.RateAuthPerAddress.Window)
	pool, err := db.DB()
	if err != nil {
		return nil, err
	}
	p.App = server.New(cfg, server.Deps{
		Pool:        pool,
		Ready:       dbx.HandleOf(db).Ping,
		Idempotency: idempotency.NewStore(db),
		Log:         log,
		Auth:        p.Accounts,
		Now:         now,
		// A stored sign-in answer is replayed only while its session is live.
		SessionLive: p.Accounts.RefreshTokenLive,
		Domains: []server.Mounter{
			accounts.NewHandler(p.Accounts, authLimit),
			courses.NewHandler(p.Courses),
			assessments.NewHandler(p.Assessments),
			certs.NewHandler(p.Certs, batchLimit),
			tiers.NewHandler(p.Tiers),
			classes.NewHandler(p.Classes),
			priv,
			p.Site,
		},
	})
	return p, nil
}

// loginBackoff turns a COUNT/WINDOW rate into the sign-in back-off: COUNT
// free guesses, then waits that start at a fifteenth of the window and
// double up to four windows; a streak is forgotten after a quiet window.
func loginBackoff(r config.Rate) accounts.Backoff {
	return accounts.Backoff{Free: r.Count, Base: max(r.Window/15, time.Second), Max: 4 * r.Window, Quiet: r.Window}
}

// Housekeeping deletes expired rate-limit counters, idempotency records and
// refresh tokens. The binary runs it periodically; any replica may.
func (p *Platform) Housekeeping(ctx context.Context) error {
	now := p.Now()
	if _, err := p.Limiter.Purge(ctx, 24*time.Hour); err != nil {
		return fmt.Errorf("housekeeping: rate limits: %w", err)
	}
	if _, err := idempotency.Purge(p.DB.WithContext(ctx), now.Add(-24*time.Hour)); err != nil {
		return fmt.Errorf("housekeeping: idempotency: %w", err)
	}
	if err := p.Site.Housekeeping(ctx); err != nil {
		return fmt.Errorf("housekeeping: web sessions: %w", err)
	}
	if err := p.Accounts.PurgeExpired(ctx, now); err != nil {
		return fmt.Errorf("housekeeping: %w", err)
	}
	if _, err := p.Tiers.EnqueueExpired(ctx); err != nil {
		return fmt.Errorf("housekeeping: expiry events: %w", err)
	}
	return nil
}

// Seed loads the built-in course packs that are not in the database yet,
// so every start may call it: a course loaded once is never loaded twice
// nor overwritten (`import --publish` updates one on purpose). Progress
// goes to w.
//
// Replicas starting together on an empty database seed one after the
// other: the whole seed is one transaction under an advisory lock, so the
// second finds the first's courses and skips them.
func (p *Platform) Seed(ctx context.Context, w io.Writer) error {
	return dbx.WithTx(ctx, p.DB, func(ctx context.Context) error {
		if err := dbx.LockTx(ctx, p.DB, seedLock); err != nil {
			return err
		}
		if err := p.Import(ctx, packs.FS, ".", courses.ImportOptions{Publish: true, SkipExisting: true}, w); err != nil {
			return err
		}
		n, err := p.Tiers.SeedBuiltIn(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "built-in tiers: %d added\n", n)
		return nil
	})
}

// seedLock serialises the seeding of replicas that start together.
const seedLock = 0x5c111a80

// Import loads every pack under root of fsys (or root itself when it is a
// pack), reporting each to w.
func (p *Platform) Import(ctx context.Context, fsys fs.FS, root string, opt courses.ImportOptions, w io.Writer) error {
	var list []courses.Pack
	if _, err := fs.Stat(fsys, root+"/course.yaml"); err == nil {
		pk, err := courses.ReadPack(fsys, root)
		if err != nil {
			return err
		}
		list = []courses.Pack{pk}
	} else {
		var err error
		if list, err = courses.ReadPacks(fsys, root); err != nil {
			return err
		}
	}
	for i, pk := range list {
		res, err := p.Courses.ImportPack(ctx, pk, opt)
		if err != nil {
			return err
		}
		what := "unchanged"
		switch {
		case res.Created:
			what = "created"
		case res.Published:
			what = "published"
		case res.Changed:
			what = "updated as a draft (publish it to release)"
		}
		fmt.Fprintf(w, "[%d/%d] %-36s %s (version %d, %d lessons)\n", i+1, len(list), res.Slug, what, res.Version, len(pk.Lessons))
	}
	return nil
}
