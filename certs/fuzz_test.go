package certs_test

import (
	"testing"
	"time"

	"skillgate/certs"
)

// FuzzVerifyToken feeds arbitrary tokens to the verifier: it never
// panics, and nothing but a token signed by one of the keys verifies.
func FuzzVerifyToken(f *testing.F) {
	k, err := certs.GenerateKey(time.Now())
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	good, err := certs.Sign(certs.Issued{CertificateID: "c1", BaseURL: "https://sg.example", HolderID: "h", HolderName: "Asha",
		CourseSlug: "x", CourseTitle: "X", CourseVersion: 1, PassPercent: 80, ScorePercent: 90, IssuedAt: now,
		ExpiresAt: now.Add(time.Hour), StatusListID: "l", StatusListIndex: 7}.Claims(), k)
	if err != nil {
		f.Fatal(err)
	}
	keys := certs.KeySet{k.ID: k.Public}
	for _, s := range []string{good, good[:len(good)-2], "a.b.c", "", "eyJhbGciOiJub25lIn0.e30.", "..", good + "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		tc, reason := certs.VerifyToken(token, keys, now)
		if reason == "" && (tc == nil || token != good && tc.CertificateID != "c1") {
			t.Fatalf("verified a token that is not ours: %q", token)
		}
		_, _ = certs.DecodeStatusList(token)
	})
}
