// store_slots.go allocates status-list indexes for new certificates
// without reading the list: a counter on the list's row is raised by a
// block at a time (one UPDATE ... RETURNING), and each counter value is
// mapped to an index by a keyed permutation, so that a list still reveals
// nothing about the order its certificates were issued in.

package certs

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
	"sync"
	"time"

	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
)

// slotBlock is how many indexes a replica reserves at a time. Indexes a
// replica reserved and never used (it stopped) are left unused: a gap in
// a list costs nothing.
const slotBlock = 64

// statusSlots are the indexes this process has reserved and not used.
type statusSlots struct {
	mu    sync.Mutex
	block slotRange
}

// slotRange is a reserved run [next, end) of a list's counter.
type slotRange struct {
	listID    string
	key       []byte
	size      int
	next, end int
}

func (r *slotRange) take() (string, int, bool) {
	if r.next >= r.end {
		return "", 0, false
	}
	i := permuteIndex(r.key, r.size, r.next)
	r.next++
	return r.listID, i, true
}

type slotRow struct {
	ID       string
	Size     int
	NextSlot int
	SlotKey  string
}

// takeStatusSlot returns a status list and an index in it that no other
// certificate holds. It uses one of this process's reserved indexes; with
// none left it reserves one in the caller's transaction (given back if
// that rolls back) and a block for the next issues once it commits.
func (s *Store) takeStatusSlot(ctx context.Context, now time.Time) (string, int, error) {
	s.slots.mu.Lock()
	list, index, ok := s.slots.block.take()
	s.slots.mu.Unlock()
	if ok {
		return list, index, nil
	}
	r, err := s.reserveSlots(ctx, 1, now)
	if err != nil {
		return "", 0, err
	}
	dbx.AfterCommit(ctx, func() {
		// Outside the issuing transaction, in one of its own: reserved
		// indexes must never return to the counter with a rollback.
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var block slotRange
		err := dbx.WithTx(rctx, s.db, func(rctx context.Context) error {
			var err error
			block, err = s.reserveSlots(rctx, slotBlock, now)
			return err
		})
		if err == nil {
			s.slots.mu.Lock()
			if s.slots.block.next >= s.slots.block.end {
				s.slots.block = block
			}
			s.slots.mu.Unlock()
		}
	})
	list, index, _ = r.take()
	return list, index, nil
}

// reserveSlots raises the counter of the newest list with room for n more
// (a list is filled to half at most, so that it hides who is revoked
// among many), or makes a list when none has room.
func (s *Store) reserveSlots(ctx context.Context, n int, now time.Time) (slotRange, error) {
	var row slotRow
	res := s.conn(ctx).Raw(`UPDATE status_lists SET next_slot = next_slot + ?
		WHERE id = (SELECT id FROM status_lists WHERE next_slot >= 0 AND next_slot <= size / 2 - ? ORDER BY created_at DESC, id DESC LIMIT 1)
		AND next_slot >= 0 AND next_slot <= size / 2 - ?
		RETURNING id, size, next_slot, slot_key`, n, n, n).Scan(&row)
	if res.Error != nil {
		return slotRange{}, fmt.Errorf("certs: reserve status indexes: %w", res.Error)
	}
	if res.RowsAffected == 1 && row.ID != "" {
		key, err := hex.DecodeString(row.SlotKey)
		if err != nil || len(key) == 0 {
			return slotRange{}, fmt.Errorf("certs: status list %s has no slot key", row.ID)
		}
		return slotRange{listID: row.ID, key: key, size: row.Size, next: row.NextSlot - n, end: row.NextSlot}, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return slotRange{}, err
	}
	id := dbx.NewID()
	err := s.conn(ctx).Exec(`INSERT INTO status_lists (id, size, created_at, revision, signed_revision, token, next_slot, slot_key)
		VALUES (?, ?, ?, 0, -1, '', ?, ?)`, id, StatusListBits, now, n, hex.EncodeToString(key)).Error
	if err != nil {
		return slotRange{}, fmt.Errorf("certs: create status list: %w", err)
	}
	return slotRange{listID: id, key: key, size: StatusListBits, next: 0, end: n}, nil
}

// permuteIndex maps a list's counter value i (0 <= i < size) to its
// index: a bijection of [0, size) keyed by the list's secret key (a
// four-round Feistel network on an even number of bits, walking the
// cycle until the value falls inside the list).
func permuteIndex(key []byte, size, i int) int {
	w := bits.Len(uint(size - 1))
	if w%2 == 1 {
		w++
	}
	half := uint(w / 2)
	mask := uint32(1)<<half - 1
	x := uint32(i)
	for {
		l, r := x>>half, x&mask
		for round := byte(0); round < 4; round++ {
			var buf [5]byte
			buf[0] = round
			binary.BigEndian.PutUint32(buf[1:], r)
			h := sha256.New()
			h.Write(key)
			h.Write(buf[:])
			f := binary.BigEndian.Uint32(h.Sum(nil)) & mask
			l, r = r, l^f
		}
		x = l<<half | r
		if int(x) < size {
			return int(x)
		}
	}
}

// insertCertificate inserts a certificate unless its attempt has one
// (then it reports false and changes nothing).
func (s *Store) insertCertificate(ctx context.Context, row certificateRow) (bool, error) {
	res := s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "attempt_id"}}, DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("certs: create certificate: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}
