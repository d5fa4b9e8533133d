package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"skillgate/app/config"
	"skillgate/certs"
)

// Exit codes of `skillgate verify`.
const (
	exitValid         = 0
	exitInvalid       = 1 // forged, tampered, expired, revoked, or status unknown
	exitUsage         = 2
	exitStatusUnknown = 3 // the signature is valid but revocation was not checked
)

// verifyOffline checks a certificate token with no network: exit 0 valid
// (revocation checked against a status list, or explicitly waived with
// --no-status), 1 invalid (or status unknown), 2 for a usage error, 3 when
// the signature is valid but no status list was given: a revoked
// certificate would look the same, so that is never plain "VALID".
func verifyOffline(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jwksPath := fs.String("jwks", "", "the JWKS file (from /.well-known/jwks.json or keys export)")
	listPath := fs.String("status-list", "", "a status list file, to check revocation")
	noStatus := fs.Bool("no-status", false, "do not check revocation (exit 0 on a valid signature without a status list)")
	// The token may come before or after the flags.
	var token string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		token, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if token == "" && fs.NArg() > 0 {
		token = fs.Arg(0)
	}
	if token == "" || *jwksPath == "" {
		fmt.Fprintln(stderr, "usage: skillgate verify TOKEN|@FILE --jwks FILE [--status-list FILE | --no-status]")
		return exitUsage
	}
	if strings.HasPrefix(token, "@") {
		raw, err := os.ReadFile(token[1:])
		if err != nil {
			fmt.Fprintln(stderr, "verify:", err)
			return exitUsage
		}
		token = strings.TrimSpace(string(raw))
	}
	jwks, err := os.ReadFile(*jwksPath)
	if err != nil {
		fmt.Fprintln(stderr, "verify:", err)
		return exitUsage
	}
	var list []byte
	if *listPath != "" {
		if list, err = os.ReadFile(*listPath); err != nil {
			fmt.Fprintln(stderr, "verify:", err)
			return exitUsage
		}
	}
	res := certs.VerifyOffline(token, jwks, list, time.Now())
	if c := res.Claims; c != nil {
		fmt.Fprintf(stdout, "certificate: %s\nholder:      %s\ncourse:      %s\nscore:       %s%%\nissued:      %s\nvalid until: %s\n",
			c.CertificateID, c.HolderName, c.CourseTitle, c.ScorePercent, c.IssuedAt.UTC().Format(time.RFC3339), c.ExpiresAt.UTC().Format(time.RFC3339))
	}
	switch {
	case res.Valid && !res.StatusCheck && !*noStatus:
		fmt.Fprintln(stdout, "SIGNATURE VALID, REVOCATION NOT CHECKED: signature valid, revocation not checked; "+
			"give --status-list FILE to check it, or --no-status to accept the signature alone")
		return exitStatusUnknown
	case res.Valid:
		fmt.Fprintln(stdout, "VALID:", res.Detail)
		return exitValid
	}
	fmt.Fprintf(stdout, "INVALID (%s): %s\n", res.Reason, res.Detail)
	return exitInvalid
}

// keys rotates or exports the certificate signing keys.
func keys(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: say rotate or export [DIR]")
	}
	p, closeDB, err := platform(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	switch args[0] {
	case "rotate":
		k, err := p.Certs.RotateKey(ctx)
		if err != nil {
			return err
		}
		ec, err := p.Certs.RotateECKey(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "new signing keys %s (EdDSA) and %s (ES256); earlier keys keep verifying their certificates\n", k.ID, ec.ID)
		return nil
	case "export":
		dir := "skillgate-export"
		if len(args) > 1 {
			dir = args[1]
		}
		return exportKeys(ctx, p.Certs, dir, out)
	}
	return fmt.Errorf("keys: unknown subcommand %q", args[0])
}

func exportKeys(ctx context.Context, svc *certs.Service, dir string, out io.Writer) error {
	if err := os.MkdirAll(filepath.Join(dir, "status-lists"), 0o755); err != nil {
		return err
	}
	set, err := svc.JWKS(ctx)
	if err != nil {
		return err
	}
	raw, err := jsonIndent(set)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "jwks.json"), raw, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (%d keys)\n", filepath.Join(dir, "jwks.json"), len(set.Keys))
	ids, err := svc.StatusListIDs(ctx)
	if err != nil {
		return err
	}
	for i, id := range ids {
		tok, _, err := svc.StatusListToken(ctx, id)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, "status-lists", id+".jwt")
		if err := os.WriteFile(path, []byte(tok+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "[%d/%d] wrote %s (valid for %s)\n", i+1, len(ids), path, certs.StatusListTTL)
	}
	return nil
}

func jsonIndent(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") }
