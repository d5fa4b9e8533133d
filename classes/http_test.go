package classes_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/ledongthuc/pdf"
	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

type classJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	TrainerID    string   `json:"trainer_id"`
	CourseIDs    []string `json:"course_ids"`
	LearnerCount int      `json:"learner_count"`
	Learners     []struct {
		ID       string  `json:"id"`
		Name     string  `json:"name"`
		Username *string `json:"username"`
		Email    *string `json:"email"`
	} `json:"learners"`
}

type userJSON struct {
	ID       string  `json:"id"`
	Locale   string  `json:"locale"`
	Name     string  `json:"name"`
	Username *string `json:"username"`
	Email    *string `json:"email"`
	Role     string  `json:"role"`
}

type addedJSON struct {
	Created []struct {
		userJSON
		Line int      `json:"line"`
		User userJSON `json:"user"`
	} `json:"created"`
	Existing []struct {
		userJSON
		Line int `json:"line"`
	} `json:"existing"`
}

type rowErrors struct {
	Errors []struct {
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (r rowErrors) String() string {
	var parts []string
	for _, e := range r.Errors {
		parts = append(parts, fmt.Sprintf("%d:%s", e.Line, e.Field))
	}
	return strings.Join(parts, " ")
}

func csvReq(path, token, body string) apptest.Request {
	return apptest.Request{Method: "POST", Path: path, Token: token, Body: body, Headers: map[string]string{"Content-Type": "text/csv"}}
}

func getClass(t *testing.T, e *apptest.Env, token, id string) classJSON {
	t.Helper()
	var c classJSON
	res := e.Call("GET", api+"/classes/"+id, token, nil)
	if res.Status != 200 {
		t.Fatalf("get class: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &c)
	return c
}

func TestClasses(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		other := e.NewCertificateCourse()
		trainer := course.Trainer
		stranger := e.UserWithRole(web.RoleTrainer)
		admin := e.UserWithRole(web.RoleAdmin)
		employer := e.UserWithRole(web.RoleEmployer)
		learner := e.Learner()
		draft := e.Call("POST", api+"/courses", trainer.Token, map[string]any{"slug": "draft-only", "title": "Draft", "summary": "s", "language": "en"}).Map(t)["id"].(string)

		e.Scenarios(t, []apptest.Scenario{
			{Name: "a learner may not create a class", Method: "POST", Path: api + "/classes", Token: learner.Token, Body: map[string]any{"name": "B"}, Status: 403, Problem: "forbidden"},
			{Name: "nor an employer", Method: "POST", Path: api + "/classes", Token: employer.Token, Body: map[string]any{"name": "B"}, Status: 403},
			{Name: "nor anyone unsigned", Method: "POST", Path: api + "/classes", Body: map[string]any{"name": "B"}, Status: 401},
			{Name: "a name is needed", Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: map[string]any{"name": "  "}, Status: 422, Problem: "validation", Contains: []string{`"field":"name"`}},
			{Name: "unknown course", Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: map[string]any{"name": "B", "course_ids": []string{course.CourseID, "nope"}},
				Status: 422, Contains: []string{`course_ids[1]`}},
			{Name: "a draft course cannot be taught", Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: map[string]any{"name": "B", "course_ids": []string{draft}},
				Status: 422, Contains: []string{`course_ids[0]`}},
			{Name: "malformed", Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: `{"name":`, Status: 400},
			{Name: "wrong type", Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: map[string]any{"name": 7}, Status: 400},
			{Name: "not JSON", Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: "name=B", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Status: 415},
		})
		if n := countClasses(t, e, admin.Token); n != 0 {
			t.Fatalf("refused requests made %d classes", n)
		}

		res := e.Call("POST", api+"/classes", trainer.Token, map[string]any{"name": "Batch 7", "course_ids": []string{course.CourseID}, "locale": "hi"})
		if res.Status != 201 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var cl classJSON
		res.JSON(t, &cl)
		if cl.TrainerID != trainer.ID || cl.LearnerCount != 0 || len(cl.CourseIDs) != 1 || cl.CourseIDs[0] != course.CourseID || !strings.Contains(string(res.Body), `"created_at"`) {
			t.Fatalf("class %s", res.Body)
		}
		path := api + "/classes/" + cl.ID

		e.Scenarios(t, []apptest.Scenario{
			{Name: "the trainer sees it", Method: "GET", Path: path, Token: trainer.Token, Status: 200, Contains: []string{`"name":"Batch 7"`, `"learners":[]`}},
			{Name: "an admin sees it", Method: "GET", Path: path, Token: admin.Token, Status: 200},
			{Name: "another trainer does not", Method: "GET", Path: path, Token: stranger.Token, Status: 404, Problem: "not-found"},
			{Name: "a learner may not look", Method: "GET", Path: path, Token: learner.Token, Status: 403},
			{Name: "unknown class", Method: "GET", Path: api + "/classes/nope", Token: trainer.Token, Status: 404},
			{Name: "the trainer's list", Method: "GET", Path: api + "/classes", Token: trainer.Token, Status: 200, Contains: []string{cl.ID, `"next_cursor":null`}},
			{Name: "another trainer's list", Method: "GET", Path: api + "/classes", Token: stranger.Token, Status: 200, Contains: []string{`"items":[]`}},
			{Name: "the admin's list", Method: "GET", Path: api + "/classes", Token: admin.Token, Status: 200, Contains: []string{cl.ID}},
			{Name: "another trainer cannot add learners", Method: "POST", Path: path + "/learners", Token: stranger.Token, Body: map[string]any{"learners": []any{map[string]any{"name": "X"}}}, Status: 404},
			{Name: "nor see progress", Method: "GET", Path: path + "/progress", Token: stranger.Token, Status: 404},
			{Name: "nor print cards", Method: "POST", Path: path + "/cards", Token: stranger.Token, Status: 404},
			{Name: "nor change it", Method: "PATCH", Path: path, Token: stranger.Token, Body: map[string]any{"name": "Mine"}, Status: 404},
		})

		// Adding learners: JSON rows, one in Devanagari, one with a
		// username, one with an email.
		rows := map[string]any{"learners": []any{
			map[string]any{"name": "सीता देवी"},
			map[string]any{"name": "Ravi Kumar", "username": "Ravi.K"},
			map[string]any{"name": "Asha", "email": "asha@example.org", "locale": "hi"},
		}}
		res = e.Call("POST", path+"/learners", trainer.Token, rows)
		var added addedJSON
		res.JSON(t, &added)
		if res.Status != 200 || len(added.Created) != 3 || len(added.Existing) != 0 {
			t.Fatalf("add: %d %s", res.Status, res.Body)
		}
		if u := added.Created[0]; u.Username == nil || *u.Username != "sita.devi" || u.Email != nil || u.Line != 1 || u.Role != "learner" || u.User.ID != u.ID || u.Locale != "hi" {
			t.Errorf("first learner %s", res.Body)
		}
		if u := added.Created[1]; *u.Username != "ravi.k" {
			t.Errorf("given username %q", *u.Username)
		}
		if u := added.Created[2]; u.Email == nil || *u.Email != "asha@example.org" || *u.Username != "asha" {
			t.Errorf("learner with email %s", res.Body)
		}
		ids := []string{added.Created[0].ID, added.Created[1].ID, added.Created[2].ID}
		for _, id := range ids {
			st, err := e.Courses.Learner(apptest.Context(t), id, course.CourseID)
			if err != nil || !st.Enrolled {
				t.Errorf("learner %s not enrolled: %v", id, err)
			}
		}

		// A retry with the same Idempotency-Key answers the same.
		first := e.Do(apptest.Request{Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: map[string]any{"name": "Retried"}, Headers: map[string]string{"Idempotency-Key": "k1"}})
		second := e.Do(apptest.Request{Method: "POST", Path: api + "/classes", Token: trainer.Token, Body: map[string]any{"name": "Retried"}, Headers: map[string]string{"Idempotency-Key": "k1"}})
		if first.Status != 201 || string(first.Body) != string(second.Body) {
			t.Fatalf("retried create: %d %s / %d %s", first.Status, first.Body, second.Status, second.Body)
		}

		// Sending the same rows again changes nothing.
		res = e.Call("POST", path+"/learners", trainer.Token, rows)
		added = addedJSON{}
		res.JSON(t, &added)
		if res.Status != 200 || len(added.Created) != 0 || len(added.Existing) != 3 {
			t.Fatalf("again: %d %s", res.Status, res.Body)
		}
		if got := getClass(t, e, trainer.Token, cl.ID); got.LearnerCount != 3 || len(got.Learners) != 3 || *got.Learners[0].Username != "sita.devi" || got.Learners[0].Email != nil {
			t.Fatalf("class after adding: %+v", got)
		}

		// Every bad row is named and nothing is added.
		res = e.Call("POST", path+"/learners", trainer.Token, map[string]any{"learners": []any{
			map[string]any{"name": ""},
			map[string]any{"name": "Fine Person"},
			map[string]any{"name": "Bad Username", "username": "no spaces allowed"},
			map[string]any{"name": "Bad Email", "email": "not-an-email"},
			map[string]any{"name": "Repeat", "username": "fine.one"},
			map[string]any{"name": "Repeat", "username": "FINE.ONE"},
			map[string]any{"name": "Taken", "email": learner.Email},
		}})
		var re rowErrors
		res.JSON(t, &re)
		if res.Status != 422 || re.String() != "1:name 3:username 4:email 6:username 7:email" {
			t.Fatalf("bad rows: %d %s", res.Status, res.Body)
		}
		if got := getClass(t, e, trainer.Token, cl.ID); got.LearnerCount != 3 {
			t.Fatalf("a refused addition added learners: %d", got.LearnerCount)
		}

		// CSV: the header is line 1, and a quoted note over two lines
		// moves every later line on by one.
		csv := "name,username,email,locale,note\n" +
			"Meena,,,,\n" +
			",bad user,,,\n" +
			"Two Lines,,,,\"a note\nover two lines\"\n" +
			"Okay,,nope,xx_bad!,\n"
		res = e.Do(csvReq(path+"/learners", trainer.Token, csv))
		re = rowErrors{}
		res.JSON(t, &re)
		if res.Status != 422 || re.String() != "3:name 3:username 6:email 6:locale" {
			t.Fatalf("bad CSV: %d %s", res.Status, res.Body)
		}
		res = e.Do(csvReq(path+"/learners", trainer.Token, "\xef\xbb\xbfName, Email\nMeena Kumari,meena@example.org\n\nसीता देवी,\nRavi Kumar,\n"))
		added = addedJSON{}
		res.JSON(t, &added)
		// सीता देवी and Ravi Kumar are already in the class by name.
		if res.Status != 200 || len(added.Created) != 1 || len(added.Existing) != 2 || added.Created[0].Line != 2 || added.Existing[0].Line != 4 {
			t.Fatalf("CSV: %d %s", res.Status, res.Body)
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "CSV without a name column", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: "username\nabc\n",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422, Contains: []string{`"line":1`}},
			{Name: "broken CSV", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: "name\nok\n\"unclosed\n",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422, Contains: []string{`"line":3`}},
			{Name: "empty CSV", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: "",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422},
			{Name: "no learners", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: map[string]any{"learners": []any{}}, Status: 422},
			{Name: "no learners field", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: map[string]any{}, Status: 422},
			{Name: "learners of the wrong type", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: map[string]any{"learners": "Meena"}, Status: 400},
			{Name: "plain text", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: "Meena", Headers: map[string]string{"Content-Type": "text/plain"}, Status: 415},
			{Name: "over 1 MiB", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: "name\n" + strings.Repeat("x", 1<<20) + "\n",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 413},
			{Name: "1001 rows", Method: "POST", Path: path + "/learners", Token: trainer.Token, Body: "name\n" + strings.Repeat("Someone New\n", 1001),
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422, Contains: []string{"at most 1000"}},
		})
		if got := getClass(t, e, trainer.Token, cl.ID); got.LearnerCount != 4 {
			t.Fatalf("learners after refusals: %d", got.LearnerCount)
		}

		// Another trainer's class cannot take a learner of this class.
		scl := e.Call("POST", api+"/classes", stranger.Token, map[string]any{"name": "Theirs"}).Map(t)["id"].(string)
		res = e.Call("POST", api+"/classes/"+scl+"/learners", stranger.Token, map[string]any{"learners": []any{map[string]any{"name": "Ravi", "username": "ravi.k"}}})
		if res.Status != 422 || !strings.Contains(string(res.Body), "taken") {
			t.Fatalf("takeover: %d %s", res.Status, res.Body)
		}
		// A second class of the same trainer may.
		cl2 := e.Call("POST", api+"/classes", trainer.Token, map[string]any{"name": "Batch 8"}).Map(t)["id"].(string)
		res = e.Call("POST", api+"/classes/"+cl2+"/learners", trainer.Token, map[string]any{"learners": []any{map[string]any{"name": "Ravi", "username": "ravi.k"}}})
		added = addedJSON{}
		res.JSON(t, &added)
		if res.Status != 200 || len(added.Existing) != 1 || added.Existing[0].ID != ids[1] {
			t.Fatalf("join a second class: %d %s", res.Status, res.Body)
		}

		// Adding a course enrolls the class's learners in it.
		e.Scenarios(t, []apptest.Scenario{
			{Name: "blank name", Method: "PATCH", Path: path, Token: trainer.Token, Body: map[string]any{"name": ""}, Status: 422},
			{Name: "unknown course", Method: "PATCH", Path: path, Token: trainer.Token, Body: map[string]any{"course_ids": []string{"nope"}}, Status: 422},
			{Name: "add a course", Method: "PATCH", Path: path, Token: trainer.Token, Body: map[string]any{"name": "Batch 7a", "course_ids": []string{course.CourseID, other.CourseID}},
				Status: 200, Contains: []string{`"name":"Batch 7a"`, other.CourseID, `"learner_count":4`}},
		})
		for _, id := range ids {
			if st, err := e.Courses.Learner(apptest.Context(t), id, other.CourseID); err != nil || !st.Enrolled {
				t.Errorf("learner %s not enrolled in the added course: %v", id, err)
			}
		}
	})
}

func countClasses(t *testing.T, e *apptest.Env, token string) int {
	var l struct{ Items []any }
	e.Call("GET", api+"/classes", token, nil).JSON(t, &l)
	return len(l.Items)
}

type cardsJSON struct {
	Cards []struct {
		UserID    string `json:"user_id"`
		Name      string `json:"name"`
		Username  string `json:"username"`
		Secret    string `json:"secret"`
		Code      string `json:"code"`
		SignInURL string `json:"sign_in_url"`
	} `json:"cards"`
}

var jsonAccept = map[string]string{"Accept": "application/json"}

// classWith makes a trainer's class of the course with n learners.
func classWith(t *testing.T, e *apptest.Env, course *apptest.CertificateCourse, names ...string) string {
	t.Helper()
	id := e.Call("POST", api+"/classes", course.Trainer.Token, map[string]any{"name": "Batch", "course_ids": []string{course.CourseID}}).Map(t)["id"].(string)
	rows := make([]any, len(names))
	for i, n := range names {
		rows[i] = map[string]any{"name": n}
	}
	if res := e.Call("POST", api+"/classes/"+id+"/learners", course.Trainer.Token, map[string]any{"learners": rows}); res.Status != 200 {
		t.Fatalf("add learners: %d %s", res.Status, res.Body)
	}
	return id
}

func TestCards(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		admin := e.UserWithRole(web.RoleAdmin)
		id := classWith(t, e, course, "सीता देवी", "Ravi Kumar", "Asha")
		path := api + "/classes/" + id + "/cards"

		res := e.Do(apptest.Request{Method: "POST", Path: path, Token: course.Trainer.Token, Headers: jsonAccept})
		var cards cardsJSON
		res.JSON(t, &cards)
		if res.Status != 200 || len(cards.Cards) != 3 {
			t.Fatalf("cards: %d %s", res.Status, res.Body)
		}
		c := cards.Cards[0]
		if c.Username != "sita.devi" || c.Name != "सीता देवी" || len(c.Secret) < 26 || c.SignInURL != "http://skillgate.test/card/"+c.Secret {
			t.Fatalf("card %+v", c)
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "the card signs in", Method: "POST", Path: api + "/auth/card", Body: map[string]any{"secret": c.Secret}, Status: 200, Contains: []string{`"username":"sita.devi"`}},
			{Name: "so does the typed code", Method: "POST", Path: api + "/auth/card", Body: map[string]any{"secret": strings.ToLower(c.Code)}, Status: 200},
			{Name: "a learner not of the class", Method: "POST", Path: path, Token: course.Trainer.Token, Body: map[string]any{"learner_ids": []string{admin.ID}}, Headers: jsonAccept,
				Status: 422, Contains: []string{"learner_ids[0]"}},
			{Name: "a learner may not print cards", Method: "POST", Path: path, Token: e.Learner().Token, Status: 403},
		})

		// Reprinting one learner's card replaces only that card.
		res = e.Do(apptest.Request{Method: "POST", Path: path, Token: admin.Token, Body: map[string]any{"learner_ids": []string{c.UserID}}, Headers: jsonAccept})
		var again cardsJSON
		res.JSON(t, &again)
		if res.Status != 200 || len(again.Cards) != 1 || again.Cards[0].UserID != c.UserID {
			t.Fatalf("reprint: %d %s", res.Status, res.Body)
		}
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": c.Secret}); res.Status != 401 {
			t.Errorf("replaced card: %d", res.Status)
		}
		if res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": cards.Cards[1].Secret}); res.Status != 200 {
			t.Errorf("untouched card: %d", res.Status)
		}
	})
}

func TestCardsPDF(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]))
	course := e.NewCertificateCourse()
	names := []string{"सीता देवी"}
	for i := 2; i <= 11; i++ {
		names = append(names, fmt.Sprintf("Learner %c", 'A'+i))
	}
	id := classWith(t, e, course, names...)
	res := e.Call("POST", api+"/classes/"+id+"/cards", course.Trainer.Token, nil)
	if res.Status != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %s %.200s", res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	r, err := pdf.NewReader(bytes.NewReader(res.Body), int64(len(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	if r.NumPage() != 2 {
		t.Fatalf("%d pages for 11 cards, want 2", r.NumPage())
	}
	for i, want := range []int{8, 3} {
		p := r.Page(i + 1)
		var text strings.Builder
		for _, tx := range p.Content().Text {
			text.WriteString(tx.S)
		}
		if n := strings.Count(text.String(), "Skillgate sign-in card"); n != want {
			t.Errorf("page %d has %d cards, want %d", i+1, n, want)
		}
	}
	plain, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(plain)
	for _, want := range []string{"sita.devi", "learner.c", "Username", "Code"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("%q not in the PDF text", want)
		}
	}
	// The cards in the PDF work.
	var cards cardsJSON
	e.Do(apptest.Request{Method: "POST", Path: api + "/classes/" + id + "/cards", Token: course.Trainer.Token, Headers: jsonAccept}).JSON(t, &cards)
	if len(cards.Cards) != 11 {
		t.Fatalf("%d cards", len(cards.Cards))
	}
}

func TestClassSignsInAtOnceAndProgresses(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		names := make([]string, 24)
		for i := range names {
			names[i] = "Learner"
		}
		id := classWith(t, e, course, names...)
		var cards cardsJSON
		e.Do(apptest.Request{Method: "POST", Path: api + "/classes/" + id + "/cards", Token: course.Trainer.Token, Headers: jsonAccept}).JSON(t, &cards)
		tokens := make([]string, len(cards.Cards))
		var wg sync.WaitGroup
		for i, c := range cards.Cards {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := e.Call("POST", api+"/auth/card", "", map[string]any{"secret": c.Secret})
				if res.Status == 200 {
					tokens[i] = res.Map(t)["access_token"].(string)
				}
			}()
		}
		wg.Wait()
		for i, tok := range tokens {
			if tok == "" {
				t.Fatalf("card %d did not sign in", i)
			}
		}
		// The first learner earns the certificate.
		first := apptest.User{ID: cards.Cards[0].UserID, Token: tokens[0]}
		certID := course.Earn(first)

		res := e.Call("GET", api+"/classes/"+id+"/progress", course.Trainer.Token, nil)
		var pr struct {
			Learners []struct {
				UserID   string `json:"user_id"`
				Name     string `json:"name"`
				Username string `json:"username"`
				Courses  []struct {
					CourseID        string   `json:"course_id"`
					ProgressPercent int      `json:"progress_percent"`
					Attempts        int      `json:"attempts"`
					BestPercent     *float64 `json:"best_percent"`
					Passed          bool     `json:"passed"`
					CertificateID   *string  `json:"certificate_id"`
				} `json:"courses"`
				Tier any `json:"tier"`
			} `json:"learners"`
		}
		res.JSON(t, &pr)
		if res.Status != 200 || len(pr.Learners) != 24 || !strings.Contains(string(res.Body), `"tier":null`) {
			t.Fatalf("progress: %d %.500s", res.Status, res.Body)
		}
		got := pr.Learners[0]
		if got.UserID != first.ID || got.Username != "learner" || len(got.Courses) != 1 {
			t.Fatalf("first row %+v", got)
		}
		if c := got.Courses[0]; c.CourseID != course.CourseID || c.ProgressPercent != 100 || c.Attempts != 1 || c.BestPercent == nil || *c.BestPercent != 100 ||
			!c.Passed || c.CertificateID == nil || *c.CertificateID != certID {
			t.Errorf("first learner's course %+v", c)
		}
		if c := pr.Learners[1].Courses[0]; c.ProgressPercent != 0 || c.Attempts != 0 || c.BestPercent != nil || c.Passed || c.CertificateID != nil {
			t.Errorf("second learner's course %+v", c)
		}

		res = e.Do(apptest.Request{Method: "GET", Path: api + "/classes/" + id + "/progress", Token: course.Trainer.Token, Headers: map[string]string{"Accept": "text/csv"}})
		lines := strings.Split(strings.TrimSpace(string(res.Body)), "\n")
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || len(lines) != 25 {
			t.Fatalf("CSV: %d %s %d lines", res.Status, res.Header.Get("Content-Type"), len(lines))
		}
		if lines[0] != "user_id,name,username,course_id,progress_percent,attempts,best_percent,passed,certificate_id,tier" ||
			lines[1] != strings.Join([]string{first.ID, "Learner", "learner", course.CourseID, "100", "1", "100", "true", certID, ""}, ",") {
			t.Errorf("CSV head:\n%s\n%s", lines[0], lines[1])
		}
	})
}
