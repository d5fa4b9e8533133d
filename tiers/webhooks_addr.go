package tiers

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"
)

// specialIPv4 is the IANA IPv4 Special-Purpose Address Registry (RFC 6890
// and its updates), plus multicast (224.0.0.0/4, its own registry). Every
// entry is refused, including the few the registry marks globally
// reachable (anycast relays, AS112): a webhook receiver is never one.
var specialIPv4 = prefixes(
	"0.0.0.0/8",          // "this network" (and 0.0.0.0/32)
	"10.0.0.0/8",         // private use
	"100.64.0.0/10",      // shared address space (CGNAT)
	"127.0.0.0/8",        // loopback
	"169.254.0.0/16",     // link local (cloud metadata lives here)
	"172.16.0.0/12",      // private use
	"192.0.0.0/24",       // IETF protocol assignments (DS-Lite, PCP and TURN anycast, NAT64 discovery)
	"192.0.2.0/24",       // documentation (TEST-NET-1)
	"192.31.196.0/24",    // AS112-v4
	"192.52.193.0/24",    // AMT
	"192.88.99.0/24",     // deprecated 6to4 relay anycast
	"192.168.0.0/16",     // private use
	"192.175.48.0/24",    // direct delegation AS112 service
	"198.18.0.0/15",      // benchmarking
	"198.51.100.0/24",    // documentation (TEST-NET-2)
	"203.0.113.0/24",     // documentation (TEST-NET-3)
	"224.0.0.0/4",        // multicast
	"240.0.0.0/4",        // reserved for future use
	"255.255.255.255/32", // limited broadcast
)

// globalUnicastIPv6 is 2000::/3, the only IPv6 space IANA allocates for
// global unicast: everything outside it (::/8 with the unspecified,
// loopback and IPv4-compatible forms, 64:ff9b::/96 handled below,
// 100::/64 discard, fc00::/7 unique local, fe80::/10 link local, fec0::/10
// site local, ff00::/8 multicast, 5f00::/16 SRv6) is refused.
var globalUnicastIPv6 = netip.MustParsePrefix("2000::/3")

// specialIPv6 is the IANA IPv6 Special-Purpose Address Registry entries
// that lie inside 2000::/3.
var specialIPv6 = prefixes(
	"2001::/23",         // IETF protocol assignments: Teredo, PCP/TURN/DNS-SD anycast, benchmarking, AMT, AS112, ORCHID, DET
	"2001:db8::/32",     // documentation
	"2620:4f:8000::/48", // direct delegation AS112 service
	"3fff::/20",         // documentation (RFC 9637)
)

var (
	nat64WellKnown = netip.MustParsePrefix("64:ff9b::/96")   // RFC 6052: the IPv4 address is the last 32 bits
	nat64Local     = netip.MustParsePrefix("64:ff9b:1::/48") // RFC 8215: local-use translation, never global
	sixToFour      = netip.MustParsePrefix("2002::/16")      // RFC 3056: the IPv4 address is bits 16-47
	ipv4Compatible = netip.MustParsePrefix("::/96")          // RFC 4291 (deprecated): ::a.b.c.d
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func inAny(a netip.Addr, list []netip.Prefix) bool {
	for _, p := range list {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// PublicAddress reports whether a webhook may be delivered to a: a global
// unicast address outside every IANA special-purpose block. IPv6 forms
// that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are
// unwrapped and the IPv4 address must pass as well, so that ::ffff:127.0.0.1,
// ::7f00:1, 64:ff9b::a9fe:a9fe or 2002:7f00:1:: cannot reach the inside.
func PublicAddress(a netip.Addr) bool {
	if !a.IsValid() || a.Zone() != "" {
		return false // a zone only qualifies link-local addresses
	}
	a = a.Unmap()
	if a.Is4() {
		return !inAny(a, specialIPv4)
	}
	switch {
	case nat64Local.Contains(a):
		return false
	case nat64WellKnown.Contains(a):
		b := a.As16()
		return PublicAddress(netip.AddrFrom4([4]byte(b[12:16])))
	case ipv4Compatible.Contains(a):
		return false // deprecated, and ::7f00:1 is loopback in disguise
	case sixToFour.Contains(a):
		b := a.As16()
		if !PublicAddress(netip.AddrFrom4([4]byte(b[2:6]))) {
			return false
		}
	}
	return globalUnicastIPv6.Contains(a) && !inAny(a, specialIPv6)
}

// ownAddresses lists this host's interface addresses, refreshed every few
// seconds: a webhook must not call the service itself (or anything else
// listening on this machine) through one of its public addresses.
type ownAddresses struct {
	mu     sync.Mutex
	at     time.Time
	addrs  map[netip.Addr]bool
	lookup func() ([]net.Addr, error)
}

const ownAddressesTTL = 10 * time.Second

func newOwnAddresses() *ownAddresses { return &ownAddresses{lookup: net.InterfaceAddrs} }

// contains reports whether a is an address of this host. When the
// interfaces cannot be read it answers true: refuse rather than guess.
func (o *ownAddresses) contains(a netip.Addr) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.addrs == nil || time.Since(o.at) > ownAddressesTTL {
		list, err := o.lookup()
		if err != nil {
			return true
		}
		o.addrs = map[netip.Addr]bool{}
		for _, n := range list {
			if p, err := netip.ParsePrefix(n.String()); err == nil {
				o.addrs[p.Addr().Unmap()] = true
			} else if ip, err := netip.ParseAddr(n.String()); err == nil {
				o.addrs[ip.Unmap()] = true
			}
		}
		o.at = time.Now()
	}
	return o.addrs[a.Unmap().WithZone("")]
}

// embeddedIPv4 is the IPv4 address an IPv6 form carries, if any (for the
// own-address check of translated forms).
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	a = a.Unmap()
	if a.Is4() {
		return a, true
	}
	b := a.As16()
	switch {
	case nat64WellKnown.Contains(a), ipv4Compatible.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

var (
	errPrivateAddress = errors.New("the URL resolves to an address outside global unicast (loopback, private, reserved or special-purpose)")
	errOwnAddress     = errors.New("the URL resolves to an address of this server")
)

// addressGuard decides which addresses webhooks may reach.
type addressGuard struct {
	allowPrivate bool
	own          *ownAddresses
}

// check refuses special-purpose addresses (unless private ones are
// allowed, for tests) and this host's own addresses.
func (g addressGuard) check(a netip.Addr) error {
	if g.allowPrivate {
		return nil
	}
	if !PublicAddress(a) {
		return errPrivateAddress
	}
	if g.own.contains(a) {
		return errOwnAddress
	}
	if v4, ok := embeddedIPv4(a); ok && g.own.contains(v4) {
		return errOwnAddress
	}
	return nil
}
