package tiers

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"syscall"
	"time"
)

// SignatureHeader carries "t=<unix>,v1=<hex HMAC-SHA256 of t.body>".
const SignatureHeader = "Skillgate-Signature"

// Sign computes the signature header value of body at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// The reasons checkURL gives besides the guard's; webhookURLError names
// each by its rule.
var (
	errNotWebhookURL = errors.New("must be an absolute http or https URL without credentials")
	errUnresolvable  = errors.New("the host does not resolve")
)

// checkURL refuses URLs a webhook may not call: other schemes, user
// info, and (unless private addresses are allowed) hosts that are, or
// resolve to, any address the guard refuses. Delivery checks again at dial
// time, since DNS may answer differently later.
func checkURL(ctx context.Context, raw string, guard addressGuard) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(raw) > 2000 {
		return errNotWebhookURL
	}
	if guard.allowPrivate {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil || len(addrs) == 0 {
		return errUnresolvable
	}
	for _, a := range addrs {
		if err := guard.check(a); err != nil {
			return err
		}
	}
	return nil
}

// newClient is the delivery client. Its dialer checks every address it
// actually connects to, after resolution, so a name that resolves publicly
// at registration and privately later (DNS rebinding) still cannot reach
// the inside. No proxy is used (a proxy would dial for us, unchecked), and
// redirects are never followed: a receiver must answer itself.
func newClient(guard addressGuard) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return errPrivateAddress
		}
		return guard.check(ap.Addr())
	}}
	return &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{Proxy: nil, DialContext: d.DialContext, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// maxAttempts is how often an event is tried before it is given up.
const maxAttempts = 12

// backoff is the wait after the n-th failed attempt: 30 s doubling, at
// most 6 h: twelve attempts span about 15 hours.
func backoff(n int) time.Duration {
	d := 30 * time.Second << min(n-1, 10)
	return min(d, 6*time.Hour)
}

// deliver posts one event and reports an error unless the receiver
// answered 2xx.
func deliver(ctx context.Context, client *http.Client, target string, secret, body []byte, eventID string, now time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Skillgate-Webhooks/1")
	req.Header.Set("Skillgate-Event-Id", eventID)
	req.Header.Set(SignatureHeader, Sign(secret, now, body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	return nil
}
