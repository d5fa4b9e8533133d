package accounts_test

import (
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// countReads counts the queries that read the users and refresh_tokens
// tables from now on.
func countReads(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	name := "test:count_reads_" + t.Name()
	err := db.Callback().Query().After("gorm:query").Register(name, func(tx *gorm.DB) {
		if tbl := tx.Statement.Table; tbl == "users" || tbl == "refresh_tokens" {
			n.Add(1)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Callback().Query().Remove(name) })
	return &n
}

// TestAuthenticateReadsNothingOnceWarm: the second request of an access
// token, and the second page of a web session, read no account row.
func TestAuthenticateReadsNothingOnceWarm(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		learner := e.Learner()
		family, err := e.Accounts.FamilyOf(ctx, learner.Refresh)
		if err != nil {
			t.Fatal(err)
		}
		reads := countReads(t, db)
		for i := 0; i < 3; i++ {
			if _, err := e.Accounts.Authenticate(ctx, learner.Token); err != nil {
				t.Fatalf("authenticate %d: %v", i, err)
			}
			if _, err := e.Accounts.FamilyUser(ctx, learner.ID, family); err != nil {
				t.Fatalf("family user %d: %v", i, err)
			}
		}
		if n := reads.Load(); n > 2 {
			t.Fatalf("%d reads for three requests of each kind, want at most 2 (the first of each)", n)
		}
	})
}

// TestAccessIsCutAtOnce: every change that must cut access does so for the
// very next request on the same process, although the account was cached.
func TestAccessIsCutAtOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		admin := e.UserWithRole(web.RoleAdmin)
		adminP, err := e.Accounts.Authenticate(ctx, admin.Token)
		if err != nil {
			t.Fatal(err)
		}
		yes, trainer := true, web.RoleTrainer
		for _, tc := range []struct {
			name string
			cut  func(u apptest.User, p web.Principal) error
		}{
			{"password change", func(u apptest.User, p web.Principal) error {
				return e.Accounts.ChangePassword(ctx, p, u.Password, "a brand new passphrase 77")
			}},
			{"logout everywhere", func(u apptest.User, p web.Principal) error {
				return e.Accounts.Logout(ctx, p, u.Refresh, true)
			}},
			{"disabled", func(u apptest.User, p web.Principal) error {
				_, err := e.Accounts.AdminUpdate(ctx, adminP, u.ID, nil, &yes)
				return err
			}},
			{"role change", func(u apptest.User, p web.Principal) error {
				_, err := e.Accounts.AdminUpdate(ctx, adminP, u.ID, &trainer, nil)
				return err
			}},
			{"erased", func(u apptest.User, p web.Principal) error { return e.Accounts.Erase(ctx, u.ID) }},
			{"card issued", func(u apptest.User, p web.Principal) error {
				_, err := e.Accounts.IssueCards(ctx, []string{u.ID})
				return err
			}},
			{"reset link", func(u apptest.User, p web.Principal) error {
				_, err := e.Accounts.ResetLink(ctx, u.ID)
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				u := e.Learner()
				family, err := e.Accounts.FamilyOf(ctx, u.Refresh)
				if err != nil {
					t.Fatal(err)
				}
				// Twice each, so that the second answer is the cache's.
				var p web.Principal
				for i := 0; i < 2; i++ {
					if p, err = e.Accounts.Authenticate(ctx, u.Token); err != nil {
						t.Fatalf("before: %v", err)
					}
					if _, err := e.Accounts.FamilyUser(ctx, u.ID, family); err != nil {
						t.Fatalf("web session before: %v", err)
					}
				}
				if err := tc.cut(u, p); err != nil {
					t.Fatal(err)
				}
				if _, err := e.Accounts.Authenticate(ctx, u.Token); !web.IsKind(err, web.KindUnauthenticated) {
					t.Fatalf("access token after: %v, want unauthenticated", err)
				}
				if _, err := e.Accounts.FamilyUser(ctx, u.ID, family); !web.IsKind(err, web.KindUnauthenticated) {
					t.Fatalf("web session after: %v, want unauthenticated", err)
				}
			})
		}
	})
}

// TestEndingOneFamilyLeavesTheOthers: signing out of one web session ends
// that one only, at once; the account's access tokens still work.
func TestEndingOneFamilyLeavesTheOthers(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		u := e.Learner()
		other, err := e.Accounts.Login(ctx, u.Email, u.Password)
		if err != nil {
			t.Fatal(err)
		}
		var fams []string
		for _, tok := range []string{u.Refresh, other.RefreshToken} {
			f, err := e.Accounts.FamilyOf(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Accounts.FamilyUser(ctx, u.ID, f); err != nil {
				t.Fatal(err)
			}
			fams = append(fams, f)
		}
		if err := e.Accounts.EndFamily(ctx, fams[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Accounts.FamilyUser(ctx, u.ID, fams[0]); !web.IsKind(err, web.KindUnauthenticated) {
			t.Fatalf("ended family: %v", err)
		}
		if _, err := e.Accounts.FamilyUser(ctx, u.ID, fams[1]); err != nil {
			t.Fatalf("other family: %v", err)
		}
		// A family is the user's own: another account cannot borrow it.
		stranger := e.Learner()
		if _, err := e.Accounts.FamilyUser(ctx, stranger.ID, fams[1]); !web.IsKind(err, web.KindUnauthenticated) {
			t.Fatalf("someone else's family: %v", err)
		}
		if _, err := e.Accounts.Authenticate(ctx, u.Token); err != nil {
			t.Fatalf("access token after one sign-out: %v", err)
		}
	})
}

// TestCachedAccountHasNoPasswordHash: what the web session hands the
// pages never carries the hash.
func TestCachedAccountHasNoPasswordHash(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		u := e.Learner()
		family, err := e.Accounts.FamilyOf(ctx, u.Refresh)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			got, err := e.Accounts.FamilyUser(ctx, u.ID, family)
			if err != nil {
				t.Fatal(err)
			}
			if got.PasswordHash != "" || got.Email != u.Email {
				t.Fatalf("cached account: hash %q, email %q", got.PasswordHash, got.Email)
			}
		}
	})
}
