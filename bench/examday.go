package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"skillgate/accounts"
	"skillgate/app/dbx"
	"skillgate/app/web"
	"skillgate/app/wire"
	"skillgate/assessments"
	"skillgate/classes"
	"skillgate/courses"
)

// An exam day: a class of learners sign in with their cards (or a refresh
// token they already hold), all start the same final within a minute,
// autosave every two minutes and submit in a five-minute rush. Each
// learner is a goroutine that keeps her own schedule, so the load is open:
// a slow answer delays nobody else's arrival, and latency includes any
// wait for one of the client's connections. At the end a count in the
// database proves that every submitted attempt was graded exactly once.

// examOptions shape the exam day.
type examOptions struct {
	learners    int
	startWindow time.Duration // arrivals spread uniformly over it
	length      time.Duration // from the end of the start window to the rush
	autosave    time.Duration
	rush        time.Duration // submits spread uniformly over it
	signIn      string        // "card" or "refresh"
	conns       int           // client connections at most
	prepWorkers int
	dbPID       int // PostgreSQL's postmaster, to report the database's CPU too
}

// Request kinds of the exam day, in report order.
var examKinds = []string{"sign-in", "start", "save", "submit", "refresh"}

// examLearner is one learner's secret and what she learns on the way.
type examLearner struct {
	id, secret, refresh string
}

// exam is a prepared exam day.
type exam struct {
	courseID, assessmentID string
	learners               []examLearner
}

// prepareExam makes the exam course (one lesson, a 50-question bank, a
// final), a trainer's class of learners enrolled in it with the lesson
// done (so that a pass earns a certificate) and their sign-in cards, all
// through the service's own packages, so it works on either database.
func prepareExam(ctx context.Context, p *wire.Platform, o examOptions, w io.Writer) (*exam, error) {
	run := time.Now().UnixNano()
	admin, err := p.Accounts.CreateUser(ctx, accounts.NewUser{Email: fmt.Sprintf("exam-admin-%d@example.org", run),
		Password: "orchid lantern admin seventy", Name: "Exam admin", Role: web.RoleAdmin})
	if err != nil {
		return nil, err
	}
	trainer, err := p.Accounts.CreateUser(ctx, accounts.NewUser{Email: fmt.Sprintf("exam-trainer-%d@example.org", run),
		Password: "orchid lantern trainer seventy", Name: "Exam trainer", Role: web.RoleTrainer})
	if err != nil {
		return nil, err
	}
	ap, tp := admin.Principal(), trainer.Principal()
	c, err := p.Courses.Create(ctx, ap, courses.NewCourse{Slug: fmt.Sprintf("exam-%d", run), Title: "Exam day course", Summary: "Load test", Language: "en"})
	if err != nil {
		return nil, err
	}
	m, err := p.Courses.AddModule(ctx, ap, c.ID, "Module", nil)
	if err != nil {
		return nil, err
	}
	lesson, err := p.Courses.AddLesson(ctx, ap, m.ID, "Lesson", "Read **this** before the final.", nil)
	if err != nil {
		return nil, err
	}
	var gift strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&gift, "::E%02d:: Exam question %d? {=right ~wrong one ~wrong two ~wrong three ####Because.}\n\n", i, i)
	}
	if _, errs, err := p.Assessments.ImportGIFT(ctx, ap, c.ID, gift.String()); err != nil || len(errs) > 0 {
		return nil, fmt.Errorf("exam bank: %v %v", err, errs)
	}
	// The time limit outlasts the whole day, so that no attempt is graded
	// by its deadline instead of by its submit.
	limit := o.startWindow + o.length + o.rush + time.Hour
	final, err := p.Assessments.CreateAssessment(ctx, ap, c.ID, assessments.Settings{Title: "Exam day final", Kind: assessments.KindFinal,
		QuestionCount: 50, TimeLimitSeconds: int(limit.Seconds()), PassPercent: 60, MaxAttempts: 1, CooldownSeconds: 0})
	if err != nil {
		return nil, err
	}
	if _, err := p.Courses.Publish(ctx, ap, c.ID); err != nil {
		return nil, err
	}
	cl, err := p.Classes.Create(ctx, tp, classes.NewClass{Name: fmt.Sprintf("Exam day %d", run), CourseIDs: []string{c.ID}})
	if err != nil {
		return nil, err
	}
	ex := &exam{courseID: c.ID, assessmentID: final.ID, learners: make([]examLearner, 0, o.learners)}
	bar := newProgress(w, "learners", o.learners)
	for from := 0; from < o.learners; from += classes.MaxRows {
		n := min(classes.MaxRows, o.learners-from)
		rows := make([]classes.NewLearner, n)
		for i := range rows {
			rows[i] = classes.NewLearner{Line: i + 1, Name: fmt.Sprintf("Exam learner %d", from+i), Username: fmt.Sprintf("e%d-%d", run%1e9, from+i)}
		}
		added, err := p.Classes.AddLearners(ctx, tp, cl.ID, rows)
		if err != nil {
			return nil, fmt.Errorf("exam learners: %w", err)
		}
		for _, a := range added.Created {
			ex.learners = append(ex.learners, examLearner{id: a.Learner.ID})
		}
		bar.add(n)
	}
	if err := parallel(ctx, w, "lesson done", len(ex.learners), o.prepWorkers, func(i int) error {
		_, err := p.Courses.Complete(ctx, web.Principal{UserID: ex.learners[i].id, Role: web.RoleLearner}, lesson.ID)
		return err
	}); err != nil {
		return nil, fmt.Errorf("exam lessons: %w", err)
	}
	bar = newProgress(w, "cards", len(ex.learners))
	for from := 0; from < len(ex.learners); from += classes.MaxRows {
		to := min(len(ex.learners), from+classes.MaxRows)
		ids := make([]string, 0, to-from)
		for _, l := range ex.learners[from:to] {
			ids = append(ids, l.id)
		}
		cards, err := p.Classes.Cards(ctx, tp, cl.ID, ids)
		if err != nil {
			return nil, fmt.Errorf("exam cards: %w", err)
		}
		secrets := map[string]string{}
		for _, k := range cards {
			secrets[k.Learner.ID] = k.Secret
		}
		for i := from; i < to; i++ {
			ex.learners[i].secret = secrets[ex.learners[i].id]
		}
		bar.add(to - from)
	}
	if o.signIn == "refresh" {
		// Learners who signed in on an earlier day and kept the session.
		if err := parallel(ctx, w, "sessions", len(ex.learners), o.prepWorkers, func(i int) error {
			s, err := p.Accounts.CardSignIn(ctx, ex.learners[i].secret)
			ex.learners[i].refresh = s.RefreshToken
			return err
		}); err != nil {
			return nil, fmt.Errorf("exam sessions: %w", err)
		}
	}
	return ex, nil
}

// parallel runs fn for 0..n-1 on workers goroutines, drawing progress.
func parallel(ctx context.Context, w io.Writer, label string, n, workers int, fn func(i int) error) error {
	bar := newProgress(w, label, n)
	var next atomic.Int64
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				err := fn(i)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				bar.add(1)
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// kindStats gathers one request kind's answers.
type kindStats struct {
	mu       sync.Mutex
	lat      []time.Duration
	errors   int64
	statuses map[int]int64
	problems map[string]int64 // transport errors by text, a few kept
}

func (k *kindStats) record(d time.Duration, status int, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.statuses == nil {
		k.statuses, k.problems = map[int]int64{}, map[string]int64{}
	}
	k.lat = append(k.lat, d)
	if err != nil {
		k.errors++
		msg := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) { // one line for every request of a kind, not one per URL
			msg = ue.Op + ": " + ue.Err.Error()
		}
		if len(k.problems) < 5 || k.problems[msg] > 0 {
			k.problems[msg]++
		}
		return
	}
	k.statuses[status]++
	if status < 200 || status >= 300 {
		k.errors++
	}
}

// examReport is the exam day's outcome.
type examReport struct {
	o                         examOptions
	dialect                   string
	kinds                     map[string]*kindStats
	elapsed                   time.Duration
	finished                  int64 // learners whose submit answered 2xx
	serverCPU, dbCPU          float64
	serverPeakRSSKiB          int64
	graded, okSubmits         int
	lost, gradedUnasked       int
	openAfterSubmit           int
	duplicateAttempts         int
	duplicateCertificates     int
	passed, certificates      int
	itemScores, wantItemScore int64
}

// examClient keeps one learner's bearer token fresh.
type examClient struct {
	http  *http.Client
	api   string
	kinds map[string]*kindStats
}

// do sends one request of kind and decodes a 2xx JSON answer into out.
func (c *examClient) do(ctx context.Context, kind, method, path, token string, body any, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.api+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	t0 := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			c.kinds[kind].record(time.Since(t0), 0, err)
		}
		return 0, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	c.kinds[kind].record(time.Since(t0), resp.StatusCode, err)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(raw[:min(len(raw), 200)])))
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(raw, out)
	}
	return resp.StatusCode, nil
}

type examSession struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
}

type examForm struct {
	ID        string `json:"id"`
	Questions []struct {
		ID      string `json:"id"`
		Options []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"options"`
	} `json:"questions"`
}

type examAnswer struct {
	QuestionID string   `json:"question_id"`
	OptionIDs  []string `json:"option_ids"`
}

// runExamDay drives the exam day against target and checks the database.
func runExamDay(ctx context.Context, p *wire.Platform, o examOptions, target string, serverPID int, w io.Writer) (*examReport, error) {
	if dbx.DialectOf(p.DB) != dbx.Postgres {
		o.dbPID = 0 // its CPU would be another database's
	}
	fmt.Fprintf(w, "exam day: preparing %d learners (%s sign-in)\n", o.learners, o.signIn)
	ex, err := prepareExam(ctx, p, o, w)
	if err != nil {
		return nil, err
	}
	rep := &examReport{o: o, dialect: string(dbx.DialectOf(p.DB)), kinds: map[string]*kindStats{}}
	for _, k := range examKinds {
		rep.kinds[k] = &kindStats{}
	}
	tr := &http.Transport{MaxConnsPerHost: o.conns, MaxIdleConnsPerHost: o.conns, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	c := &examClient{http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}, api: strings.TrimRight(target, "/") + "/api/v1", kinds: rep.kinds}

	var signedIn, started, submitted atomic.Int64
	var okMu sync.Mutex
	okAttempts := map[string]bool{}
	asked := map[string]bool{} // every attempt a submit was sent for
	cpu0, db0 := cpuSeconds(serverPID), treeCPUSeconds(o.dbPID)
	var peak atomic.Int64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // the server's resident memory, sampled during the day
		defer close(sampled)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			if r := currentRSSKiB(serverPID); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-stopSampling:
				return
			case <-t.C:
			}
		}
	}()

	start := time.Now().Add(time.Second)
	rushAt := start.Add(o.startWindow + o.length)
	total := o.startWindow + o.length + o.rush
	fmt.Fprintf(w, "exam day: %d learners arrive over %s, save every %s, submit over %s starting %s after the first arrival (%s in all), %d connections\n",
		len(ex.learners), o.startWindow, o.autosave, o.rush, o.startWindow+o.length, total, o.conns)
	done := make(chan struct{})
	go func() { // progress
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				saves := rep.kinds["save"]
				saves.mu.Lock()
				ns := len(saves.lat)
				saves.mu.Unlock()
				fmt.Fprintf(w, "  %6.0fs signed in %d, started %d, saves %d, submitted %d\n", time.Since(start).Seconds(),
					signedIn.Load(), started.Load(), ns, submitted.Load())
			}
		}
	}()
	var wg sync.WaitGroup
	n := len(ex.learners)
	for i := range ex.learners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			arrive := start.Add(time.Duration(float64(o.startWindow) * (float64(i) + rng.Float64()) / float64(n)))
			submitAt := rushAt.Add(time.Duration(rng.Float64() * float64(o.rush)))
			if !sleepUntil(ctx, arrive) {
				return
			}
			l := ex.learners[i]
			var s examSession
			var err error
			if o.signIn == "refresh" {
				_, err = c.do(ctx, "sign-in", "POST", "/auth/refresh", "", map[string]string{"refresh_token": l.refresh}, &s)
			} else {
				_, err = c.do(ctx, "sign-in", "POST", "/auth/card", "", map[string]string{"secret": l.secret}, &s)
			}
			if err != nil {
				return
			}
			signedIn.Add(1)
			expires := time.Now().Add(time.Duration(s.ExpiresIn) * time.Second)
			token := func() string { // refresh a minute before the access token ends
				if s.ExpiresIn > 0 && time.Until(expires) < time.Minute {
					var next examSession
					if _, err := c.do(ctx, "refresh", "POST", "/auth/refresh", "", map[string]string{"refresh_token": s.RefreshToken}, &next); err == nil {
						s, expires = next, time.Now().Add(time.Duration(next.ExpiresIn)*time.Second)
					}
				}
				return s.AccessToken
			}
			var form examForm
			if _, err := c.do(ctx, "start", "POST", "/assessments/"+ex.assessmentID+"/attempts", token(), nil, &form); err != nil {
				return
			}
			started.Add(1)
			// Four learners in five pass with 45 of 50; the fifth fails with 20.
			right := 45
			if i%5 == 4 {
				right = 20
			}
			answers := make([]examAnswer, len(form.Questions))
			for j, q := range form.Questions {
				pickRight := j < right
				for _, op := range q.Options {
					if (op.Text == "right") == pickRight {
						answers[j] = examAnswer{QuestionID: q.ID, OptionIDs: []string{op.ID}}
						break
					}
				}
			}
			began := time.Now()
			span := submitAt.Sub(began)
			for next := began.Add(o.autosave); next.Before(submitAt); next = next.Add(o.autosave) {
				if !sleepUntil(ctx, next) {
					return
				}
				k := len(answers)
				if span > 0 {
					k = min(len(answers), max(1, int(float64(len(answers))*float64(time.Since(began))/float64(span))))
				}
				_, _ = c.do(ctx, "save", "PUT", "/attempts/"+form.ID+"/answers", token(), map[string]any{"answers": answers[:k]}, nil)
			}
			if !sleepUntil(ctx, submitAt) {
				return
			}
			okMu.Lock()
			asked[form.ID] = true
			okMu.Unlock()
			if _, err := c.do(ctx, "submit", "POST", "/attempts/"+form.ID+"/submit", token(), map[string]any{"answers": answers}, nil); err != nil {
				return
			}
			submitted.Add(1)
			okMu.Lock()
			okAttempts[form.ID] = true
			okMu.Unlock()
		}()
	}
	wg.Wait()
	close(done)
	close(stopSampling)
	<-sampled
	rep.elapsed = time.Since(start)
	rep.finished = submitted.Load()
	if cpu0 >= 0 {
		if cpu1 := cpuSeconds(serverPID); cpu1 >= 0 {
			rep.serverCPU = cpu1 - cpu0
		}
	}
	if db1 := treeCPUSeconds(o.dbPID); db0 >= 0 && db1 >= 0 {
		rep.dbCPU = db1 - db0
	}
	rep.serverPeakRSSKiB = peak.Load()
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	return rep, rep.check(ctx, p, ex, okAttempts, asked)
}

// check counts in the database that nothing was lost or done twice.
func (r *examReport) check(ctx context.Context, p *wire.Platform, ex *exam, ok, asked map[string]bool) error {
	db := p.DB.WithContext(ctx)
	var rows []struct {
		ID            string
		UserID        string
		Status        string
		Passed        bool
		CertificateID *string
	}
	if err := db.Raw(`SELECT id, user_id, status, passed, certificate_id FROM attempts WHERE assessment_id = ?`, ex.assessmentID).Scan(&rows).Error; err != nil {
		return fmt.Errorf("exam check: attempts: %w", err)
	}
	perUser := map[string]int{}
	graded := map[string]bool{}
	for _, a := range rows {
		perUser[a.UserID]++
		if a.Status == string(assessments.StatusGraded) {
			graded[a.ID] = true
			r.graded++
			if a.Passed {
				r.passed++
			}
		} else if asked[a.ID] {
			r.openAfterSubmit++
		}
	}
	for _, n := range perUser {
		if n > 1 {
			r.duplicateAttempts += n - 1
		}
	}
	r.okSubmits = len(ok)
	for id := range ok {
		if !graded[id] {
			r.lost++
		}
	}
	for id := range graded {
		if !ok[id] {
			r.gradedUnasked++ // graded though its submit failed (a timeout, say): not lost
		}
	}
	var certs []struct {
		HolderID string
		N        int
	}
	if err := db.Raw(`SELECT holder_id, count(*) AS n FROM certificates WHERE course_id = ? GROUP BY holder_id`, ex.courseID).Scan(&certs).Error; err != nil {
		return fmt.Errorf("exam check: certificates: %w", err)
	}
	for _, c := range certs {
		r.certificates += c.N
		if c.N > 1 {
			r.duplicateCertificates += c.N - 1
		}
	}
	if err := db.Raw(`SELECT count(*) FROM attempt_item_scores WHERE assessment_id = ?`, ex.assessmentID).Scan(&r.itemScores).Error; err != nil {
		return fmt.Errorf("exam check: item scores: %w", err)
	}
	r.wantItemScore = int64(r.graded) * 50
	var problems []string
	if r.lost > 0 {
		problems = append(problems, fmt.Sprintf("%d attempts answered 2xx to their submit but are not graded", r.lost))
	}
	if r.duplicateAttempts > 0 {
		problems = append(problems, fmt.Sprintf("%d attempts more than one per learner", r.duplicateAttempts))
	}
	if r.duplicateCertificates > 0 {
		problems = append(problems, fmt.Sprintf("%d duplicate certificates", r.duplicateCertificates))
	}
	if r.certificates != r.passed {
		problems = append(problems, fmt.Sprintf("%d certificates for %d passed attempts", r.certificates, r.passed))
	}
	if r.itemScores != r.wantItemScore {
		problems = append(problems, fmt.Sprintf("%d item scores for %d graded attempts of 50 questions", r.itemScores, r.graded))
	}
	if len(problems) > 0 {
		return errors.New("exam day lost or doubled work: " + strings.Join(problems, "; "))
	}
	return nil
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-tm.C:
		return true
	}
}

// render writes the exam day's table and its proof.
func (r *examReport) render() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Exam day (%s, %d learners, %s sign-in)\n\n", r.dialect, r.o.learners, r.o.signIn)
	fmt.Fprintf(&b, "| request | count | errors | p50 ms | p99 ms | p99.9 ms | max ms | statuses |\n")
	fmt.Fprintf(&b, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n")
	for _, name := range examKinds {
		k := r.kinds[name]
		if len(k.lat) == 0 {
			continue
		}
		slices.Sort(k.lat)
		q := func(p float64) time.Duration { return k.lat[min(len(k.lat)-1, int(p*float64(len(k.lat))))] }
		var st []string
		for code, n := range k.statuses {
			st = append(st, fmt.Sprintf("%d×%d", n, code))
		}
		for msg, n := range k.problems {
			st = append(st, fmt.Sprintf("%d×%q", n, msg))
		}
		slices.Sort(st)
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s |\n", name, len(k.lat), k.errors, ms(q(0.5)), ms(q(0.99)), ms(q(0.999)),
			ms(k.lat[len(k.lat)-1]), strings.Join(st, " "))
	}
	fmt.Fprintf(&b, "\nArrivals over %s, saves every %s, submits over %s after %s; %d connections; %.0f s in all.\n",
		r.o.startWindow, r.o.autosave, r.o.rush, r.o.startWindow+r.o.length, r.o.conns, r.elapsed.Seconds())
	if r.serverCPU > 0 || r.serverPeakRSSKiB > 0 {
		fmt.Fprintf(&b, "Server: %.1f CPU seconds (%.2f cores on average), peak resident memory %.0f MiB during the day.\n",
			r.serverCPU, r.serverCPU/max(r.elapsed.Seconds(), 1e-9), float64(r.serverPeakRSSKiB)/1024)
	}
	if r.dbCPU > 0 {
		fmt.Fprintf(&b, "PostgreSQL (the whole server, with any other client of it): %.1f CPU seconds (%.2f cores on average).\n",
			r.dbCPU, r.dbCPU/max(r.elapsed.Seconds(), 1e-9))
	}
	verdict := "nothing lost, nothing doubled"
	if r.lost+r.duplicateAttempts+r.duplicateCertificates > 0 || r.certificates != r.passed || r.itemScores != r.wantItemScore {
		verdict = "WORK LOST OR DOUBLED"
	}
	fmt.Fprintf(&b, "Database: %d graded attempts for %d submits answered 2xx (%d graded though the submit failed), %d not graded after a 2xx, "+
		"%d open after a failed submit, %d extra attempts per learner; %d passed, %d certificates, %d duplicates; %d item scores of %d: %s.\n",
		r.graded, r.okSubmits, r.gradedUnasked, r.lost, r.openAfterSubmit, r.duplicateAttempts, r.passed, r.certificates,
		r.duplicateCertificates, r.itemScores, r.wantItemScore, verdict)
	return b.String()
}

// cpuSeconds reads a process's user and system CPU time from /proc, or -1.
func cpuSeconds(pid int) float64 {
	if pid <= 0 {
		return -1
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name may hold spaces; the fields after it are fixed.
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return -1
	}
	var utime, stime float64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return (utime + stime) / clockTicks
}

// treeCPUSeconds is a process's CPU time with that of its children, live
// and reaped: for PostgreSQL's postmaster, the whole database server. It
// returns -1 without a pid.
func treeCPUSeconds(pid int) float64 {
	if pid <= 0 {
		return -1
	}
	fields := func(pid string) []string {
		raw, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return nil
		}
		s := string(raw)
		return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	}
	sum := func(f []string, idx ...int) float64 {
		t := 0.0
		for _, i := range idx {
			var v float64
			fmt.Sscan(f[i], &v)
			t += v
		}
		return t
	}
	// After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
	own := fields(fmt.Sprint(pid))
	if len(own) < 15 {
		return -1
	}
	total := sum(own, 11, 12, 13, 14)
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		if f := fields(e.Name()); len(f) >= 13 && f[1] == fmt.Sprint(pid) {
			total += sum(f, 11, 12)
		}
	}
	return total / clockTicks
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// currentRSSKiB reads a process's resident memory now from /proc.
func currentRSSKiB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var n int64
			fmt.Sscan(strings.Fields(line)[1], &n)
			return n
		}
	}
	return 0
}
