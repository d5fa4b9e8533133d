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

// publicAddr reports whether an address may receive webhooks: not
// loopback, private, link-local, unspecified, multicast or shared (CGNAT).
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	return a.IsValid() && !a.IsLoopback() && !a.IsPrivate() && !a.IsLinkLocalUnicast() && !a.IsLinkLocalMulticast() &&
		!a.IsInterfaceLocalMulticast() && !a.IsMulticast() && !a.IsUnspecified() && !cgnat.Contains(a)
}

var errPrivateAddress = errors.New("the URL resolves to a loopback or private address")

// checkURL refuses URLs a webhook may not call: other schemes, user
// info, and (unless allowPrivate) hosts that resolve to internal addresses.
func checkURL(ctx context.Context, raw string, allowPrivate bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(raw) > 2000 {
		return errors.New("must be an absolute http or https URL without credentials")
	}
	if allowPrivate {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil || len(addrs) == 0 {
		return errors.New("the host does not resolve")
	}
	for _, a := range addrs {
		if !publicAddr(a) {
			return errPrivateAddress
		}
	}
	return nil
}

// newClient is the delivery client. Its dialer checks the address it
// actually connects to, so a name that resolves publicly at registration
// and privately later (DNS rebinding) still cannot reach the inside.
func newClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !publicAddr(ap.Addr()) {
				return errPrivateAddress
			}
			return nil
		}
	}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second},
		// Redirects could lead anywhere; a receiver must answer itself.
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
