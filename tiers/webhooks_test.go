package tiers_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/web"
	"skillgate/tiers"
)

// TestPublicAddress walks the IANA special-purpose registries (IPv4 and
// IPv6) and the IPv6 forms that carry an IPv4 address.
func TestPublicAddress(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		public bool
	}{
		// Global unicast.
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"93.184.215.14", true},
		{"2606:4700:4700::1111", true},
		{"2a00:1450:4001:82b::200e", true},
		// IPv4 special-purpose registry.
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"10.0.0.1", false},
		{"100.64.0.1", false},
		{"100.127.255.254", false},
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"169.254.169.254", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.0.0.8", false},
		{"192.0.0.170", false},
		{"192.0.2.1", false},
		{"192.31.196.1", false},
		{"192.52.193.1", false},
		{"192.88.99.1", false},
		{"192.168.1.1", false},
		{"192.175.48.1", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		// Edges that are public.
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"172.32.0.1", true},
		{"198.20.0.1", true},
		{"223.255.255.254", true},
		// IPv6 special-purpose registry and everything outside 2000::/3.
		{"::", false},
		{"::1", false},
		{"::7f00:1", false},         // IPv4-compatible loopback
		{"::8.8.8.8", false},        // IPv4-compatible, deprecated
		{"::ffff:127.0.0.1", false}, // IPv4-mapped
		{"::ffff:169.254.169.254", false},
		{"::ffff:8.8.8.8", true},
		{"64:ff9b::a9fe:a9fe", false}, // NAT64 of 169.254.169.254
		{"64:ff9b::7f00:1", false},
		{"64:ff9b::8.8.8.8", true}, // NAT64 of a public address is public
		{"64:ff9b:1::8.8.8.8", false},
		{"100::1", false},
		{"2001::1", false}, // Teredo
		{"2001:2::1", false},
		{"2001:10::1", false},
		{"2001:20::1", false},
		{"2001:db8::1", false},
		{"2002:7f00:1::1", false}, // 6to4 of loopback
		{"2002:a9fe:a9fe::1", false},
		{"2002:0808:0808::1", true},
		{"2620:4f:8000::1", false},
		{"3fff::1", false},
		{"5f00::1", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fec0::1", false},
		{"ff02::1", false},
		{"ff0e::1", false},
	} {
		a, err := netip.ParseAddr(tc.addr)
		if err != nil {
			t.Fatalf("%s: %v", tc.addr, err)
		}
		if got := tiers.PublicAddress(a); got != tc.public {
			t.Errorf("PublicAddress(%s) = %v, want %v", tc.addr, got, tc.public)
		}
	}
}

// TestWebhookRegistrationRefusesSpecialAddresses: every form the attack
// review got accepted is now a 422 and nothing is stored.
func TestWebhookRegistrationRefusesSpecialAddresses(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]), apptest.Options{Env: map[string]string{"SKILLGATE_WEBHOOK_ALLOW_PRIVATE": "false"}})
	emp := e.UserWithRole(web.RoleEmployer)
	path := api + "/organizations/" + emp.OrganizationID + "/webhooks"
	for _, u := range []string{"http://192.0.2.10/x", "http://198.18.0.5/x", "http://240.0.0.1/x", "http://100.64.0.1/x",
		"http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "http://[64:ff9b::7f00:1]/x", "http://[64:ff9b:1::808:808]/x",
		"http://[2002:7f00:1::1]/x", "http://[::7f00:1]/x", "http://[::ffff:127.0.0.1]/x", "http://[fec0::1]/x", "http://[fd00::1]/x",
		"http://[fe80::1]/x", "http://[2001:db8::1]/x", "http://224.0.0.1/x", "http://[ff02::1]/x", "http://0.0.0.0/x"} {
		if r := e.Call("POST", path, emp.Token, map[string]any{"url": u}); r.Status != 422 {
			t.Errorf("%s: %d %s", u, r.Status, r.Body)
		}
	}
	var list struct{ Items []any }
	e.Call("GET", path, emp.Token, nil).JSON(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("refused webhooks were stored: %+v", list)
	}
}

// revokedEvent registers a webhook to url on env a (which allows private
// addresses, as tests do), has the employer check a certificate and
// revokes it, so that one event waits for delivery.
func revokedEvent(t *testing.T, a *apptest.Env, url string) {
	t.Helper()
	course := a.NewCertificateCourse()
	id := course.Earn(a.Learner())
	emp := a.UserWithRole(web.RoleEmployer)
	if r := a.Call("POST", api+"/organizations/"+emp.OrganizationID+"/webhooks", emp.Token, map[string]any{"url": url}); r.Status != 201 {
		t.Fatalf("webhook: %d %s", r.Status, r.Body)
	}
	if r := a.Call("GET", api+"/verify/"+id, emp.Token, nil); r.Status != 200 {
		t.Fatalf("verify: %d", r.Status)
	}
	if r := a.Call("POST", api+"/certificates/"+id+"/revoke", course.Trainer.Token, map[string]any{"reason": "test"}); r.Status != 200 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
}

// TestWebhookDeliveryChecksTheAddressAtDialTime: a receiver whose name
// now leads to a loopback address (DNS rebinding, or a URL stored before
// the filter) is never called; the dialer refuses the address it would
// connect to.
func TestWebhookDeliveryChecksTheAddressAtDialTime(t *testing.T) {
	db := apptest.NewDB(t, apptest.Dialects(t)[0])
	a := apptest.New(t, db, apptest.Options{RealClock: true})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	revokedEvent(t, a, srv.URL+"/hooks")
	// The same database served by a process that refuses private addresses.
	b := apptest.New(t, db, apptest.Options{RealClock: true, Env: map[string]string{"SKILLGATE_WEBHOOK_ALLOW_PRIVATE": "false"}})
	if n, err := b.Tiers.DeliverDue(apptest.Context(t)); err != nil || n != 0 || hits.Load() != 0 {
		t.Fatalf("delivered to a loopback receiver: %d %v, %d hits", n, err, hits.Load())
	}
}

// TestWebhookRedirectsAreNotFollowed: a receiver that redirects does not
// get its redirect target called, wherever it points.
func TestWebhookRedirectsAreNotFollowed(t *testing.T) {
	a := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]), apptest.Options{RealClock: true})
	var targetHits, hits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		targetHits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	revokedEvent(t, a, srv.URL+"/hooks")
	if n, err := a.Tiers.DeliverDue(apptest.Context(t)); err != nil || n != 0 || hits.Load() != 1 || targetHits.Load() != 0 {
		t.Fatalf("redirect: %d delivered, %v, %d hits, %d at the target", n, err, hits.Load(), targetHits.Load())
	}
}
