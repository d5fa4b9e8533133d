package tiers

import (
	"net"
	"net/netip"
	"testing"
)

// TestGuardRefusesOwnAddresses: a public address that belongs to this
// host (and its IPv4-mapped, NAT64 and 6to4 forms) is refused, since a
// webhook to it would call the service itself.
func TestGuardRefusesOwnAddresses(t *testing.T) {
	own := &ownAddresses{lookup: func() ([]net.Addr, error) {
		return []net.Addr{&net.IPNet{IP: net.ParseIP("203.0.114.7"), Mask: net.CIDRMask(24, 32)},
			&net.IPNet{IP: net.ParseIP("2a01:4f8::7"), Mask: net.CIDRMask(64, 128)}}, nil
	}}
	g := addressGuard{own: own}
	for addr, want := range map[string]error{
		"203.0.114.7":        errOwnAddress,
		"::ffff:203.0.114.7": errOwnAddress,
		"64:ff9b::cb00:7207": errOwnAddress,
		"2002:cb00:7207::1":  errOwnAddress,
		"2a01:4f8::7":        errOwnAddress,
		"203.0.114.8":        nil,
		"2a01:4f8::8":        nil,
		"127.0.0.1":          errPrivateAddress,
		"64:ff9b::a9fe:a9fe": errPrivateAddress,
	} {
		if got := g.check(netip.MustParseAddr(addr)); got != want {
			t.Errorf("%s: %v, want %v", addr, got, want)
		}
	}
	if (addressGuard{allowPrivate: true, own: own}).check(netip.MustParseAddr("127.0.0.1")) != nil {
		t.Error("SKILLGATE_WEBHOOK_ALLOW_PRIVATE does not allow loopback")
	}
}
