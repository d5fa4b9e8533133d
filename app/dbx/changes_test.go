package dbx_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
	"unsafe"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
)

// recorder keeps what a subscriber heard.
type recorder struct {
	mu   sync.Mutex
	keys []string
	got  chan string
}

func newRecorder() *recorder { return &recorder{got: make(chan string, 100)} }

func (r *recorder) hear(key string) {
	r.mu.Lock()
	r.keys = append(r.keys, key)
	r.mu.Unlock()
	r.got <- key
}

// waitFor waits until the recorder hears want, failing after a deadline
// far longer than the 1 s the bus promises (the machine may be loaded).
func (r *recorder) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case k := <-r.got:
			if k == want {
				return
			}
		case <-deadline:
			t.Fatalf("never heard %q", want)
		}
	}
}

// replicaBus opens a second connection pool on the same database, as a
// second replica would, and runs a bus on it.
func replicaBus(t *testing.T, ctx context.Context, url string, opt dbx.ChangesOptions) *dbx.Changes {
	t.Helper()
	db, err := dbx.Open(url, dbx.Options{Logger: apptest.Log()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dbx.Close(db) })
	opt.Log = apptest.Log()
	bus := dbx.NewChanges(db, opt)
	if err := bus.Run(ctx); err != nil {
		t.Fatal(err)
	}
	return bus
}

func migrated(t *testing.T, d dbx.Dialect) (*gorm.DB, string) {
	t.Helper()
	db, url := apptest.NewDBURL(t, d)
	if err := dbx.Migrate(apptest.Context(t), db, dbx.ChangesMigrations()); err != nil {
		t.Fatal(err)
	}
	return db, url
}

// A change committed on one replica reaches the other's subscribers; a
// rolled-back change reaches nobody; the publishing replica hears of it
// only once the transaction commits.
func TestChangesReachOtherReplicas(t *testing.T) {
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := apptest.Context(t)
			_, url := migrated(t, d)
			a := replicaBus(t, ctx, url, dbx.ChangesOptions{})
			b := replicaBus(t, ctx, url, dbx.ChangesOptions{})
			heardA, heardB := newRecorder(), newRecorder()
			a.Subscribe(dbx.TopicCertificates, heardA.hear)
			b.Subscribe(dbx.TopicCertificates, heardB.hear)
			other := newRecorder()
			b.Subscribe(dbx.TopicCourses, other.hear)

			db, err := dbx.Open(url, dbx.Options{Logger: apptest.Log()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = dbx.Close(db) })
			rollback := errors.New("roll back")
			err = dbx.WithTx(ctx, db, func(ctx context.Context) error {
				if err := a.Publish(ctx, dbx.TopicCertificates, "rolled-back"); err != nil {
					return err
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatal(err)
			}
			err = dbx.WithTx(ctx, db, func(ctx context.Context) error {
				if err := a.Publish(ctx, dbx.TopicCertificates, "cert-1"); err != nil {
					return err
				}
				heardA.mu.Lock()
				defer heardA.mu.Unlock()
				for _, k := range heardA.keys {
					if k == "cert-1" {
						return errors.New("the publisher heard of the change before the commit")
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			heardA.waitFor(t, "cert-1")
			heardB.waitFor(t, "cert-1")
			for _, r := range []*recorder{heardA, heardB} {
				r.mu.Lock()
				for _, k := range r.keys {
					if k == "rolled-back" {
						t.Error("a rolled-back change was heard")
					}
				}
				r.mu.Unlock()
			}
			other.mu.Lock()
			for _, k := range other.keys {
				if k != "" { // "" is the flush when listening starts
					t.Errorf("a courses subscriber heard a certificates change: %q", k)
				}
			}
			other.mu.Unlock()
		})
	}
}

// When notifications are lost (here: the listening connection is cut),
// the replica flushes its caches once it listens again, and reading the
// change log still brings every change within the poll interval.
func TestChangesSurviveLostNotifications(t *testing.T) {
	for _, d := range apptest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := apptest.Context(t)
			db, url := migrated(t, d)
			a := replicaBus(t, ctx, url, dbx.ChangesOptions{})
			b := replicaBus(t, ctx, url, dbx.ChangesOptions{})
			heard := newRecorder()
			b.Subscribe(dbx.TopicAccounts, heard.hear)
			if d == dbx.Postgres {
				// Cut every LISTEN connection on this database: the bus
				// reconnects and flushes (an empty key).
				err := db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
					WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'`).Error
				if err != nil {
					t.Fatal(err)
				}
				heard.waitFor(t, "")
			}
			// A change written to the log without any notification (as if
			// the notification were lost) is still found by the poll.
			if err := db.Exec("INSERT INTO cache_changes (topic, key, created_at) VALUES (?, ?, ?)",
				dbx.TopicAccounts, "user-9", time.Now().UTC()).Error; err != nil {
				t.Fatal(err)
			}
			heard.waitFor(t, "user-9")
			_ = a
		})
	}
}

// A load that overlaps a change never stores what it read.
func TestCacheDropsRacingLoads(t *testing.T) {
	ctx := apptest.Context(t)
	_, url := migrated(t, dbx.SQLite)
	bus := replicaBus(t, ctx, url, dbx.ChangesOptions{})
	c := dbx.NewCache[string](2, bus, dbx.TopicCourses, true)
	v, err := c.Load("a", func() (string, error) {
		c.Delete("a") // a change lands while the value is read
		return "stale", nil
	})
	if err != nil || v != "stale" {
		t.Fatal(v, err)
	}
	if _, ok := c.Get("a"); ok {
		t.Fatal("a value read across a change was kept")
	}
	if _, err := c.Load("a", func() (string, error) { return "fresh", nil }); err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Get("a"); !ok || v != "fresh" {
		t.Fatalf("got %q %v", v, ok)
	}
	// The bus drops by key, and "" flushes.
	if err := bus.Publish(ctx, dbx.TopicCourses, "a"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("a"); ok {
		t.Fatal("a published change did not drop its key")
	}
	c.Load("b", func() (string, error) { return "1", nil })
	c.Load("c", func() (string, error) { return "2", nil })
	c.Load("d", func() (string, error) { return "3", nil })
	if c.Len() != 2 {
		t.Fatalf("bounded at 2, holds %d", c.Len())
	}
	if err := bus.Publish(ctx, dbx.TopicCourses, ""); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 0 {
		t.Fatalf("a flush left %d entries", c.Len())
	}
}

// A key that shares memory reused after the request (as Fiber's route
// parameters do) still finds its value once that memory is overwritten.
func TestCacheKeepsItsOwnKeys(t *testing.T) {
	c := dbx.NewCache[string](4, nil, "", true)
	buf := []byte("assessment-1")
	key := unsafe.String(&buf[0], len(buf))
	c.Put(c.Generation(), key, "course-1")
	copy(buf, "assessment-2")
	if v, ok := c.Get("assessment-1"); !ok || v != "course-1" {
		t.Fatalf("assessment-1: %q %v", v, ok)
	}
	if v, ok := c.Get("assessment-2"); ok {
		t.Fatalf("assessment-2 found %q under another's key", v)
	}
}
