package accounts

import (
	"testing"
	"time"
)

func TestBackoffReserve(t *testing.T) {
	b := Backoff{Free: 3, Base: time.Minute, Max: 10 * time.Minute, Quiet: 15 * time.Minute}
	min := time.Minute.Milliseconds()
	steps := []struct {
		at      int64 // minutes
		ok      bool
		waitMin int64 // wait set after this attempt, in minutes
	}{
		{0, true, 0}, {0, true, 0}, {0, true, 1}, // three free, the third starts the wait
		{0, false, 1},                             // refused: must wait a minute
		{1, true, 2}, {2, false, 1}, {3, true, 4}, // the wait doubles
		{7, true, 8}, {15, true, 10}, {25, true, 10}, // capped at Max
		{35 + 15, true, 0}, // quiet for Quiet after the wait: forgotten, free again
	}
	var st throttleState
	for i, s := range steps {
		next, ok, retry := b.reserve(st, s.at*min)
		if ok != s.ok {
			t.Fatalf("step %d at %dm: ok %v, want %v (state %+v)", i, s.at, ok, s.ok, st)
		}
		if ok {
			if got := (next.NextAt - s.at*min) / min; got != s.waitMin {
				t.Fatalf("step %d: wait %dm, want %dm", i, got, s.waitMin)
			}
			st = next
		} else if retry.Milliseconds()/min != s.waitMin {
			t.Fatalf("step %d: retry %s, want %dm", i, retry, s.waitMin)
		}
	}
}
