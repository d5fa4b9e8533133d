package accounts

import (
	"context"
	"strings"
	"sync"
	"time"

	"skillgate/app/dbx"
)

// Authenticating a request reads no row: the account (its token version,
// disabled flag, role) and the liveness of a web session's refresh-token
// family come from in-process caches. Every change that must cut access
// publishes on the change bus inside its own transaction, so this replica
// drops the entry as the change commits and every other replica within
// about a second (dbx.Changes): dbx.TopicAccounts with the user's id for
// any change to a users row, TopicTokenFamilies with the family's id when
// a family ends, or "user:"+id when every family of a user ends.

// TopicTokenFamilies: a refresh-token family ended (revoked or deleted).
// Key: the family ID, or "user:" and a user ID for every family of a user.
const TopicTokenFamilies = "token_families"

// userKeyPrefix marks a TopicTokenFamilies key naming a user.
const userKeyPrefix = "user:"

// cacheSize bounds each cache; an evicted entry costs one read.
const cacheSize = 50000

// cachedUser returns the account of id without its password hash, from
// the cache when it holds it.
func (s *Service) cachedUser(ctx context.Context, id string) (User, error) {
	load := func() (User, error) {
		u, err := s.store.UserByID(ctx, id)
		u.PasswordHash = "" // the cache never holds a hash
		return u, err
	}
	// Caches are neither read nor filled inside a transaction: it may hold
	// changes not yet committed (and never to be, if it rolls back), whose
	// publication is only heard at commit.
	if s.opt.Changes == nil || dbx.InTx(ctx) {
		return load()
	}
	return s.users.Load(id, load)
}

// family is what the cache keeps of a live refresh-token family.
type family struct {
	userID  string
	expires time.Time
}

// familyCache remembers live refresh-token families. It is not a
// dbx.Cache because a change of a user drops every family of that user,
// which needs an index by user. Like dbx.Cache, a load that races with a
// change never stores what it read.
type familyCache struct {
	mu     sync.Mutex
	gen    uint64
	items  map[string]family
	byUser map[string]map[string]struct{}
}

func newFamilyCache(bus *dbx.Changes) *familyCache {
	c := &familyCache{items: map[string]family{}, byUser: map[string]map[string]struct{}{}}
	if bus != nil {
		bus.Subscribe(TopicTokenFamilies, c.changed)
	}
	return c
}

// changed drops what a change names: a family, a user's families, or all.
func (c *familyCache) changed(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	switch {
	case key == "":
		clear(c.items)
		clear(c.byUser)
	case strings.HasPrefix(key, userKeyPrefix):
		user := strings.TrimPrefix(key, userKeyPrefix)
		for id := range c.byUser[user] {
			delete(c.items, id)
		}
		delete(c.byUser, user)
	default:
		c.dropLocked(key)
	}
}

func (c *familyCache) dropLocked(id string) {
	f, ok := c.items[id]
	if !ok {
		return
	}
	delete(c.items, id)
	if set := c.byUser[f.userID]; set != nil {
		delete(set, id)
		if len(set) == 0 {
			delete(c.byUser, f.userID)
		}
	}
}

func (c *familyCache) get(id string) (family, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.items[id]
	return f, ok, c.gen
}

// put keeps a live family read at generation gen, unless something
// changed since.
func (c *familyCache) put(gen uint64, id string, f family) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.items[id]; !ok && len(c.items) >= cacheSize {
		for k := range c.items { // full: drop an arbitrary entry
			c.dropLocked(k)
			break
		}
	}
	c.items[id] = f
	set := c.byUser[f.userID]
	if set == nil {
		set = map[string]struct{}{}
		c.byUser[f.userID] = set
	}
	set[id] = struct{}{}
}

// familyLive reports whether the family is live for userID at now: from
// the cache when it holds the family, else from the store. Only live
// families are kept (a family ending publishes; one being born does not),
// and expiry is checked here against the clock.
func (s *Service) familyLive(ctx context.Context, userID, familyID string, now time.Time) (bool, error) {
	bypass := s.opt.Changes == nil || dbx.InTx(ctx)
	f, ok, gen := s.families.get(familyID)
	if ok && !bypass {
		return f.userID == userID && now.Before(f.expires), nil
	}
	expires, live, err := s.store.FamilyExpiry(ctx, userID, familyID, now)
	if err != nil || !live {
		return false, err
	}
	if !bypass {
		s.families.put(gen, familyID, family{userID: userID, expires: expires})
	}
	return true, nil
}
