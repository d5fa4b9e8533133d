package english_test

import (
	"testing"

	"skillgate/app/english"
)

type key string

func TestFill(t *testing.T) {
	table := english.New(map[key]string{"plain": "is required", "max": "must be at most {{.Max}} characters"})
	cases := []struct {
		name string
		key  key
		args []any
		want string
	}{
		{"plain text", "plain", nil, "is required"},
		{"a value", "max", []any{"Max", 200}, "must be at most 200 characters"},
		{"a missing value names the key", "max", nil, "max"},
		{"an odd value is left out", "max", []any{"Max"}, "max"},
		{"an unknown key names itself", "nope", nil, "nope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := table.Fill(c.key, c.args...); got != c.want {
				t.Errorf("Fill(%q, %v) = %q, want %q", c.key, c.args, got, c.want)
			}
		})
	}
	if got := table.ByKey(); len(got) != 2 || got["max"] != "must be at most {{.Max}} characters" {
		t.Errorf("ByKey() = %v", got)
	}
}
