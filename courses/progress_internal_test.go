package courses

import "testing"

func TestProgressRoundsButNeverClaimsDoneEarly(t *testing.T) {
	snap := func(n int) Snapshot {
		m := Module{}
		for i := 0; i < n; i++ {
			m.Lessons = append(m.Lessons, Lesson{ID: string(rune('a'+i%26)) + string(rune('A'+i/26))})
		}
		return Snapshot{Modules: []Module{m}}
	}
	for _, c := range []struct{ done, of, want int }{
		{6, 7, 86}, // truncating gave 85
		{1, 3, 33},
		{2, 3, 67},
		{1, 7, 14},
		{0, 7, 0},
		{7, 7, 100},
		{199, 200, 99}, // 99.5 must not read as done
		{1, 300, 1},    // 0.33 must not read as not started
		{0, 0, 0},
	} {
		s := snap(c.of)
		done := map[string]bool{}
		for _, l := range s.Lessons()[:c.done] {
			done[l.ID] = true
		}
		if got := progress(s, done); got != c.want {
			t.Errorf("%d of %d lessons: %d %%, want %d %%", c.done, c.of, got, c.want)
		}
	}
}
