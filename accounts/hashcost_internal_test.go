package accounts

import (
	"strings"
	"testing"
)

// TestHashCost: the service hashes at OWASP's baseline unless a cost is
// given, and a hash made at one cost verifies under a hasher of another, so
// the cheap hashes tests make are checked by the same code as real ones.
func TestHashCost(t *testing.T) {
	real := newHasher(1, HashCost{})
	cheap := newHasher(1, HashCost{MemoryKiB: 64, Passes: 1})
	cases := []struct {
		name   string
		h      *hasher
		prefix string
	}{
		{"default is OWASP's baseline", real, "$argon2id$v=19$m=19456,t=2,p=1$"},
		{"a given cost is used", cheap, "$argon2id$v=19$m=64,t=1,p=1$"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hash, err := c.h.Hash("correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, c.prefix) {
				t.Fatalf("hash %q, want prefix %q", hash, c.prefix)
			}
			for _, v := range []*hasher{real, cheap} {
				if ok, err := v.Verify(hash, "correct horse battery staple"); err != nil || !ok {
					t.Fatalf("the right password did not verify: %v %v", ok, err)
				}
				if ok, _ := v.Verify(hash, "correct horse battery stapler"); ok {
					t.Fatal("a wrong password verified")
				}
			}
		})
	}
}
