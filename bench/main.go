// Command bench seeds a realistic data set into the PostgreSQL database of
// a running Skillgate and drives the service scenario by scenario at a
// fixed concurrency for a fixed time, printing requests per second and
// p50/p99/p99.9 latency beside baselines measured in the same run and
// served from this process: a bare Fiber handler sending a body of the
// same size, a bare pgx primary-key lookup, and a bare start and submit
// of a 50-question attempt. With -only examday it runs an exam day
// instead, on PostgreSQL or SQLite (examday.go). See BENCHMARKS.md for how
// to run it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"skillgate/accounts"
	"skillgate/app/config"
	"skillgate/app/dbx"
	"skillgate/app/web"
	"skillgate/app/wire"
	"skillgate/assessments"
	"skillgate/courses"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	target      string
	concurrency int
	duration    time.Duration
	sizes       sizes
	only        string
	serverPID   int
	out         string
	submitPool  int
	gzip        bool
	exam        examOptions
}

func run() error {
	var o options
	flag.StringVar(&o.target, "target", "http://127.0.0.1:8080", "the running service")
	flag.IntVar(&o.concurrency, "c", 64, "concurrent connections")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "time per scenario")
	flag.IntVar(&o.sizes.Learners, "learners", 100000, "learners to seed")
	flag.IntVar(&o.sizes.EnrollmentsPerLearner, "enrollments-per-learner", 3, "enrollments per learner (at most 3)")
	flag.IntVar(&o.sizes.AttemptsPerLearner, "attempts-per-learner", 10, "graded attempts per learner")
	flag.IntVar(&o.sizes.Certificates, "certificates", 100000, "certificates to seed (at most one per learner)")
	flag.IntVar(&o.submitPool, "submit-pool", 20000, "open 50-question attempts prepared for the submit scenario")
	flag.BoolVar(&o.gzip, "gzip", false, "scenarios ask for gzip and decode it (the baselines send plain bodies, so the tool's own decoding then weighs on the service's figures)")
	flag.StringVar(&o.only, "only", "", "comma-separated scenarios to run (default all but examday)")
	flag.StringVar(&o.only, "scenario", "", "the same as -only")
	flag.IntVar(&o.exam.learners, "learners-exam", 30000, "exam day: learners in the class")
	flag.DurationVar(&o.exam.startWindow, "exam-start-window", time.Minute, "exam day: arrivals spread uniformly over this")
	flag.DurationVar(&o.exam.length, "exam-length", 10*time.Minute, "exam day: from the end of the start window to the submit rush")
	flag.DurationVar(&o.exam.autosave, "exam-autosave", 2*time.Minute, "exam day: each learner saves her answers this often")
	flag.DurationVar(&o.exam.rush, "exam-rush", 5*time.Minute, "exam day: submits spread uniformly over this")
	flag.StringVar(&o.exam.signIn, "exam-signin", "card", "exam day: learners sign in with their card, or refresh a session they hold (refresh)")
	flag.IntVar(&o.exam.conns, "exam-conns", 512, "exam day: client connections at most")
	flag.IntVar(&o.exam.dbPID, "db-pid", 0, "exam day: PostgreSQL's postmaster pid, to report the database's CPU seconds")
	flag.IntVar(&o.exam.prepWorkers, "exam-prep-workers", 8, "exam day: goroutines preparing learners")
	flag.IntVar(&o.serverPID, "server-pid", 0, "the server's pid, to report its resident memory")
	flag.StringVar(&o.out, "out", "", "also write the results table (Markdown) to this file")
	flag.Parse()
	o.sizes.Certificates = min(o.sizes.Certificates, o.sizes.Learners)

	// The tool reads the service's own configuration, so that it seeds the
	// same database and signs with the same keys.
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	if o.exam.signIn != "card" && o.exam.signIn != "refresh" {
		return errors.New("-exam-signin is card or refresh")
	}
	examOnly := strings.TrimSpace(o.only) == "examday"
	if !examOnly && !strings.HasPrefix(cfg.DatabaseURL, "postgres") {
		return errors.New("SKILLGATE_DATABASE_URL must name the PostgreSQL database of the service under test (on SQLite only -only examday runs)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, err := dbx.Open(cfg.DatabaseURL, dbx.Options{MaxOpenConns: 8, Logger: log})
	if err != nil {
		return err
	}
	defer dbx.Close(db)
	p, err := wire.Build(ctx, cfg, db, log, wire.Options{})
	if err != nil {
		return err
	}
	if examOnly {
		// The exam day prepares its own class through the service's
		// packages and counts through GORM, so it runs on either database.
		rep, err := runExamDay(ctx, p, o.exam, o.target, o.serverPID, os.Stderr)
		if rep != nil {
			table := rep.render()
			fmt.Print(table)
			if o.out != "" {
				if werr := os.WriteFile(o.out, []byte(table), 0o644); werr != nil && err == nil {
					err = werr
				}
			}
		}
		return err
	}
	pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	fmt.Fprintf(os.Stderr, "seeding %d learners, %d enrollments, %d graded attempts, %d certificates\n", o.sizes.Learners,
		o.sizes.Learners*min(3, o.sizes.EnrollmentsPerLearner), o.sizes.Learners*o.sizes.AttemptsPerLearner, o.sizes.Certificates)
	if err := seed(ctx, p, pool, o.sizes, os.Stderr); err != nil {
		return err
	}
	fx, err := prepare(ctx, p, pool, o, os.Stderr)
	if err != nil {
		return err
	}
	results, err := scenarios(ctx, o, fx, pool)
	if err != nil {
		return err
	}
	table := render(o, results)
	if slices.Contains(strings.Split(strings.ReplaceAll(o.only, " ", ""), ","), "examday") {
		rep, err := runExamDay(ctx, p, o.exam, o.target, o.serverPID, os.Stderr)
		if rep != nil {
			table += "\n" + rep.render()
		}
		if err != nil {
			fmt.Print(table)
			return err
		}
	}
	fmt.Print(table)
	if o.out != "" {
		return os.WriteFile(o.out, []byte(table), 0o644)
	}
	return nil
}

func newLearner(email string) accounts.NewUser {
	return accounts.NewUser{Email: email, Password: "bench learner passphrase", Name: "Bench", Role: web.RoleLearner}
}

// fixtures are what the scenarios need: tokens, ids and prepared attempts.
type fixtures struct {
	learnerEmails []string
	readerToken   string
	lessonID      string
	quizID        string
	courseID      string // the bench course, whose bank the bare start reads
	readerCard    string // the reader's card secret, for a page session
	readerAttempt string // an open 50-question attempt of the reader
	startTokens   []string
	submits       []preparedAttempt
	certIDs       []string
	tokens        []string
	employer      string
	catalogueSize int
}

type preparedAttempt struct {
	id, token string
	body      []byte
}

// prepare makes the bench course (50-question bank, a quiz), enrolls a
// pool of learners, mints their tokens and starts the attempts that the
// submit scenario will submit.
func prepare(ctx context.Context, p *wire.Platform, pool *pgxpool.Pool, o options, w io.Writer) (*fixtures, error) {
	fx := &fixtures{}
	admin, err := p.Accounts.CreateUser(ctx, accounts.NewUser{Email: fmt.Sprintf("bench-admin-%d@example.org", time.Now().UnixNano()),
		Password: "orchid lantern admin seventy", Name: "Bench admin", Role: web.RoleAdmin})
	if err != nil {
		return nil, err
	}
	ap := admin.Principal()
	slug := fmt.Sprintf("bench-%d", time.Now().Unix())
	c, err := p.Courses.Create(ctx, ap, courses.NewCourse{Slug: slug, Title: "Bench course", Summary: "Load test", Language: "en"})
	if err != nil {
		return nil, err
	}
	m, err := p.Courses.AddModule(ctx, ap, c.ID, "Module", nil)
	if err != nil {
		return nil, err
	}
	if _, err := p.Courses.AddLesson(ctx, ap, m.ID, "Lesson", "Read **this**.", nil); err != nil {
		return nil, err
	}
	var gift strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&gift, "::B%02d:: Question %d? {=right ~wrong one ~wrong two ~wrong three ####Because.}\n\n", i, i)
	}
	if _, errs, err := p.Assessments.ImportGIFT(ctx, ap, c.ID, gift.String()); err != nil || len(errs) > 0 {
		return nil, fmt.Errorf("bench bank: %v %v", err, errs)
	}
	quiz, err := p.Assessments.CreateAssessment(ctx, ap, c.ID, assessments.Settings{Title: "Bench quiz", Kind: assessments.KindQuiz,
		QuestionCount: 50, TimeLimitSeconds: 24 * 3600, PassPercent: 50, MaxAttempts: 100, CooldownSeconds: 0})
	if err != nil {
		return nil, err
	}
	if _, err := p.Courses.Publish(ctx, ap, c.ID); err != nil {
		return nil, err
	}
	fx.quizID, fx.courseID = quiz.ID, c.ID
	v, _ := p.Courses.CurrentVersion(ctx, "digital-literacy-foundations")
	fx.lessonID = v.Lessons()[0].ID

	// Learners for start and submit: the seeded ones, enrolled in the bench course.
	n := min(o.sizes.Learners, o.submitPool*2)
	rows, err := pool.Query(ctx, `SELECT id FROM users WHERE email LIKE 'bench-learner-%' ORDER BY id LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if len(ids) < 2 {
		return nil, errors.New("too few learners seeded")
	}
	now := time.Now().UTC()
	if err := copyRows(ctx, pool, w, "enrollments", []string{"id", "course_id", "user_id", "version", "created_at"}, len(ids),
		func(i int) []any { return []any{dbx.NewID(), c.ID, ids[i], 1, now} }); err != nil {
		return nil, err
	}
	// A card for the reader, before her token: issuing a card ends the
	// sessions before it.
	cards, err := p.Accounts.IssueCards(ctx, ids[:1])
	if err != nil {
		return nil, err
	}
	fx.readerCard = cards[0].Secret
	tokens := make([]string, len(ids))
	bar := newProgress(w, "tokens", len(ids))
	for i, id := range ids {
		if tokens[i], err = p.Accounts.AccessTokenFor(ctx, id); err != nil {
			return nil, err
		}
		bar.add(1)
	}
	fx.readerToken = tokens[0]
	ra, _, err := p.Assessments.Start(ctx, web.Principal{UserID: ids[0], Role: web.RoleLearner}, quiz.ID)
	if err != nil {
		return nil, err
	}
	fx.readerAttempt = ra.ID
	half := len(ids) / 2
	fx.startTokens = tokens[:half]
	fx.submits = make([]preparedAttempt, len(ids)-half)
	bar = newProgress(w, "open attempts", len(fx.submits))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 8)
	for i := range fx.submits {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			id := ids[half+i]
			a, _, err := p.Assessments.Start(ctx, web.Principal{UserID: id, Role: web.RoleLearner}, quiz.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				firstErr = err
				return
			}
			answers := make([]map[string]any, len(a.Form))
			for j, q := range a.Form {
				answers[j] = map[string]any{"question_id": q.ID, "option_ids": []string{q.Options[j%len(q.Options)].ID}}
			}
			body, _ := json.Marshal(map[string]any{"answers": answers})
			fx.submits[i] = preparedAttempt{id: a.ID, token: tokens[half+i], body: body}
			bar.add(1)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}

	// Certificates to verify, and an employer to verify them.
	crow, err := pool.Query(ctx, `SELECT id, token FROM certificates WHERE token <> '' ORDER BY id LIMIT 5000`)
	if err != nil {
		return nil, err
	}
	for crow.Next() {
		var id, tok string
		if err := crow.Scan(&id, &tok); err != nil {
			return nil, err
		}
		fx.certIDs = append(fx.certIDs, id)
		fx.tokens = append(fx.tokens, tok)
	}
	if len(fx.certIDs) < 100 {
		return nil, errors.New("seed at least 100 certificates")
	}
	org, err := p.Accounts.CreateOrganization(ctx, "Bench employer")
	if err != nil {
		return nil, err
	}
	emp, err := p.Accounts.CreateUser(ctx, accounts.NewUser{Email: fmt.Sprintf("bench-employer-%d@example.org", time.Now().UnixNano()),
		Password: "orchid lantern employer seventy", Name: "Bench employer", Role: web.RoleEmployer, OrganizationID: org.ID})
	if err != nil {
		return nil, err
	}
	if fx.employer, err = p.Accounts.AccessTokenFor(ctx, emp.ID); err != nil {
		return nil, err
	}
	// Sign in only as learners the seed made: a smaller data set has fewer.
	for i := 0; i < min(1000, o.sizes.Learners); i++ {
		fx.learnerEmails = append(fx.learnerEmails, fmt.Sprintf("bench-learner-%d@example.org", i))
	}
	return fx, nil
}

// scenarios runs every scenario and both baselines.
func scenarios(ctx context.Context, o options, fx *fixtures, pool *pgxpool.Pool) ([]result, error) {
	// Without -gzip the client neither asks for nor decodes compressed
	// answers, so a scenario and its baseline send the same plain bytes:
	// decoding gzip on the tool's core otherwise bounded the catalogue
	// while the server sat three quarters idle.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency * 2, MaxConnsPerHost: o.concurrency * 2,
		DisableCompression: !o.gzip}, Timeout: 30 * time.Second}
	api := strings.TrimRight(o.target, "/") + "/api/v1"
	resp, err := client.Get(api + "/courses")
	if err != nil {
		return nil, fmt.Errorf("the service at %s does not answer: %w", o.target, err)
	}
	catalogue, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	cookie, err := pageSession(client, o.target, fx.readerCard)
	if err != nil {
		return nil, err
	}
	bareExam, err := prepareBare(ctx, pool, fx.quizID, fx.courseID)
	if err != nil {
		return nil, err
	}

	// Baselines, served by this process on another port.
	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bareExam.mount(bare, pool)
	bare.Get("/catalogue", func(c *fiber.Ctx) error { return c.Type("json").Send(catalogue) })
	bare.Get("/pk/:id", func(c *fiber.Ctx) error {
		var id, code, name string
		err := pool.QueryRow(c.UserContext(), `SELECT id, code, holder_name FROM certificates WHERE id = $1`, c.Params("id")).Scan(&id, &code, &name)
		if err != nil {
			return err
		}
		return c.JSON(map[string]string{"id": id, "code": code, "holder_name": name})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go bare.Listener(ln)
	defer bare.Shutdown()
	bareURL := "http://" + ln.Addr().String()

	ok2xx := func(s int) bool { return s >= 200 && s < 300 }
	pick := func(list []string, i int64) string { return list[int(i)%len(list)] }
	type scenario struct {
		name, baseline string
		ok             func(int) bool
		make           request
		baseline2      string // a second baseline, for a second ratio
	}
	page := func(path string) (*http.Request, error) {
		req, err := http.NewRequest("GET", strings.TrimRight(o.target, "/")+path, nil)
		if err == nil {
			req.Header.Set("Cookie", cookie)
		}
		return req, err
	}
	batch := func(i int64) []byte {
		ids := make([]string, 100)
		for j := range ids {
			ids[j] = pick(fx.certIDs, i*100+int64(j))
		}
		b, _ := json.Marshal(map[string]any{"ids": ids})
		return b
	}
	all := []scenario{
		{"bare-fiber (catalogue-size body)", "", ok2xx, func(int64) (*http.Request, error) { return jsonRequest("GET", bareURL+"/catalogue", "", nil) }, ""},
		{"bare-pgx-pk-lookup", "", ok2xx, func(i int64) (*http.Request, error) {
			return jsonRequest("GET", bareURL+"/pk/"+pick(fx.certIDs, i), "", nil)
		}, ""},
		{"bare-start", "", ok2xx, func(int64) (*http.Request, error) { return jsonRequest("POST", bareURL+"/start", "", nil) }, ""},
		{"bare-submit", "", ok2xx, func(int64) (*http.Request, error) {
			return jsonRequest("POST", bareURL+"/submit", "", bareExam.submitBody)
		}, ""},
		{"catalogue", "bare-fiber (catalogue-size body)", ok2xx, func(int64) (*http.Request, error) { return jsonRequest("GET", api+"/courses", "", nil) }, ""},
		{"jwks", "bare-fiber (catalogue-size body)", ok2xx, func(int64) (*http.Request, error) {
			return jsonRequest("GET", strings.TrimRight(o.target, "/")+"/.well-known/jwks.json", "", nil)
		}, ""},
		{"lesson", "bare-fiber (catalogue-size body)", ok2xx, func(int64) (*http.Request, error) {
			return jsonRequest("GET", api+"/lessons/"+fx.lessonID, fx.readerToken, nil)
		}, ""},
		{"lesson-html", "lesson", ok2xx, func(int64) (*http.Request, error) { return page("/lessons/" + fx.lessonID) }, ""},
		{"attempt-json", "bare-pgx-pk-lookup", ok2xx, func(int64) (*http.Request, error) {
			return jsonRequest("GET", api+"/attempts/"+fx.readerAttempt, fx.readerToken, nil)
		}, ""},
		{"attempt-html", "attempt-json", ok2xx, func(int64) (*http.Request, error) { return page("/attempts/" + fx.readerAttempt) }, ""},
		{"verify-by-id", "bare-pgx-pk-lookup", ok2xx, func(i int64) (*http.Request, error) {
			return jsonRequest("GET", api+"/verify/"+pick(fx.certIDs, i), "", nil)
		}, ""},
		{"verify-by-token", "bare-pgx-pk-lookup", ok2xx, func(i int64) (*http.Request, error) {
			b, _ := json.Marshal(map[string]string{"token": pick(fx.tokens, i)})
			return jsonRequest("POST", api+"/verify", "", b)
		}, ""},
		{"batch-verify-100", "bare-pgx-pk-lookup", ok2xx, func(i int64) (*http.Request, error) {
			return jsonRequest("POST", api+"/verify/batch", fx.employer, batch(i))
		}, ""},
		{"eligibility", "bare-pgx-pk-lookup", ok2xx, func(i int64) (*http.Request, error) {
			b, _ := json.Marshal(map[string]any{"certificate_ids": []string{pick(fx.certIDs, i)}})
			return jsonRequest("POST", api+"/eligibility", fx.employer, b)
		}, ""},
		{"attempt-start", "bare-start", ok2xx, func(i int64) (*http.Request, error) {
			if int(i) >= len(fx.startTokens) {
				return nil, errUsedUp
			}
			return jsonRequest("POST", api+"/assessments/"+fx.quizID+"/attempts", fx.startTokens[i], nil)
		}, "bare-pgx-pk-lookup"},
		{"attempt-submit-50", "bare-submit", ok2xx, func(i int64) (*http.Request, error) {
			if int(i) >= len(fx.submits) {
				return nil, errUsedUp
			}
			a := fx.submits[i]
			return jsonRequest("POST", api+"/attempts/"+a.id+"/submit", a.token, a.body)
		}, "bare-pgx-pk-lookup"},
		{"login", "bare-pgx-pk-lookup", ok2xx, func(i int64) (*http.Request, error) {
			b, _ := json.Marshal(map[string]string{"email": pick(fx.learnerEmails, i), "password": "bench learner passphrase"})
			return jsonRequest("POST", api+"/auth/login", "", b)
		}, ""},
	}
	want := map[string]bool{}
	for _, s := range strings.Split(o.only, ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	// A wanted scenario brings its baselines and its twin along.
	for changed := true; changed; {
		changed = false
		for _, s := range all {
			if want[s.name] {
				for _, b := range []string{s.baseline, s.baseline2} {
					if b != "" && !want[b] {
						want[b], changed = true, true
					}
				}
			}
		}
	}
	var out []result
	byName := map[string]result{}
	for _, s := range all {
		if len(want) > 0 && !want[s.name] && s.baseline != "" {
			continue
		}
		fmt.Fprintf(os.Stderr, "running %-34s %d connections, %s\n", s.name, o.concurrency, o.duration)
		r := drive(ctx, client, s.name, o.concurrency, o.duration, s.ok, s.make)
		r.Baseline = s.baseline
		if b, ok := byName[s.baseline]; ok && b.RPS > 0 {
			r.Ratio = r.RPS / b.RPS
		}
		if b, ok := byName[s.baseline2]; ok && b.RPS > 0 {
			r.Baseline2, r.Ratio2 = s.baseline2, r.RPS/b.RPS
		}
		if o.serverPID > 0 {
			r.PeakRSSKiB = rssKiB(o.serverPID)
		}
		byName[s.name] = r
		out = append(out, r)
		if ctx.Err() != nil {
			break
		}
	}
	return out, nil
}

// rssKiB reads a process's resident memory from /proc.
func rssKiB(pid int) int64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmHWM:") { // peak resident set
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}

func render(o options, rs []result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| scenario | requests | errors | req/s | p50 ms | p99 ms | p99.9 ms | ratio | baseline | server peak RSS MiB |\n")
	fmt.Fprintf(&b, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n")
	for _, r := range rs {
		ratio, rss := "", ""
		if r.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", r.Ratio)
		}
		if r.Ratio2 > 0 {
			ratio += fmt.Sprintf(" (%.2f)", r.Ratio2)
			r.Baseline += fmt.Sprintf(" (%s)", r.Baseline2)
		}
		if r.PeakRSSKiB > 0 {
			rss = fmt.Sprintf("%.0f", float64(r.PeakRSSKiB)/1024)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %.0f | %s | %s | %s | %s | %s | %s |\n", r.Name, r.Requests, r.Errors, r.RPS,
			ms(r.P50), ms(r.P99), ms(r.P999), ratio, r.Baseline, rss)
	}
	fmt.Fprintf(&b, "\n%d connections, %s per scenario, target %s. HTML pages are measured against their JSON twins;\n", o.concurrency, o.duration, o.target)
	fmt.Fprintf(&b, "a ratio in brackets is to the baseline in brackets.\n")
	return b.String()
}
