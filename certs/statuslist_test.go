package certs_test

import (
	"strings"
	"testing"

	"skillgate/certs"
)

// The Bitstring Status List v1.0 specification's own example: a list of
// 131,072 entries, none set.
const specExampleList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

func TestStatusListSpecExample(t *testing.T) {
	bits, err := certs.DecodeStatusList(specExampleList)
	if err != nil {
		t.Fatal(err)
	}
	if len(bits)*8 != 131072 {
		t.Fatalf("%d entries, want 131072", len(bits)*8)
	}
	for i := 0; i < 131072; i += 997 {
		if set, _ := certs.BitSet(bits, i); set {
			t.Fatalf("bit %d set in the empty example", i)
		}
	}
	// Our encoding of an empty list decodes to the same bits.
	ours, err := certs.EncodeStatusList(certs.StatusListBits, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := certs.DecodeStatusList(ours)
	if string(again) != string(bits) || !strings.HasPrefix(ours, "u") || strings.ContainsAny(ours, "+/=") {
		t.Fatalf("our empty list differs or is not multibase base64url: %s", ours)
	}
}

func TestStatusListBitOrder(t *testing.T) {
	enc, err := certs.EncodeStatusList(certs.StatusListBits, []int{0, 7, 8, 131071})
	if err != nil {
		t.Fatal(err)
	}
	bits, err := certs.DecodeStatusList(enc)
	if err != nil {
		t.Fatal(err)
	}
	// Index 0 is the left-most (most significant) bit of the first byte:
	// one bit per entry, not one byte.
	if bits[0] != 0x81 || bits[1] != 0x80 || bits[16383] != 0x01 || len(bits) != 16384 {
		t.Fatalf("bytes %08b %08b … %08b (len %d)", bits[0], bits[1], bits[16383], len(bits))
	}
	for _, tc := range []struct {
		i    int
		want bool
	}{{0, true}, {1, false}, {7, true}, {8, true}, {9, false}, {131070, false}, {131071, true}} {
		if got, _ := certs.BitSet(bits, tc.i); got != tc.want {
			t.Errorf("bit %d = %v", tc.i, got)
		}
	}
	if _, err := certs.BitSet(bits, 131072); err == nil {
		t.Error("an index past the list was read")
	}
	if _, err := certs.EncodeStatusList(8, []int{8}); err == nil {
		t.Error("an index past the list was encoded")
	}
	for _, bad := range []string{"", "H4sI", "u!!!", "uAAAA"} {
		if _, err := certs.DecodeStatusList(bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c, err := certs.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != 14 || !strings.HasPrefix(c, "SG-") || strings.ContainsAny(c, "ILOU") || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		n, ok := certs.NormalizeCode(strings.ToLower(strings.ReplaceAll(c, "-", " ")))
		if !ok || n != c {
			t.Fatalf("%q normalised to %q %v", c, n, ok)
		}
	}
	if n, ok := certs.NormalizeCode("sg-7k3mq-9xdo1"); !ok || n != "SG-7K3MQ-9XD01" {
		t.Fatalf("look-alikes: %q %v", n, ok)
	}
	for _, bad := range []string{"", "SG-123", "01a2240c-0688-7451-8bf9-713a9d44a505", "XX-ABCDE-FGHJK"} {
		if _, ok := certs.NormalizeCode(bad); ok {
			t.Errorf("%q read as a code", bad)
		}
	}
}
