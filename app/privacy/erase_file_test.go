package privacy_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/dbx"
)

// TestErasedNameLeavesTheDatabaseFile: after DELETE /me the learner's name
// and email are not anywhere in the SQLite file, free pages and
// write-ahead log included (secure_delete overwrites deleted content).
func TestErasedNameLeavesTheDatabaseFile(t *testing.T) {
	db, raw := apptest.NewDBURL(t, dbx.SQLite)
	path := strings.TrimPrefix(raw, "sqlite://")
	e := apptest.New(t, db)
	course := e.NewCertificateCourse()
	const name = "Quillon Varga-Zephyrine"
	const email = "quillon.varga@example.org"
	res := e.Call("POST", api+"/auth/register", "", map[string]any{"email": email, "password": "river candle mango seventy", "name": name})
	if res.Status != 201 {
		t.Fatalf("register: %d %s", res.Status, res.Body)
	}
	var s struct {
		User        struct{ ID string }
		AccessToken string `json:"access_token"`
	}
	res.JSON(t, &s)
	learner := apptest.User{ID: s.User.ID, Email: email, Name: name, Token: s.AccessToken}
	course.Earn(learner)
	// The name is in the file before, so the check below can see it.
	if err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		t.Fatal(err)
	}
	if before := fileBytes(t, path); !bytes.Contains(before, []byte(name)) {
		t.Fatal("the name is not in the file even before deletion; the test cannot see anything")
	}

	if r := e.Call("DELETE", api+"/me", learner.Token, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	// Retained attempts carry an id that names nobody.
	var ids []string
	db.Table("attempts").Where("course_id = ?", course.CourseID).Pluck("user_id", &ids)
	if len(ids) == 0 {
		t.Fatal("no attempt was retained")
	}
	for _, id := range ids {
		var n int64
		db.Table("users").Where("id = ?", id).Count(&n)
		if id == learner.ID || n != 0 {
			t.Errorf("a retained attempt still names an account: %s", id)
		}
	}
	// No checkpoint here: the erasure itself must leave nothing behind.
	for _, f := range []string{path, path + "-wal"} {
		if b := fileBytes(t, f); bytes.Contains(b, []byte(name)) || bytes.Contains(b, []byte(email)) {
			t.Errorf("%s still holds the erased name or email", f)
		}
	}
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return b
}
