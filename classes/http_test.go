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

type scenario struct {
	name     string
	method   string
	path     string
	token    string
	body     any
	headers  map[string]string
	status   int
	problem  string   // expected problem type slug
	contains []string // text that must appear
	absent   []string // text that must not appear
}

func run(t *testing.T, e *apptest.Env, cases []scenario) {
	t.Helper()
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			res := e.Do(apptest.Request{Method: sc.method, Path: sc.path, Token: sc.token, Body: sc.body, Headers: sc.headers})
			if res.Status != sc.status {
				t.Fatalf("status %d, want %d: %.600s", res.Status, sc.status, res.Body)
			}
			body := string(res.Body)
			if sc.problem != "" && !strings.Contains(body, `"type":"`+web.ProblemTypeBase+sc.problem+`"`) {
				t.Errorf("problem type %q not in %s", sc.problem, body)
			}
			for _, s := range sc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("%q not in %.2000s", s, body)
				}
			}
			for _, s := range append(sc.absent, "goroutine", "SQLSTATE", "SELECT ", "INSERT ") {
				if strings.Contains(body, s) {
					t.Errorf("%q must not be in %.2000s", s, body)
				}
			}
		})
	}
}

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

		run(t, e, []scenario{
			{name: "a learner may not create a class", method: "POST", path: api + "/classes", token: learner.Token, body: map[string]any{"name": "B"}, status: 403, problem: "forbidden"},
			{name: "nor an employer", method: "POST", path: api + "/classes", token: employer.Token, body: map[string]any{"name": "B"}, status: 403},
			{name: "nor anyone unsigned", method: "POST", path: api + "/classes", body: map[string]any{"name": "B"}, status: 401},
			{name: "a name is needed", method: "POST", path: api + "/classes", token: trainer.Token, body: map[string]any{"name": "  "}, status: 422, problem: "validation", contains: []string{`"field":"name"`}},
			{name: "unknown course", method: "POST", path: api + "/classes", token: trainer.Token, body: map[string]any{"name": "B", "course_ids": []string{course.CourseID, "nope"}},
				status: 422, contains: []string{`course_ids[1]`}},
			{name: "a draft course cannot be taught", method: "POST", path: api + "/classes", token: trainer.Token, body: map[string]any{"name": "B", "course_ids": []string{draft}},
				status: 422, contains: []string{`course_ids[0]`}},
			{name: "malformed", method: "POST", path: api + "/classes", token: trainer.Token, body: `{"name":`, status: 400},
			{name: "wrong type", method: "POST", path: api + "/classes", token: trainer.Token, body: map[string]any{"name": 7}, status: 400},
			{name: "not JSON", method: "POST", path: api + "/classes", token: trainer.Token, body: "name=B", headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 415},
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

		run(t, e, []scenario{
			{name: "the trainer sees it", method: "GET", path: path, token: trainer.Token, status: 200, contains: []string{`"name":"Batch 7"`, `"learners":[]`}},
			{name: "an admin sees it", method: "GET", path: path, token: admin.Token, status: 200},
			{name: "another trainer does not", method: "GET", path: path, token: stranger.Token, status: 404, problem: "not-found"},
			{name: "a learner may not look", method: "GET", path: path, token: learner.Token, status: 403},
			{name: "unknown class", method: "GET", path: api + "/classes/nope", token: trainer.Token, status: 404},
			{name: "the trainer's list", method: "GET", path: api + "/classes", token: trainer.Token, status: 200, contains: []string{cl.ID, `"next_cursor":null`}},
			{name: "another trainer's list", method: "GET", path: api + "/classes", token: stranger.Token, status: 200, contains: []string{`"items":[]`}},
			{name: "the admin's list", method: "GET", path: api + "/classes", token: admin.Token, status: 200, contains: []string{cl.ID}},
			{name: "another trainer cannot add learners", method: "POST", path: path + "/learners", token: stranger.Token, body: map[string]any{"learners": []any{map[string]any{"name": "X"}}}, status: 404},
			{name: "nor see progress", method: "GET", path: path + "/progress", token: stranger.Token, status: 404},
			{name: "nor print cards", method: "POST", path: path + "/cards", token: stranger.Token, status: 404},
			{name: "nor change it", method: "PATCH", path: path, token: stranger.Token, body: map[string]any{"name": "Mine"}, status: 404},
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
		run(t, e, []scenario{
			{name: "CSV without a name column", method: "POST", path: path + "/learners", token: trainer.Token, body: "username\nabc\n",
				headers: map[string]string{"Content-Type": "text/csv"}, status: 422, contains: []string{`"line":1`}},
			{name: "broken CSV", method: "POST", path: path + "/learners", token: trainer.Token, body: "name\nok\n\"unclosed\n",
				headers: map[string]string{"Content-Type": "text/csv"}, status: 422, contains: []string{`"line":3`}},
			{name: "empty CSV", method: "POST", path: path + "/learners", token: trainer.Token, body: "",
				headers: map[string]string{"Content-Type": "text/csv"}, status: 422},
			{name: "no learners", method: "POST", path: path + "/learners", token: trainer.Token, body: map[string]any{"learners": []any{}}, status: 422},
			{name: "no learners field", method: "POST", path: path + "/learners", token: trainer.Token, body: map[string]any{}, status: 422},
			{name: "learners of the wrong type", method: "POST", path: path + "/learners", token: trainer.Token, body: map[string]any{"learners": "Meena"}, status: 400},
			{name: "plain text", method: "POST", path: path + "/learners", token: trainer.Token, body: "Meena", headers: map[string]string{"Content-Type": "text/plain"}, status: 415},
			{name: "over 1 MiB", method: "POST", path: path + "/learners", token: trainer.Token, body: "name\n" + strings.Repeat("x", 1<<20) + "\n",
				headers: map[string]string{"Content-Type": "text/csv"}, status: 413},
			{name: "1001 rows", method: "POST", path: path + "/learners", token: trainer.Token, body: "name\n" + strings.Repeat("Someone New\n", 1001),
				headers: map[string]string{"Content-Type": "text/csv"}, status: 422, contains: []string{"at most 1000"}},
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
		run(t, e, []scenario{
			{name: "blank name", method: "PATCH", path: path, token: trainer.Token, body: map[string]any{"name": ""}, status: 422},
			{name: "unknown course", method: "PATCH", path: path, token: trainer.Token, body: map[string]any{"course_ids": []string{"nope"}}, status: 422},
			{name: "add a course", method: "PATCH", path: path, token: trainer.Token, body: map[string]any{"name": "Batch 7a", "course_ids": []string{course.CourseID, other.CourseID}},
				status: 200, contains: []string{`"name":"Batch 7a"`, other.CourseID, `"learner_count":4`}},
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
		run(t, e, []scenario{
			{name: "the card signs in", method: "POST", path: api + "/auth/card", body: map[string]any{"secret": c.Secret}, status: 200, contains: []string{`"username":"sita.devi"`}},
			{name: "so does the typed code", method: "POST", path: api + "/auth/card", body: map[string]any{"secret": strings.ToLower(c.Code)}, status: 200},
			{name: "a learner not of the class", method: "POST", path: path, token: course.Trainer.Token, body: map[string]any{"learner_ids": []string{admin.ID}}, headers: jsonAccept,
				status: 422, contains: []string{"learner_ids[0]"}},
			{name: "a learner may not print cards", method: "POST", path: path, token: e.Learner().Token, status: 403},
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
