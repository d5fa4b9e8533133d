package main

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrainsRequestsInFlight sends a burst of slow requests (each
// sign-in costs an argon2id hash, and only a few run at once), sends
// SIGTERM while they are in flight, and checks that every one of them is
// answered, that the process then stops taking connections, and that it
// exits cleanly.
func TestSIGTERMDrainsRequestsInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service")
	}
	r := startReplica(t, "SKILLGATE_DATABASE_URL=sqlite://./data/shutdown.db", "SKILLGATE_SEED=false",
		"SKILLGATE_RATE_AUTH_PER_ADDRESS=100000/1m", "SKILLGATE_RATE_LOGIN_FAILURES=100000/1m", "SKILLGATE_RATE_LOGIN_PER_ACCOUNT=100000/1m",
		// Drain time enough for a loaded CI machine: the test is about
		// every request being answered, not about how fast.
		"SKILLGATE_SHUTDOWN_TIMEOUT=2m")
	r.waitReady(t)

	const n = 64 // with 4 hashes at a time, about half a second of work
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 140 * time.Second}
	statuses := make([]int, n)
	errs := make([]error, n)
	var sent, wg sync.WaitGroup
	var answered atomic.Int64
	sent.Add(n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := bytes.NewBufferString(`{"email":"nobody@example.org","password":"not the password"}`)
			req, _ := http.NewRequest("POST", r.url+"/api/v1/auth/login", body)
			req.Header.Set("Content-Type", "application/json")
			sent.Done()
			resp, err := client.Do(req)
			answered.Add(1)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	sent.Wait()
	// SIGTERM once the server has taken every request: each is either
	// answered already or in flight (with the one asking /metrics). A
	// request still in the kernel's queue is neither, and a loaded machine
	// may take a while to accept them, while the first ones finish.
	waitInFlight(t, client, r.url, n+1, &answered)
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i := range statuses {
		if errs[i] != nil || statuses[i] != http.StatusUnauthorized {
			t.Errorf("request %d in flight at SIGTERM: status %d, error %v", i, statuses[i], errs[i])
		}
	}
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, r.log.String())
		}
	case <-time.After(150 * time.Second):
		t.Fatal("still running 150 s after SIGTERM")
	}
	if _, err := client.Get(r.url + "/healthz"); err == nil {
		t.Fatal("a connection was accepted after shutdown")
	}
}

// waitInFlight polls the in-flight gauge until at least n requests are
// being served, failing after 30 s.
func waitInFlight(t *testing.T, client *http.Client, url string, n int, answered *atomic.Int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(url + "/metrics")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, line := range strings.Split(string(body), "\n") {
				if v, ok := strings.CutPrefix(line, "skillgate_http_requests_in_flight "); ok {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && int(f)+int(answered.Load()) >= n {
						return
					}
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d requests in flight or answered after 30 s", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
