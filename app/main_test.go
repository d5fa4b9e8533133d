package main

import (
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestBinaryStartsOnEmptyDataDirectory starts the real binary with no
// configuration in an empty directory, waits for /readyz and stops it with
// SIGTERM.
func TestBinaryStartsOnEmptyDataDirectory(t *testing.T) {
	t.Parallel() // its own process and database: runs beside the others
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	r := startReplica(t, "SKILLGATE_DATABASE_URL=")
	r.waitReady(t)
	if _, err := os.Stat(filepath.Join(r.cmd.Dir, "data", "skillgate.db")); err != nil {
		t.Errorf("default database not created: %v", err)
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("did not stop within 20 s of SIGTERM")
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
