// keys_service.go holds the service's signing keys: loading, rotation and the JWKS.

package certs

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"time"

	"skillgate/app/dbx"
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
	return dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		if err := dbx.LockTx(ctx, s.db, firstKeyLock); err != nil {
			return err
		}
		rows, err := s.store.Keys(ctx)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			return s.loadKeys(ctx)
		}
		_, err = s.RotateKey(ctx)
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
	err = dbx.WithTx(ctx, s.db, func(ctx context.Context) error {
		return s.store.InsertKey(ctx, keyRow{ID: k.ID, PublicKey: k.Public, PrivateKey: sealed, Current: true, CreatedAt: k.CreatedAt})
	})
	if err != nil {
		return Key{}, err
	}
	k.Current, k.URI = true, KeyURI(s.opt.BaseURL, k.ID)
	s.jwksMu.Lock()
	s.jwks = nil
	s.jwksMu.Unlock()
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

// JWKS publishes every key that may still have valid certificates, and
// the current signing key. The answer is cached: it changes only with a
// rotation (which drops the cache here) or when a key's last certificate
// expires, and other replicas' rotations show within keyRefresh.
func (s *Service) JWKS(ctx context.Context) (JWKS, error) {
	s.jwksMu.Lock()
	defer s.jwksMu.Unlock()
	if s.jwks != nil && time.Since(s.jwksAt) < keyRefresh {
		return *s.jwks, nil
	}
	if err := s.loadKeys(ctx); err != nil {
		return JWKS{}, err
	}
	inUse, err := s.store.KeysInUse(ctx, s.opt.Now())
	if err != nil {
		return JWKS{}, err
	}
	s.mu.RLock()
	out := JWKS{Keys: []JWK{}}
	ids := make([]string, 0, len(s.keys))
	for id := range s.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		// ES256 tokens are signed whenever a certificate is read, so every
		// P-256 key may have valid ones.
		if id == s.current || slices.Contains(inUse, id) || s.keys[id].Alg == AlgES256 {
			out.Keys = append(out.Keys, PublicJWK(s.keys[id]))
		}
	}
	s.mu.RUnlock()
	s.jwks, s.jwksAt = &out, time.Now()
	return out, nil
}
