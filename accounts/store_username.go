package accounts

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// freeUsernames picks, for each base, a username not yet taken in the
// database nor by an earlier base of the same call: base, then base.2,
// base.3, ... A race with another writer ends at the unique index.
func (s *Store) freeUsernames(ctx context.Context, bases []string) ([]string, error) {
	taken := map[string]bool{}
	seen := map[string]bool{}
	for _, b := range bases {
		if seen[b] {
			continue
		}
		seen[b] = true
		var names []string
		err := s.conn(ctx).Model(&userRow{}).Where("username = ? OR username LIKE ? ESCAPE '\\'", b, likePrefix(b)+".%").
			Pluck("username", &names).Error
		if err != nil {
			return nil, fmt.Errorf("accounts: load usernames: %w", err)
		}
		for _, n := range names {
			taken[n] = true
		}
	}
	out := make([]string, len(bases))
	for i, b := range bases {
		u := b
		for n := 2; taken[u]; n++ {
			u = b + "." + strconv.Itoa(n)
		}
		taken[u] = true
		out[i] = u
	}
	return out, nil
}

// likePrefix escapes LIKE's wildcards; usernames hold only _ of them.
func likePrefix(s string) string { return strings.ReplaceAll(s, "_", "\\_") }
