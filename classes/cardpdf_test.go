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

func TestParseCSVAndRowErrors(t *testing.T) {
	rows, err := classes.ParseCSV([]byte("Email,NAME\r\na@example.org,Asha\r\n\r\n,\"Ravi\r\nKumar\"\r\nb@example.org,Bina\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Line != 2 || rows[0].Name != "Asha" || rows[0].Email != "a@example.org" || rows[1].Line != 4 || rows[2].Line != 6 {
		t.Fatalf("rows %+v", rows)
	}
	_, err = classes.ParseCSV([]byte("name\nok\n\"open"))
	got, ok := classes.RowErrorsOf(err)
	if !ok || len(got) != 1 || got[0].Line != 3 {
		t.Fatalf("broken CSV: %v %+v", err, got)
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("name,username,email,locale\nसीता देवी,,,hi\n"))
	f.Add([]byte("name\n\"a\nb\",x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := classes.ParseCSV(b)
		if err != nil {
			if _, ok := classes.RowErrorsOf(err); !ok {
				t.Fatalf("an error without rows: %v", err)
			}
			return
		}
		last := 1
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("line %d after %d", r.Line, last)
			}
			last = r.Line
		}
		if len(rows) > classes.MaxRows+1 {
			t.Fatalf("%d rows read", len(rows))
		}
	})
}
