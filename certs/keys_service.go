// keys_service.go holds the service's signing keys: loading, rotation and the JWKS.

package certs

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// loadKeys reads every key; public keys never change, so they are kept,
// and a kid not yet known is looked up again (a key rotated on another
// replica).
func (s *Service) loadKeys(ctx context.Context) error {
	rows, err := s.store.Keys(ctx)
	if err != nil {
		return fmt.Errorf("certs: load keys: %w", err)
	}
	keys := map[string]Key{}
	set := KeySet{}
	current := ""
	for _, r := range rows {
		k := Key{ID: r.ID, URI: KeyURI(s.opt.BaseURL, r.ID), Public: ed25519.PublicKey(r.PublicKey), CreatedAt: r.CreatedAt, Current: r.Current}
		if r.Current {
			seed, err := s.opt.Box.Open(r.PrivateKey, []byte(r.ID))
			if err != nil {
				return fmt.Errorf("certs: open signing key %s: %w", r.ID, err)
			}
			k.Private = ed25519.NewKeyFromSeed(seed)
			current = r.ID
		}
		keys[r.ID] = k
		set.add(k)
	}
	ecCurrent, err := s.loadECKeys(ctx, keys, set)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.keys, s.set, s.current, s.ecCurrent, s.loaded = keys, set, current, ecCurrent, time.Now()
	s.mu.Unlock()
	return nil
}

// firstKeyLock serialises the first start of several replicas.
const firstKeyLock = 0x5c111a7f

// firstKey makes the first signing key unless a replica starting at the
// same moment already has: one key, whoever is first.
func (s *Service) firstKey(ctx context.Context) error {
	return firstOf(ctx, s, s.store.Keys, s.RotateKey)
}

// firstOf makes a first key of one kind with rotate unless list finds one
// (a replica starting at the same moment made it), under firstKeyLock.
func firstOf[R any](ctx context.Context, s *Service, list func(context.Context) ([]R, error), rotate func(context.Context) (Key, error)) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.lockTx(ctx, firstKeyLock); err != nil {
			return err
		}
		rows, err := list(ctx)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			return s.loadKeys(ctx)
		}
		_, err = rotate(ctx)
		return err
	})
}

// RotateKey makes a new signing key current; older keys keep verifying.
func (s *Service) RotateKey(ctx context.Context) (Key, error) {
	k, err := GenerateKey(s.opt.Now())
	if err != nil {
		return Key{}, err
	}
	sealed, err := s.opt.Box.Seal(k.Private.Seed(), []byte(k.ID))
	if err != nil {
		return Key{}, err
	}
	return s.makeCurrent(ctx, k, func(ctx context.Context) error {
		return s.store.InsertKey(ctx, keyRow{ID: k.ID, PublicKey: k.Public, PrivateKey: sealed, Current: true, CreatedAt: k.CreatedAt})
	})
}

// makeCurrent stores a new key with insert, telling the other replicas in
// the same transaction, and makes it this replica's current key.
func (s *Service) makeCurrent(ctx context.Context, k Key, insert func(context.Context) error) (Key, error) {
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := insert(ctx); err != nil {
			return err
		}
		return s.publish(ctx, dbx.TopicKeys, k.ID)
	})
	if err != nil {
		return Key{}, err
	}
	k.Current, k.URI = true, KeyURI(s.opt.BaseURL, k.ID)
	s.keysChanged()
	return k, s.loadKeys(ctx)
}

// keyRefresh is how soon a replica notices a key rotated elsewhere.
const keyRefresh = time.Minute

// signingKey is the current key, reloaded now and then so that a rotation
// made by another process is picked up without a restart.
func (s *Service) signingKey(ctx context.Context) Key {
	s.mu.RLock()
	stale := time.Since(s.loaded) > keyRefresh
	s.mu.RUnlock()
	if stale {
		_ = s.loadKeys(ctx) // on failure keep signing with the key in hand
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys[s.current]
}

// SigningKey is the current signing key, for tools that issue in bulk
// (the load tool's seeding); never reachable over HTTP.
func (s *Service) SigningKey(ctx context.Context) Key { return s.signingKey(ctx) }

// KeySet returns the public keys, reloading once when kid is not known.
func (s *Service) KeySet(ctx context.Context, kid string) KeySet {
	s.mu.RLock()
	_, known := s.set[kid]
	s.mu.RUnlock()
	if !known && kid != "" {
		_ = s.loadKeys(ctx)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.set
}

// jwksCache is the published key set, served from memory. It is built
// again when the keys change (dbx.TopicKeys, from any replica) and when a
// published key's last certificate expires; never per request.
type jwksCache struct {
	mu  sync.Mutex // one build at a time
	gen atomic.Uint64
	doc atomic.Pointer[jwksDoc]
}

// jwksDoc is a built key set and its JSON.
type jwksDoc struct {
	set   JWKS
	body  []byte
	until time.Time // build again from then on
}

// keysChanged forgets the keys in hand: the next signing or JWKS reads
// them again.
func (s *Service) keysChanged() {
	s.mu.Lock()
	s.loaded = time.Time{}
	s.mu.Unlock()
	s.hot.jwks.gen.Add(1)
	s.hot.jwks.doc.Store(nil)
}

// JWKS publishes every key that may still have valid certificates, and
// the current signing keys.
func (s *Service) JWKS(ctx context.Context) (JWKS, error) {
	d, err := s.jwksDoc(ctx)
	if err != nil {
		return JWKS{}, err
	}
	return d.set, nil
}

// JWKSJSON is JWKS as the JSON served at /.well-known/jwks.json; the
// caller must not change it.
func (s *Service) JWKSJSON(ctx context.Context) ([]byte, error) {
	d, err := s.jwksDoc(ctx)
	if err != nil {
		return nil, err
	}
	return d.body, nil
}

func (s *Service) jwksDoc(ctx context.Context) (*jwksDoc, error) {
	c := &s.hot.jwks
	now := s.opt.Now()
	if d := c.doc.Load(); d != nil && now.Before(d.until) {
		return d, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.doc.Load(); d != nil && now.Before(d.until) {
		return d, nil
	}
	gen := c.gen.Load()
	d, err := s.buildJWKS(ctx, now)
	if err != nil {
		return nil, err
	}
	if c.gen.Load() == gen {
		c.doc.Store(d)
	}
	return d, nil
}

// buildJWKS reads the keys and, for the Ed25519 keys no longer current,
// when their last certificate expires: such a key is published until
// then, and the set is built again at the first of those times. ES256
// tokens are signed whenever a certificate is read, so every P-256 key
// is published.
func (s *Service) buildJWKS(ctx context.Context, now time.Time) (*jwksDoc, error) {
	if err := s.loadKeys(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	keys, current := s.keys, s.current
	s.mu.RUnlock()
	ids := make([]string, 0, len(keys))
	var retired []string
	for id, k := range keys {
		ids = append(ids, id)
		if id != current && k.Alg != AlgES256 {
			retired = append(retired, id)
		}
	}
	slices.Sort(ids)
	last, err := s.store.LastExpiries(ctx, retired)
	if err != nil {
		return nil, err
	}
	// Without the bus nothing says another replica rotated: look again
	// now and then.
	until := now.Add(100 * 365 * 24 * time.Hour)
	if s.hot.bus == nil {
		until = now.Add(keyRefresh)
	}
	out := JWKS{Keys: []JWK{}}
	for _, id := range ids {
		if slices.Contains(retired, id) {
			end, ok := last[id]
			if !ok || !now.Before(end) {
				continue
			}
			if end.Before(until) {
				until = end
			}
		}
		out.Keys = append(out.Keys, PublicJWK(keys[id]))
	}
	body, err := web.MarshalJSON(out)
	if err != nil {
		return nil, fmt.Errorf("certs: render JWKS: %w", err)
	}
	return &jwksDoc{set: out, body: body, until: until}, nil
}
