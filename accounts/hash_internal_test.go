package accounts

import "testing"

func BenchmarkHashPassword(b *testing.B) {
	h := newHasher(4)
	for b.Loop() {
		if _, err := h.Hash("a long test passphrase 42"); err != nil {
			b.Fatal(err)
		}
	}
}
