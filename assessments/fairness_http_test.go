package assessments_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// giftCourse is a trainer's published course of two lessons with the given
// GIFT bank and a final of three questions (60% to pass, two attempts, no
// cooldown); settings override the final's.
func giftCourse(e *apptest.Env, trainer apptest.User, gift string, settings map[string]any) (courseID, assessmentID string, lessons []string) {
	e.T.Helper()
	c := e.PublishCourse(trainer, apptest.CourseSpec{Title: "Gift", Lessons: []string{"First lesson", "Second lesson"}, GIFT: gift,
		Assessment: withSettings(map[string]any{"title": "Final", "kind": "final", "question_count": 3, "time_limit_seconds": 600,
			"pass_percent": 60, "max_attempts": 2, "cooldown_seconds": 0}, settings)})
	return c.ID, c.AssessmentID, c.LessonIDs
}

const choiceBank = `// [tag:lesson:1]
::C1:: Which is a fruit? {=Mango ~Brick ~Chair ####A mango grows on a tree.}

// [tag:lesson:2]
::C2:: Which is a colour? {=Blue ~Table ~Spoon ####Blue is a colour.}

::C3:: Which is an animal? {=Goat ~Cup ~Door ####A goat is an animal.}
`

type reviewJSON struct {
	Status       string     `json:"status"`
	Passed       bool       `json:"passed"`
	AttemptsUsed int        `json:"attempts_used"`
	AttemptsLeft int        `json:"attempts_left"`
	RetryAt      *time.Time `json:"retry_at"`
	Questions    []struct {
		ID      string `json:"id"`
		Hint    string `json:"hint"`
		Options []struct {
			ID string `json:"id"`
		} `json:"options"`
	} `json:"questions"`
	Results []struct {
		QuestionID  string          `json:"question_id"`
		Correct     bool            `json:"correct"`
		RightAnswer json.RawMessage `json:"right_answer"`
		Explanation *string         `json:"explanation"`
		Lesson      *struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"lesson"`
	} `json:"results"`
}

func optionIDs(r reviewJSON) []string {
	var out []string
	for _, q := range r.Questions {
		for _, o := range q.Options {
			out = append(out, o.ID)
		}
	}
	return out
}

// TestAnswerKeysDoNotCarryAcrossAccounts (issue #10, item 5): options get
// ids of their own in each attempt; a second account that sends back the
// right answers revealed to the first does not pass, nor do the bank's
// option ids match anything.
func TestAnswerKeysDoNotCarryAcrossAccounts(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, final, _ := giftCourse(e, trainer, choiceBank, map[string]any{"max_attempts": 1})
		first, second := e.Learner(), e.Learner()
		enroll(t, e, first, courseID)
		enroll(t, e, second, courseID)

		// The first learner fails her only attempt: the review then shows
		// the right answers (the contract's default rule).
		var a1 attemptJSON
		e.Call("POST", api+"/assessments/"+final+"/attempts", first.Token, nil).JSON(t, &a1)
		e.Call("POST", api+"/attempts/"+a1.ID+"/submit", first.Token, map[string]any{"answers": e.Answers(a1.ID, 3)})
		var rev reviewJSON
		e.Call("GET", api+"/attempts/"+a1.ID, first.Token, nil).JSON(t, &rev)
		key := map[string][]string{}
		for _, r := range rev.Results {
			var ra struct {
				OptionIDs []string `json:"option_ids"`
			}
			if err := json.Unmarshal(r.RightAnswer, &ra); err != nil || len(ra.OptionIDs) != 1 {
				t.Fatalf("no right answer revealed: %s", r.RightAnswer)
			}
			key[r.QuestionID] = ra.OptionIDs
		}

		var a2 attemptJSON
		res := e.Call("POST", api+"/assessments/"+final+"/attempts", second.Token, nil)
		res.JSON(t, &a2)
		var view2 reviewJSON
		res.JSON(t, &view2)
		var view1 reviewJSON
		e.Call("GET", api+"/attempts/"+a1.ID, first.Token, nil).JSON(t, &view1)
		var bank struct {
			Items []struct {
				Options []struct{ ID string } `json:"options"`
			}
		}
		e.Call("GET", api+"/courses/"+courseID+"/questions", trainer.Token, nil).JSON(t, &bank)
		var bankIDs []string
		for _, q := range bank.Items {
			for _, o := range q.Options {
				bankIDs = append(bankIDs, o.ID)
			}
		}
		for _, id := range optionIDs(view2) {
			if slices.Contains(optionIDs(view1), id) || slices.Contains(bankIDs, id) {
				t.Fatalf("option id %s of the second attempt appears in the first attempt or the bank", id)
			}
		}

		// The shared key names options of no question of this attempt.
		shared := []map[string]any{}
		for q, ids := range key {
			shared = append(shared, map[string]any{"question_id": q, "option_ids": ids})
		}
		bankAnswers := []map[string]any{}
		for _, q := range a2.Questions {
			bankAnswers = append(bankAnswers, map[string]any{"question_id": q.ID, "option_ids": bankIDs[:1]})
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "submit the first account's key", Method: "POST", Path: api + "/attempts/" + a2.ID + "/submit", Token: second.Token,
				Body: map[string]any{"answers": shared}, Status: 422, Problem: "validation"},
			{Name: "save the bank's option ids", Method: "PUT", Path: api + "/attempts/" + a2.ID + "/answers", Token: second.Token,
				Body: map[string]any{"answers": bankAnswers}, Status: 422, Problem: "validation"},
		})
		var g gradeJSON
		e.Call("POST", api+"/attempts/"+a2.ID+"/submit", second.Token, nil).JSON(t, &g)
		if g.Passed || g.Score != 0 {
			t.Fatalf("the second account passed with the first one's key: %+v", g)
		}
		// Her own attempt's ids, mapped back to the bank, grade as usual.
		var a3 attemptJSON
		third := e.Learner()
		enroll(t, e, third, courseID)
		e.Call("POST", api+"/assessments/"+final+"/attempts", third.Token, nil).JSON(t, &a3)
		e.Call("POST", api+"/attempts/"+a3.ID+"/submit", third.Token, map[string]any{"answers": e.Answers(a3.ID, 0)}).JSON(t, &g)
		if !g.Passed || g.Percent != 100 {
			t.Fatalf("right answers of the attempt itself: %+v", g)
		}
	})
}

// TestReviewSetting: a trainer chooses when right answers are shown.
func TestReviewSetting(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		var courseID string // the last course made, for the unknown rule below
		for _, tc := range []struct {
			review     string
			wrong      int // questions answered wrongly
			maxTries   int
			wantReveal bool
		}{
			{"after_pass", 3, 1, false},         // failed, no attempt left: still hidden
			{"after_pass", 0, 2, true},          // passed
			{"never", 0, 1, false},              // passed, never shown
			{"after_last_attempt", 0, 2, false}, // passed with an attempt left
			{"after_last_attempt", 3, 1, true},  // none left
			{"", 3, 1, true},                    // default: the contract's rule
		} {
			settings := map[string]any{"max_attempts": tc.maxTries}
			if tc.review != "" {
				settings["review"] = tc.review
			}
			var final string
			courseID, final, _ = giftCourse(e, trainer, choiceBank, settings)
			learner, at := startAttempt(t, e, courseID, final)
			e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, tc.wrong)})
			res := e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil)
			revealed := strings.Contains(string(res.Body), `"right_answer":{`)
			if revealed != tc.wantReveal || revealed != strings.Contains(string(res.Body), `"explanation":"`) {
				t.Errorf("review %q, %d wrong, %d attempts: revealed %v, want %v: %s", tc.review, tc.wrong, tc.maxTries, revealed, tc.wantReveal, res.Body)
			}
			// The trainer who owns the course always sees them.
			if r := e.Call("GET", api+"/attempts/"+at.ID, trainer.Token, nil); !strings.Contains(string(r.Body), `"right_answer":{`) {
				t.Errorf("review %q: trainer sees no answers: %s", tc.review, r.Body)
			}
		}
		e.Scenarios(t, []apptest.Scenario{{Name: "an unknown review rule", Method: "POST", Path: api + "/courses/" + courseID + "/assessments",
			Token: trainer.Token, Body: map[string]any{"title": "X", "kind": "quiz", "question_count": 1, "time_limit_seconds": 60, "pass_percent": 50,
				"max_attempts": 1, "review": "sometimes"},
			Status: 422, Problem: "validation", Contains: []string{`"field":"review"`}}})
	})
}

// TestPassWithLessonsLeftEarnsCertificateWithLastLesson (contract v1.1,
// issue #15): a pass before the lessons says that the certificate waits
// for them, and the lesson that completes the course issues it.
func TestPassWithLessonsLeftEarnsCertificateWithLastLesson(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, final, lessons := giftCourse(e, trainer, choiceBank, nil)
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		if r := e.Call("POST", api+"/lessons/"+lessons[0]+"/complete", learner.Token, nil); r.Status != 200 ||
			!strings.Contains(string(r.Body), `"certificate_id":null`) {
			t.Fatalf("first lesson: %d %s", r.Status, r.Body)
		}
		var at attemptJSON
		e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil).JSON(t, &at)
		res := e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, 0)})
		var g struct {
			gradeJSON
			CertificatePending *string `json:"certificate_pending"`
		}
		res.JSON(t, &g)
		if !g.Passed || g.CertificateID != nil || g.CertificatePending == nil || *g.CertificatePending != "lessons_incomplete" {
			t.Fatalf("pass with a lesson left: %s", res.Body)
		}
		list := e.Call("GET", api+"/courses/"+courseID+"/assessments", learner.Token, nil)
		if !strings.Contains(string(list.Body), `"certificate_pending":"lessons_incomplete"`) {
			t.Fatalf("the assessment page does not say the certificate waits: %s", list.Body)
		}
		if r := e.Call("GET", api+"/me/certificates", learner.Token, nil); !strings.Contains(string(r.Body), `"items":[]`) {
			t.Fatalf("certificate before the lessons: %s", r.Body)
		}

		res = e.Call("POST", api+"/lessons/"+lessons[1]+"/complete", learner.Token, nil)
		var done struct {
			ProgressPercent int     `json:"progress_percent"`
			CertificateID   *string `json:"certificate_id"`
		}
		res.JSON(t, &done)
		if res.Status != 200 || done.ProgressPercent != 100 || done.CertificateID == nil {
			t.Fatalf("last lesson: %d %s", res.Status, res.Body)
		}
		if r := e.Call("GET", api+"/certificates/"+*done.CertificateID, learner.Token, nil); r.Status != 200 {
			t.Fatalf("certificate: %d %s", r.Status, r.Body)
		}
		// The attempt now names it; completing a lesson again issues nothing new.
		if r := e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil); !strings.Contains(string(r.Body), *done.CertificateID) ||
			strings.Contains(string(r.Body), "certificate_pending") {
			t.Fatalf("attempt after the last lesson: %s", r.Body)
		}
		again := e.Call("POST", api+"/lessons/"+lessons[1]+"/complete", learner.Token, nil)
		if !strings.Contains(string(again.Body), *done.CertificateID) {
			t.Fatalf("completing again: %s", again.Body)
		}
		var certs struct{ Items []any }
		e.Call("GET", api+"/me/certificates", learner.Token, nil).JSON(t, &certs)
		if len(certs.Items) != 1 {
			t.Fatalf("%d certificates, want 1", len(certs.Items))
		}
		// A learner who completes the lessons without a pass gets nothing.
		other := e.Learner()
		enroll(t, e, other, courseID)
		for _, l := range lessons {
			if r := e.Call("POST", api+"/lessons/"+l+"/complete", other.Token, nil); !strings.Contains(string(r.Body), `"certificate_id":null`) {
				t.Fatalf("lessons without a pass: %s", r.Body)
			}
		}
	})
}

// TestRulesToldBeforeAndAfter (issue #15): attempts used and left and the
// cooldown, before starting and in every result; a failed learner sees
// which questions were wrong and the lesson to re-read.
func TestRulesToldBeforeAndAfter(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, final, lessons := giftCourse(e, trainer, choiceBank, map[string]any{"max_attempts": 3,
			"cooldown_schedule_seconds": []int{3600, 4 * 3600}})
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		var list struct {
			Items []struct {
				AttemptsUsed     *int       `json:"attempts_used"`
				AttemptsLeft     *int       `json:"attempts_left"`
				RetryAt          *time.Time `json:"retry_at"`
				CooldownSchedule []int      `json:"cooldown_schedule_seconds"`
			}
		}
		e.Call("GET", api+"/courses/"+courseID+"/assessments", learner.Token, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].AttemptsUsed == nil || *list.Items[0].AttemptsUsed != 0 || *list.Items[0].AttemptsLeft != 3 ||
			list.Items[0].RetryAt != nil || !slices.Equal(list.Items[0].CooldownSchedule, []int{3600, 14400}) {
			t.Fatalf("settings before starting: %+v", list.Items)
		}
		var at attemptJSON
		res := e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil)
		res.JSON(t, &at)
		if m := res.Map(t); m["attempts_used"] != 1.0 || m["attempts_left"] != 2.0 || m["retry_at"] != nil {
			t.Fatalf("open attempt: %s", res.Body)
		}
		res = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, 3)})
		var g struct {
			gradeJSON
			AttemptsUsed int        `json:"attempts_used"`
			AttemptsLeft int        `json:"attempts_left"`
			RetryAt      *time.Time `json:"retry_at"`
		}
		res.JSON(t, &g)
		if g.Passed || g.AttemptsUsed != 1 || g.AttemptsLeft != 2 || g.RetryAt == nil || !g.RetryAt.Equal(e.Clock.Now().Add(time.Hour)) {
			t.Fatalf("failed result: %s", res.Body)
		}
		e.Call("GET", api+"/courses/"+courseID+"/assessments", learner.Token, nil).JSON(t, &list)
		if *list.Items[0].AttemptsLeft != 2 || list.Items[0].RetryAt == nil || !list.Items[0].RetryAt.Equal(*g.RetryAt) {
			t.Fatalf("settings after a failure: %+v", list.Items[0])
		}
		var rev reviewJSON
		e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil).JSON(t, &rev)
		linked := 0
		for _, r := range rev.Results {
			if r.Correct || r.RightAnswer == nil || string(r.RightAnswer) != "null" {
				t.Errorf("result %+v: wrong answer not marked, or the answer given away with attempts left", r)
			}
			if r.Lesson != nil {
				linked++
				if r.Lesson.ID != lessons[0] && r.Lesson.ID != lessons[1] {
					t.Errorf("lesson link %+v", r.Lesson)
				}
			}
		}
		if linked != 2 {
			t.Errorf("%d questions link a lesson, want 2", linked)
		}
		// The second cooldown is longer.
		e.Clock.Advance(time.Hour + time.Second)
		e.SignIn(&learner)
		e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil).JSON(t, &at)
		res = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, 3)})
		res.JSON(t, &g)
		if g.AttemptsLeft != 1 || g.RetryAt == nil || !g.RetryAt.Equal(e.Clock.Now().Add(4*time.Hour)) {
			t.Fatalf("second failure: %s", res.Body)
		}
	})
}

// TestQuestionTextIsSanitised (issue #10, item 10): every prompt, option
// and explanation is made safe on the way in; [markdown] is rendered like
// a lesson and plain text is escaped.
func TestQuestionTextIsSanitised(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		gift := `::H::[html]<p onclick="steal()">Pick</p><script>alert(1)</script>{=<img src\=x onerror\=alert(1)>Safe ~No ####<a href="javascript:alert(1)">why</a>}

::M::[markdown]Is **this** bold? {T ####See *the* lesson.}

::P:: Is 1 <b>less</b> than 2 & 3? {T}

::O::[html]<p>Which tag makes text bold?</p>{=[plain]<b> ~[plain]<i>}
`
		courseID, final, _ := giftCourse(e, trainer, gift, map[string]any{"question_count": 3})
		res := e.Call("POST", api+"/courses/"+courseID+"/questions", trainer.Token, map[string]any{"type": "single_choice",
			"prompt": `<b>Bold</b><script>x()</script>`, "explanation": `<img src=x onerror="x()">`,
			"options": []any{map[string]any{"text": `<a href="javascript:x()">A</a>`, "correct": true}, map[string]any{"text": "B"}}})
		if res.Status != 201 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		bank := e.Call("GET", api+"/courses/"+courseID+"/questions?limit=100", trainer.Token, nil)
		body := string(bank.Body)
		for _, bad := range []string{"<script", "onerror", "onclick", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("bank keeps %q: %s", bad, body)
			}
		}
		for _, good := range []string{"<strong>this</strong>", "1 &lt;b&gt;less&lt;/b&gt; than 2 &amp; 3?", "<b>Bold</b>", "<em>the</em>",
			`"text":"&lt;b&gt;"`, "<p>Which tag makes text bold?</p>"} {
			if !strings.Contains(body, good) {
				t.Errorf("bank lacks %q: %s", good, body)
			}
		}
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		at := e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil)
		for _, bad := range []string{"<script", "onerror", "onclick", "javascript:"} {
			if strings.Contains(string(at.Body), bad) {
				t.Errorf("attempt sends %q to a learner: %s", bad, at.Body)
			}
		}
	})
}

// TestMultipleResponseSaysWrongTicksSubtract (issue #15).
func TestMultipleResponseSaysWrongTicksSubtract(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		gift := "::MR:: Where may a one-time code go? {~%100%Only the app that asked ~%-50%A caller ~%-50%A group chat}\n"
		courseID, final, _ := giftCourse(e, trainer, gift, map[string]any{"question_count": 1})
		var bank struct {
			Items []struct {
				Type    string
				Options []struct{ Weight *float64 }
			}
		}
		e.Call("GET", api+"/courses/"+courseID+"/questions", trainer.Token, nil).JSON(t, &bank)
		if len(bank.Items) != 1 || bank.Items[0].Type != "multiple_choice" || bank.Items[0].Options[1].Weight == nil || *bank.Items[0].Options[1].Weight != -50 {
			t.Fatalf("the trainer does not see a weighted multiple response: %+v", bank.Items)
		}
		learner := e.Learner()
		enroll(t, e, learner, courseID)
		var at reviewJSON
		res := e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil)
		res.JSON(t, &at)
		assertNoAnswers(t, res.Body)
		if len(at.Questions) != 1 || at.Questions[0].Hint != "wrong_ticks_subtract" {
			t.Fatalf("no hint: %s", res.Body)
		}
	})
}

// TestBuiltInFinalsRevealAfterPassWithGrowingCooldown: every built-in
// final shows right answers only after a pass and states a cooldown that
// starts at an hour (issue #10, item 5; issue #15).
func TestBuiltInFinalsRevealAfterPassWithGrowingCooldown(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.NewSeeded(t, db)
		var courses struct{ Items []struct{ ID, Slug string } }
		e.Call("GET", api+"/courses?limit=100", "", nil).JSON(t, &courses)
		finals := 0
		for _, c := range courses.Items {
			var list struct {
				Items []struct {
					ID               string
					Kind             string
					Review           string
					CooldownSchedule []int             `json:"cooldown_schedule_seconds"`
					LessonTags       map[string]string `json:"lesson_tags"`
				}
			}
			e.Call("GET", api+"/courses/"+c.ID+"/assessments", "", nil).JSON(t, &list)
			for _, a := range list.Items {
				if a.Kind != "final" {
					continue
				}
				finals++
				if a.Review != "after_pass" || len(a.CooldownSchedule) == 0 || a.CooldownSchedule[0] > 3600 ||
					!slices.IsSorted(a.CooldownSchedule) {
					t.Errorf("%s: review %q, cooldown schedule %v", c.Slug, a.Review, a.CooldownSchedule)
				}
				if len(a.LessonTags) == 0 {
					t.Errorf("%s: the final names no lesson for its question tags", c.Slug)
				}
				if c.Slug != "data-confidentiality-essentials" {
					continue
				}
				// A learner who fails is sent to the lessons to re-read,
				// and shown no right answer (after_pass).
				learner, at := startAttempt(t, e, c.ID, a.ID)
				e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, len(at.Questions))})
				var rev reviewJSON
				e.Call("GET", api+"/attempts/"+at.ID, learner.Token, nil).JSON(t, &rev)
				linked := 0
				for _, r := range rev.Results {
					if r.Lesson != nil {
						linked++
					}
					if string(r.RightAnswer) != "null" {
						t.Errorf("%s: a failed learner sees a right answer: %s", c.Slug, r.RightAnswer)
					}
				}
				if len(rev.Results) == 0 || linked < len(rev.Results)/2 {
					t.Errorf("%s: %d of %d wrong questions name a lesson to re-read", c.Slug, linked, len(rev.Results))
				}
			}
		}
		if finals == 0 {
			t.Fatal("no built-in finals")
		}
	})
}

// TestPassAndLastLessonTogetherEarnTheCertificate: a pass submitted while
// the last lesson is being completed still earns exactly one certificate,
// whichever transaction commits first.
func TestPassAndLastLessonTogetherEarnTheCertificate(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		trainer := e.UserWithRole(web.RoleTrainer)
		courseID, final, lessons := giftCourse(e, trainer, choiceBank, nil)
		for round := 0; round < 4; round++ {
			learner := e.Learner()
			enroll(t, e, learner, courseID)
			e.Call("POST", api+"/lessons/"+lessons[0]+"/complete", learner.Token, nil)
			var at attemptJSON
			e.Call("POST", api+"/assessments/"+final+"/attempts", learner.Token, nil).JSON(t, &at)
			answers := e.Answers(at.ID, 0)
			var wg sync.WaitGroup
			var submit, complete apptest.Response
			wg.Add(2)
			go func() {
				defer wg.Done()
				submit = e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": answers})
			}()
			go func() {
				defer wg.Done()
				complete = e.Call("POST", api+"/lessons/"+lessons[1]+"/complete", learner.Token, nil)
			}()
			wg.Wait()
			if submit.Status != 200 || complete.Status != 200 {
				t.Fatalf("round %d: submit %d %s, complete %d %s", round, submit.Status, submit.Body, complete.Status, complete.Body)
			}
			var certs struct{ Items []struct{ ID string } }
			e.Call("GET", api+"/me/certificates", learner.Token, nil).JSON(t, &certs)
			if len(certs.Items) != 1 {
				t.Fatalf("round %d: %d certificates (submit %s, complete %s)", round, len(certs.Items), submit.Body, complete.Body)
			}
			// Whichever answered second names the certificate.
			if !strings.Contains(string(submit.Body), certs.Items[0].ID) && !strings.Contains(string(complete.Body), certs.Items[0].ID) {
				t.Fatalf("round %d: neither answer names the certificate: %s / %s", round, submit.Body, complete.Body)
			}
		}
	})
}
