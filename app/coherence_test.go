package main

import (
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
)

// Admin credentials of the replicas the coherence tests start.
const (
	coherenceAdmin    = "admin@example.org"
	coherencePassword = "a long admin passphrase"
)

// twoReplicas starts two processes of the service on one fresh database of
// dialect d, with a bootstrap admin, and waits until both are ready. They
// start one after the other: SQLite has no advisory lock to migrate
// under, and the first start seeds the signing keys.
func twoReplicas(t *testing.T, d dbx.Dialect) (a, b *replica) {
	t.Helper()
	_, url := apptest.NewDBURL(t, d)
	env := []string{"SKILLGATE_DATABASE_URL=" + url, "SKILLGATE_SEED=false", "SKILLGATE_BASE_URL=http://skillgate.test",
		"SKILLGATE_ADMIN_EMAIL=" + coherenceAdmin, "SKILLGATE_ADMIN_PASSWORD=" + coherencePassword,
		"SKILLGATE_KEY_ENCRYPTION_KEY=replica test key encryption key"}
	a = startReplica(t, env...)
	a.waitReady(t)
	b = startReplica(t, env...)
	b.waitReady(t)
	return a, b
}
