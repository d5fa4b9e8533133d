package site

import (
	"context"
	"sync"
	"time"
)

// Web sessions are kept in memory for a short while, so that a signed-in
// page reads no row of its own. That is safe because the row decides
// nothing alone: every page still asks accounts whether the session's
// refresh-token family is live and the account usable (FamilyUser), and
// accounts answers from caches that every sign-out, expiry, logout
// everywhere, password change, disabling or erasure drops on every replica
// within a second. Each of those ends the family, so a row deleted on one
// replica and still held by another is refused there all the same. What
// the row adds is immutable (user, family, CSRF token, card, creation)
// except the time last seen, which is re-read before a session is ended as
// idle.

// sessionTTL is how long a session read from the database is served from
// memory before it is read again.
const sessionTTL = time.Minute

// sessionCacheSize bounds the cache; an evicted session costs one read.
const sessionCacheSize = 50000

// touchEvery is how stale the time last seen may get before it is written.
const touchEvery = 30 * time.Second

type cachedSession struct {
	sess   session
	loaded time.Time
}

// sessionCache holds web sessions by the hash of their secret. A load
// that races with a drop never stores what it read.
type sessionCache struct {
	mu    sync.Mutex
	gen   uint64
	items map[string]cachedSession
}

func newSessionCache() *sessionCache { return &sessionCache{items: map[string]cachedSession{}} }

func (c *sessionCache) get(id string, now time.Time) (session, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if ok && now.Sub(e.loaded) >= sessionTTL {
		delete(c.items, id)
		ok = false
	}
	return e.sess, ok, c.gen
}

func (c *sessionCache) put(gen uint64, x session, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.items[x.ID]; !ok && len(c.items) >= sessionCacheSize {
		for k := range c.items { // full: drop an arbitrary entry
			delete(c.items, k)
			break
		}
	}
	c.items[x.ID] = cachedSession{sess: x, loaded: now}
}

// seen records a touch of a session still held, keeping its load time.
func (c *sessionCache) seen(id string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[id]; ok {
		e.sess.Seen = at
		c.items[id] = e
	}
}

func (c *sessionCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.items, id)
}

// session returns the web session of a secret's hash, from memory when
// it was read less than sessionTTL ago.
func (s *Site) session(ctx context.Context, id string) (session, error) {
	now := s.d.Now()
	var err error
	x, ok, gen := s.sessions.get(id, now)
	if ok {
		return x, nil
	}
	x, err = s.store.get(ctx, id)
	if err != nil {
		return session{}, err
	}
	s.sessions.put(gen, x, now)
	return x, nil
}

// fresh re-reads a session from the database, bypassing the cache.
func (s *Site) fresh(ctx context.Context, id string) (session, error) {
	s.sessions.drop(id)
	return s.session(ctx, id)
}

// touchSession writes the time a session was last seen. It reports false
// when the row is gone (another replica purged it as idle).
func (s *Site) touchSession(ctx context.Context, id string, now time.Time) (bool, error) {
	found, err := s.store.touch(ctx, id, now)
	if err != nil {
		return false, err
	}
	if !found {
		s.sessions.drop(id)
		return false, nil
	}
	s.sessions.seen(id, now)
	return true, nil
}

// deleteSession deletes a session here and in this replica's memory.
func (s *Site) deleteSession(ctx context.Context, id string) error {
	s.sessions.drop(id)
	return s.store.delete(ctx, id)
}
