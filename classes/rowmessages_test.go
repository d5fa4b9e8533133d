package classes_test

import (
	"testing"

	"gorm.io/gorm"

	"skillgate/app/apptest"
)

// TestRowMessagesStayTheAPIs: a refused learners file names each row with
// the English the API has always sent, word for word, and with nothing of
// the catalogue keys and values the class page says them with.
func TestRowMessagesStayTheAPIs(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		trainer := course.Trainer
		id := e.Call("POST", api+"/classes", trainer.Token, map[string]any{"name": "Batch 9"}).Map(t)["id"].(string)
		path := api + "/classes/" + id + "/learners"
		absent := []string{`"key"`, `"args"`, `field.`, `"Line"`}
		csv := func(name, body string, want ...string) apptest.Scenario {
			return apptest.Scenario{Name: name, Method: "POST", Path: path, Token: trainer.Token, Body: body,
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422, Problem: "validation",
				Contains: append([]string{`"detail":"no learner was added: correct the rows listed and send them all again"`}, want...), Absent: absent}
		}
		e.Scenarios(t, []apptest.Scenario{
			csv("rows", "name,username,email\nAsha,asha.k,\nRekha,asha.k,not-an-email\n,,\n",
				`{"line":3,"field":"username","message":"repeats line 2"}`,
				`{"line":3,"field":"email","message":"must be an email address"}`,
				`{"line":4,"field":"name","message":"is required"}`),
			csv("a bare quote", "name\nAsha \"K\" Devi\n", `{"line":2,"field":"","message":"is not valid CSV: bare \" in non-quoted-field"}`),
			csv("an open quote", "name\n\"Asha\n", `"message":"is not valid CSV: extraneous or missing \" in quoted-field"`),
			csv("no name column", "username\nasha.k\n", `{"line":1,"field":"name","message":"the first line must name the columns, with a name column"}`),
			csv("empty", "", `{"line":1,"field":"name","message":"the file is empty: the first line must name the columns (name, username, email, locale)"}`),
			{Name: "no rows", Method: "POST", Path: path, Token: trainer.Token, Body: map[string]any{"learners": []any{}}, Status: 422,
				Contains: []string{`{"line":0,"field":"learners","message":"name at least one learner"}`}, Absent: absent},
			{Name: "no list", Method: "POST", Path: path, Token: trainer.Token, Body: map[string]any{}, Status: 422,
				Contains: []string{`{"line":0,"field":"learners","message":"is required"}`}, Absent: absent},
		})
	})
}
