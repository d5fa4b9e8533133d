package web

import (
	"context"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Proxies are the addresses (or networks) whose X-Forwarded-For is
// believed.
type Proxies []netip.Prefix

// ParseProxies reads addresses and CIDR networks; it skips what it cannot
// read and reports it.
func ParseProxies(list []string) (Proxies, []string) {
	var out Proxies
	var bad []string
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			bad = append(bad, s)
		}
	}
	return out, bad
}

func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

const clientIPKey = "skillgate.client_ip"

// ClientIPMiddleware works out the client's address once per request.
// Only when the connection comes from a trusted proxy is X-Forwarded-For
// read, and then from the right: the first address that is not itself a
// trusted proxy is the client. The left-most entries are whatever the
// client chose to send, so they are never believed.
func ClientIPMiddleware(proxies Proxies) fiber.Handler {
	return func(c *fiber.Ctx) error {
		peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
		ip := peer.Unmap()
		if ok && len(proxies) > 0 && proxies.trusted(ip) {
			hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break
				}
				ip = a.Unmap()
				if !proxies.trusted(ip) {
					break
				}
			}
		}
		addr := ip.String()
		c.Locals(clientIPKey, addr)
		c.SetUserContext(WithClientIP(c.UserContext(), addr))
		return c.Next()
	}
}

// ClientIP is the address ClientIPMiddleware settled on.
func ClientIP(c *fiber.Ctx) string {
	if s, ok := c.Locals(clientIPKey).(string); ok {
		return s
	}
	return c.IP()
}

type clientIPCtxKey struct{}

// WithClientIP stores the client's address in a context, for services that
// key limits on it (sign-in).
func WithClientIP(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientIPCtxKey{}, addr)
}

// ClientIPFromContext returns the address stored by WithClientIP, or "".
func ClientIPFromContext(ctx context.Context) string {
	s, _ := ctx.Value(clientIPCtxKey{}).(string)
	return s
}
