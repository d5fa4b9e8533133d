package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"skillgate/accounts"
	"skillgate/app/config"
	"skillgate/app/web"
)

const usersUsage = `Usage:
  skillgate users add --role trainer|employer|admin --email EMAIL [--name NAME] [--organization NAME]
  skillgate users reset --email EMAIL

Both print a one-time sign-in link (valid 24 h) to hand to the account's
owner, who signs in with it and sets a password. An employer belongs to the
organization named (made if there is none yet). A reset ends every session.
`

// errUsage is a command line that cannot be run as given.
var errUsage = errors.New("usage")

// users runs `skillgate users add|reset`.
func users(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "reset") {
		fmt.Fprint(stderr, usersUsage)
		return errUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("users "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	role := fs.String("role", "", "trainer, employer or admin")
	email := fs.String("email", "", "the account's email")
	name := fs.String("name", "", "the person's name (default: the email's local part)")
	org := fs.String("organization", "", "the employer's organization, by name")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *email == "" || fs.NArg() > 0 {
		fmt.Fprint(stderr, usersUsage)
		return errUsage
	}
	r := web.Role(*role)
	if sub == "add" && r != web.RoleTrainer && r != web.RoleEmployer && r != web.RoleAdmin {
		fmt.Fprintf(stderr, "skillgate users add: --role must be trainer, employer or admin\n\n%s", usersUsage)
		return errUsage
	}
	if sub == "add" && r == web.RoleEmployer && strings.TrimSpace(*org) == "" {
		fmt.Fprintf(stderr, "skillgate users add: an employer needs --organization\n\n%s", usersUsage)
		return errUsage
	}
	p, closeDB, err := platform(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()

	var link accounts.SignInLink
	if sub == "reset" {
		u, err := p.Accounts.UserByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("no account with email %s: %w", *email, err)
		}
		if link, err = p.Accounts.ResetLink(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Every session of %s (%s) has ended.\n", u.Email, u.Role)
	} else {
		n := accounts.NewUser{Email: *email, Name: *name, Role: r}
		if *org != "" {
			o, err := p.Accounts.EnsureOrganization(ctx, *org)
			if err != nil {
				return err
			}
			n.OrganizationID = o.ID
		}
		u, l, err := p.Accounts.Invite(ctx, n)
		if err != nil {
			if e, ok := web.AsError(err); ok {
				for _, f := range e.Fields {
					fmt.Fprintf(stderr, "skillgate users add: %s %s\n", f.Field, f.Message)
				}
				if e.Kind == web.KindConflict {
					fmt.Fprintf(stderr, "skillgate users add: %s; `skillgate users reset --email %s` gives its owner a new sign-in link\n", e.Message, *email)
				}
			}
			return err
		}
		link = l
		fmt.Fprintf(stdout, "Created %s %s (%s).\n", u.Role, u.Email, u.Name)
	}
	fmt.Fprintf(stdout, "One-time sign-in link, valid until %s:\n%s\n", link.ExpiresAt.UTC().Format(time.RFC3339), link.URL)
	return nil
}
