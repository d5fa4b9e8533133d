package classes_test

import (
	"testing"

	"skillgate/classes"
)

func TestVisualOrder(t *testing.T) {
	for in, want := range map[string]string{
		"सीता देवी": "सीता देवी",
		"किरण":      "\u093Fकरण",
		"रवि":       "र\u093Fव",
		"प्रिया":    "\u093Fप्रया",
		"क्षत्रिय":  "क्ष\u093Fत्रय",
		"ि":         "ि",
		"Ravi":      "Ravi",
	} {
		if got := classes.VisualOrder(in); got != want {
			t.Errorf("VisualOrder(%q) = %q, want %q", in, got, want)
		}
	}
}
