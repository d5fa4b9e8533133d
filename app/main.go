// Command skillgate is the Skillgate service: `serve` (the default) runs
// the API, `migrate` applies migrations and exits. Run `skillgate help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"skillgate/app/config"
	"skillgate/app/dbx"
	"skillgate/app/wire"
	"skillgate/courses"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

const usage = `Usage: skillgate [command] [arguments]

Commands:
  serve      run the API (the default)
  migrate    apply database migrations and exit
  import [--publish] PATH...
             load course packs (a pack folder, or a folder of packs)
  keys rotate        make a new certificate signing key (old ones keep verifying)
  keys export [DIR]  write jwks.json and every status list for offline checks
  verify TOKEN|@FILE --jwks FILE [--status-list FILE]
             check a certificate offline; exit 0 valid, 1 invalid
  users add --role trainer|employer|admin --email EMAIL [--name NAME] [--organization NAME]
  users reset --email EMAIL
             make an account, or reset one; prints a one-time sign-in link
  health URL exit 0 when URL answers 200 (for container healthchecks)
  help       show this text and the configuration variables
`

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "health" {
		return health(args, stderr)
	}
	if cmd == "verify" {
		return verifyOffline(args, stdout, stderr)
	}
	cfg, err := config.Load(getenv)
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage, "\nConfiguration (environment):\n")
		for _, v := range config.Vars {
			fmt.Fprintf(stdout, "  %-34s %-30q %s\n", v.Name, v.Default, v.Meaning)
		}
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "skillgate: configuration:", err)
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve":
		err = serve(ctx, cfg, log)
	case "migrate":
		err = migrate(ctx, cfg, log)
	case "import":
		err = importPacks(ctx, cfg, log, args, stdout)
	case "keys":
		err = keys(ctx, cfg, log, args, stdout)
	case "users":
		if err = users(ctx, cfg, log, args, stdout, stderr); errors.Is(err, errUsage) {
			return 2
		}
	default:
		fmt.Fprintf(stderr, "skillgate: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		log.Error("skillgate: "+cmd+" failed", "err", err)
		return 1
	}
	return 0
}

// dbOptions sizes the connection pool from the configuration.
func dbOptions(cfg config.Config, log *slog.Logger) dbx.Options {
	return dbx.Options{MaxOpenConns: cfg.DBMaxConns, MaxIdleConns: cfg.DBMaxConns / 2, Logger: log}
}

// platform opens the database and builds every service on it; close
// releases the database.
func platform(ctx context.Context, cfg config.Config, log *slog.Logger) (p *wire.Platform, closeDB func(), err error) {
	db, err := dbx.Open(cfg.DatabaseURL, dbOptions(cfg, log))
	if err != nil {
		return nil, nil, err
	}
	p, err = wire.Build(ctx, cfg, db, log, wire.Options{})
	if err != nil {
		_ = dbx.Close(db)
		return nil, nil, err
	}
	return p, func() { _ = dbx.Close(db) }, nil
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	db, err := dbx.Open(cfg.DatabaseURL, dbOptions(cfg, log))
	if err != nil {
		return err
	}
	defer dbx.Close(db)
	if err := dbx.Migrate(ctx, db, wire.Migrations()); err != nil {
		return err
	}
	ids, err := dbx.Applied(ctx, db)
	if err != nil {
		return err
	}
	log.Info("migrations applied", "count", len(ids), "latest", ids[len(ids)-1])
	return nil
}

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT
// is not set: the garbage collector works harder near it, which keeps the
// resident memory of a busy replica under about 200 MB (argon2id alone
// takes 19 MiB a hash in flight).
const defaultMemoryLimit = 160 << 20

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	p, closeDB, err := platform(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	if cfg.Seed {
		if err := p.Seed(ctx, &logWriter{log}); err != nil {
			return fmt.Errorf("seed the built-in catalogue: %w", err)
		}
	}
	go every(ctx, 10*time.Minute, "housekeeping", log, p.Housekeeping)
	// Every replica delivers webhooks; the outbox shares the work.
	go every(ctx, 5*time.Second, "webhook delivery", log, func(ctx context.Context) error {
		_, err := p.Tiers.DeliverDue(ctx)
		return err
	})
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}

	ln, err := net.Listen("tcp4", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- p.App.Listener(patientListener{Listener: ln, log: log}) }()
	if cfg.BaseURLDerived {
		log.Warn("SKILLGATE_BASE_URL is not set: certificates, QR codes and sign-in cards will name "+cfg.BaseURL+
			"; set SKILLGATE_BASE_URL to the address people and employers use", "base_url", cfg.BaseURL)
	}
	log.Info("skillgate listening", "addr", cfg.Addr, "database", string(dbx.DialectOf(p.DB)), "base_url", cfg.BaseURL)

	select {
	case err := <-errc:
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout)
	if err := p.App.ShutdownWithTimeout(cfg.ShutdownTimeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("shutdown", "err", err)
	}
	log.Info("stopped")
	return nil
}

// every runs fn every d until ctx ends, logging its failures.
func every(ctx context.Context, d time.Duration, name string, log *slog.Logger, fn func(context.Context) error) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				log.Warn(name, "err", err)
			}
		}
	}
}

// health checks a URL, for images that have no shell or curl.
func health(args []string, stderr io.Writer) int {
	url := "http://127.0.0.1:8080/readyz"
	if len(args) > 0 {
		url = args[0]
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(stderr, "unhealthy:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "unhealthy: status", resp.StatusCode)
		return 1
	}
	return 0
}

// importPacks loads course packs from disk, printing progress.
func importPacks(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	opt := courses.ImportOptions{}
	var paths []string
	for _, a := range args {
		if a == "--publish" {
			opt.Publish = true
			continue
		}
		paths = append(paths, a)
	}
	if len(paths) == 0 {
		return errors.New("import: name at least one pack folder")
	}
	p, closeDB, err := platform(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	for _, path := range paths {
		fmt.Fprintf(out, "importing %s\n", path)
		if err := p.Import(ctx, os.DirFS(path), ".", opt, out); err != nil {
			return err
		}
	}
	return nil
}

// logWriter turns progress lines into log records.
type logWriter struct{ log *slog.Logger }

func (w *logWriter) Write(b []byte) (int, error) {
	w.log.Info("seed: " + strings.TrimSpace(string(b)))
	return len(b), nil
}
