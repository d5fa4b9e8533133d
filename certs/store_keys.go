// store_keys.go holds the store's query that decides which keys the JWKS
// publishes.

package certs

import (
	"context"
	"time"
)

// LastExpiries reports, for each of keyIDs that signed certificates, when
// the last of them expires: the key must be published until then.
func (s *Store) LastExpiries(ctx context.Context, keyIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(keyIDs) == 0 {
		return out, nil
	}
	for _, id := range keyIDs {
		// One query per key (they are few) keeps expires_at typed on
		// SQLite, where MAX() would answer text.
		var row certificateRow
		err := s.conn(ctx).Select("expires_at").Where("key_id = ?", id).Order("expires_at DESC").Limit(1).Find(&row).Error
		if err != nil {
			return nil, storeErr("load last expiry of key "+id, err)
		}
		if !row.ExpiresAt.IsZero() {
			out[id] = row.ExpiresAt
		}
	}
	return out, nil
}
