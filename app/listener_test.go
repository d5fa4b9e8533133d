package main

import (
	"bufio"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A service that runs out of file descriptors (clients that gave up while
// their requests wait, each holding a socket) keeps running and answers
// again once they are gone: it used to exit with "too many open files".
func TestOutOfDescriptorsIsSurvived(t *testing.T) {
	t.Parallel() // its own process and database: runs beside the others
	if testing.Short() {
		t.Skip("starts a process")
	}
	bin := binary(t)
	port := freePort(t)
	r := &replica{url: "http://127.0.0.1:" + strconv.Itoa(port), done: make(chan error, 1)}
	// The soft and hard limit both low, so the runtime cannot raise it.
	r.cmd = exec.Command("sh", "-c", `ulimit -n 96 && exec "$0"`, bin)
	r.cmd.Dir = t.TempDir()
	r.cmd.Env = append(r.cmd.Environ(), "SKILLGATE_ADDR=127.0.0.1:"+strconv.Itoa(port), "SKILLGATE_LOG_LEVEL=warn", "SKILLGATE_SEED=false")
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	// The service says when it runs out: the test waits for that, not for
	// a fixed time, and so also proves that it did run out.
	outOfFDs := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		said := false
		for sc.Scan() {
			if !said && strings.Contains(sc.Text(), "out of file descriptors") {
				said = true
				close(outOfFDs)
			}
		}
	}()
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() { _ = r.cmd.Process.Kill() })
	r.waitReady(t)

	// Hold more connections than the process may have descriptors.
	var conns []net.Conn
	for range 150 {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 2*time.Second)
		if err != nil {
			break
		}
		conns = append(conns, c)
	}
	// It runs out while accepting them, and must not exit: it waits
	// (5 ms, doubling) and accepts again.
	select {
	case err := <-r.done:
		t.Fatalf("the service exited when out of descriptors: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatalf("the service never ran out of descriptors with %d connections open", len(conns))
	case <-outOfFDs:
	}
	select {
	case err := <-r.done:
		t.Fatalf("the service exited when out of descriptors: %v", err)
	case <-time.After(300 * time.Millisecond): // a few of its waits
	}
	for _, c := range conns {
		c.Close()
	}
	// Once they are gone it answers again.
	client := &http.Client{Timeout: 2 * time.Second}
	var lastErr error
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get(r.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		lastErr = err
		select {
		case err := <-r.done:
			t.Fatalf("the service exited: %v", err)
		default:
		}
	}
	t.Fatalf("no answer after the connections closed: %v", lastErr)
}
