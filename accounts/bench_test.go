package accounts_test

import (
	"testing"

	"skillgate/app/apptest"
)

// BenchmarkSignIn reports the cost of a login (dominated by argon2id, by
// design) and of checking an access token on a request (signature, claims
// and the token-version lookup), on every configured database.
func BenchmarkSignIn(b *testing.B) {
	for _, d := range apptest.Dialects(b) {
		b.Run(string(d), func(b *testing.B) {
			e := apptest.New(b, apptest.NewDB(b, d), apptest.Options{RealClock: true})
			u := e.Learner()
			ctx := apptest.Context(b)
			b.Run("login", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.Accounts.Login(ctx, u.Email, u.Password); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("token-check", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := e.Accounts.Authenticate(ctx, u.Token); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
