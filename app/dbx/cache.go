package dbx

import (
	"strings"
	"sync"
)

// Cache is a bounded in-process cache whose entries are dropped when the
// change bus says they changed. Loads that race with a change never store
// what they read: every drop bumps a generation, and Load stores its value
// only if no drop happened while it was reading.
type Cache[V any] struct {
	mu    sync.Mutex
	max   int
	gen   uint64
	items map[string]V
}

// NewCache makes a cache of at most max entries. With a bus, a change on
// topic drops the entry of its key; a change with key "" (or one whose key
// does not name entries, when byKey is false) drops everything.
func NewCache[V any](max int, bus *Changes, topic string, byKey bool) *Cache[V] {
	c := &Cache[V]{max: max, items: map[string]V{}}
	if bus != nil {
		bus.Subscribe(topic, func(key string) {
			if byKey && key != "" {
				c.Delete(key)
				return
			}
			c.Flush()
		})
	}
	return c
}

// Get returns the cached value of key.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	return v, ok
}

// Load returns the cached value of key, or reads it with load and keeps it
// unless it changed meanwhile. Errors are not kept.
func (c *Cache[V]) Load(key string, load func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.items[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	gen := c.gen
	c.mu.Unlock()
	v, err := load()
	if err != nil {
		return v, err
	}
	c.Put(gen, key, v)
	return v, nil
}

// Generation is the current generation, to pass to Put after reading.
func (c *Cache[V]) Generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// Put keeps v for key if nothing was dropped since gen was taken.
func (c *Cache[V]) Put(gen uint64, key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if _, ok := c.items[key]; !ok && len(c.items) >= c.max {
		// Full: drop an arbitrary entry (map order) rather than grow.
		for k := range c.items {
			delete(c.items, k)
			break
		}
	}
	// The key may share memory Fiber reuses for the next request (route
	// parameters are not copied): keep a copy of its own.
	c.items[strings.Clone(key)] = v
}

// Delete drops key.
func (c *Cache[V]) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.items, key)
}

// Flush drops everything.
func (c *Cache[V]) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.items)
}

// Len is the number of entries.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}
