package assessments

import (
	"time"
)

// CooldownAfter is the wait before the next attempt once n attempts
// (n >= 1) have been submitted: the n-th entry of the cooldown schedule
// (its last entry repeating), or CooldownSeconds when there is no
// schedule. It is a pure function.
func CooldownAfter(set Settings, n int) time.Duration {
	if n < 1 {
		return 0
	}
	if len(set.CooldownSchedule) > 0 {
		i := min(n, len(set.CooldownSchedule)) - 1
		return time.Duration(set.CooldownSchedule[i]) * time.Second
	}
	return time.Duration(set.CooldownSeconds) * time.Second
}

// StandingOf is a learner's position at now given their attempts at one
// assessment (oldest first): attempts used and left, and when a cooldown
// runs, the time the next attempt may start. RetryAt is nil when no
// cooldown applies, also when no attempt is left (there is nothing to
// wait for). It is a pure function.
func StandingOf(set Settings, attempts []Attempt, now time.Time) Standing {
	st := Standing{AttemptsUsed: len(attempts), AttemptsLeft: max(0, set.MaxAttempts-len(attempts))}
	submitted := 0
	var last *time.Time
	for _, a := range attempts {
		if a.Passed {
			st.Passed = true
		}
		if a.Status == StatusOpen {
			st.OpenAttemptID = a.ID
		}
		if a.SubmittedAt != nil {
			submitted++
			last = a.SubmittedAt
		}
	}
	if st.AttemptsLeft > 0 && st.OpenAttemptID == "" && last != nil {
		if retry := last.Add(CooldownAfter(set, submitted)).UTC(); now.Before(retry) {
			st.RetryAt = &retry
		}
	}
	return st
}

// reviews are the values of Settings.Review.
var reviews = []string{ReviewDefault, ReviewNever, ReviewAfterPass, ReviewAfterLastAttempt}

// MayReveal says whether a learner in standing st may see right answers
// and explanations under the review setting (see the Review constants;
// "" is ReviewDefault, and an unknown value reveals nothing). It is a
// pure function. Nothing is revealed while another attempt is open, so a
// review cannot be read beside a running attempt.
func MayReveal(review string, st Standing) bool {
	if st.OpenAttemptID != "" {
		return false
	}
	switch review {
	case "", ReviewDefault:
		return st.Passed || st.AttemptsLeft == 0
	case ReviewAfterPass:
		return st.Passed
	case ReviewAfterLastAttempt:
		return st.AttemptsLeft == 0
	}
	return false
}
