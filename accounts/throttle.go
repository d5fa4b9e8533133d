package accounts

import (
	"time"
)

// Backoff is how many password guesses a key may make before it must wait,
// and how the wait grows. Guesses are reserved before the password is
// hashed, so guesses sent at once are limited exactly like guesses sent in
// turn.
type Backoff struct {
	// Free is how many attempts may be made without waiting.
	Free int
	// Base is the wait after the Free-th attempt; each later attempt
	// doubles it, up to Max.
	Base, Max time.Duration
	// Quiet forgets a streak this long after its last wait ended.
	Quiet time.Duration
}

// throttleState is one key's streak: attempts reserved since it was last
// forgotten, and the earliest time (unix ms) of the next attempt.
type throttleState struct {
	Attempts int
	NextAt   int64
}

// reserve decides whether one more attempt may be made at now (unix ms),
// and returns the state that results. It is a pure function so that the
// arithmetic has table tests; the store applies it under the row's lock.
func (b Backoff) reserve(st throttleState, now int64) (next throttleState, ok bool, retry time.Duration) {
	if st.Attempts > 0 && now >= st.NextAt+b.Quiet.Milliseconds() {
		st = throttleState{}
	}
	// Only a streak past its free attempts waits: requests whose clocks
	// were read a moment apart must not refuse each other.
	if st.Attempts >= b.Free && now < st.NextAt {
		return st, false, time.Duration(st.NextAt-now) * time.Millisecond
	}
	a := st.Attempts + 1
	last := max(st.NextAt, now)
	if a < b.Free {
		return throttleState{Attempts: a, NextAt: last}, true, 0
	}
	wait := b.Base
	for i := b.Free; i < a && wait < b.Max; i++ {
		wait *= 2
	}
	return throttleState{Attempts: a, NextAt: last + min(wait, b.Max).Milliseconds()}, true, 0
}
