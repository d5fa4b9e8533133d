package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"skillgate/app/dbx"
	"skillgate/app/wire"
	"skillgate/certs"
	"skillgate/courses"
)

// sizes is the data set to seed.
type sizes struct {
	Learners, EnrollmentsPerLearner, AttemptsPerLearner, Certificates int
}

// progress draws a bar on w as rows are written.
type progress struct {
	w           io.Writer
	label       string
	total, done int
	last        time.Time
	start       time.Time
}

func newProgress(w io.Writer, label string, total int) *progress {
	return &progress{w: w, label: label, total: total, start: time.Now()}
}

func (p *progress) add(n int) {
	p.done += n
	if time.Since(p.last) < 200*time.Millisecond && p.done < p.total {
		return
	}
	p.last = time.Now()
	frac := float64(p.done) / float64(max(p.total, 1))
	bar := strings.Repeat("#", int(frac*30)) + strings.Repeat(".", 30-int(frac*30))
	fmt.Fprintf(p.w, "\r%-14s [%s] %5.1f%% %9d/%d rows %6.1fs", p.label, bar, frac*100, p.done, p.total, time.Since(p.start).Seconds())
	if p.done >= p.total {
		fmt.Fprintln(p.w)
	}
}

// copyRows streams rows into table with COPY, drawing progress.
func copyRows(ctx context.Context, pool *pgxpool.Pool, w io.Writer, table string, cols []string, total int, row func(i int) []any) error {
	bar := newProgress(w, table, total)
	i := 0
	_, err := pool.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i >= total {
			return nil, nil
		}
		r := row(i)
		i++
		if i%1000 == 0 || i == total {
			bar.add(min(1000, i-bar.done))
		}
		return r, nil
	}))
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

// seeded reports whether the data set is already there.
func seeded(ctx context.Context, pool *pgxpool.Pool, s sizes) bool {
	var n int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE email LIKE 'bench-learner-%'`).Scan(&n); err != nil {
		return false
	}
	return n >= int64(s.Learners)
}

// seed writes the realistic data set straight into PostgreSQL: learners
// (all with one password, hashed once), enrollments in the built-in
// courses, graded attempts at their finals, and signed certificates with
// status-list entries.
func seed(ctx context.Context, p *wire.Platform, pool *pgxpool.Pool, s sizes, w io.Writer) error {
	if err := p.Seed(ctx, io.Discard); err != nil {
		return err
	}
	if seeded(ctx, pool, s) {
		fmt.Fprintln(w, "data set already seeded")
		return nil
	}
	var hash string
	tmpl, err := p.Accounts.Register(ctx, newLearner("bench-template@example.org"))
	if err != nil {
		return err
	}
	if err := pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, tmpl.User.ID).Scan(&hash); err != nil {
		return err
	}
	slugs := []string{"digital-literacy-foundations", "data-confidentiality-essentials", "annotation-quality-practices"}
	type final struct {
		course   courses.Version
		settings courses.AssessmentSettings
	}
	var finals []final
	for _, slug := range slugs {
		v, err := p.Courses.CurrentVersion(ctx, slug)
		if err != nil {
			return err
		}
		finals = append(finals, final{v, v.Assessments[0]})
	}
	now := time.Now().UTC()
	learnerIDs := make([]string, s.Learners)
	for i := range learnerIDs {
		learnerIDs[i] = dbx.NewID()
	}
	err = copyRows(ctx, pool, w, "users", []string{"id", "email", "email_key", "name", "role", "locale", "password_hash",
		"token_version", "disabled", "created_at", "updated_at"}, s.Learners, func(i int) []any {
		email := fmt.Sprintf("bench-learner-%d@example.org", i)
		return []any{learnerIDs[i], email, email, fmt.Sprintf("Learner %d", i), "learner", "en", hash, 1, false, now, now}
	})
	if err != nil {
		return err
	}
	per := min(s.EnrollmentsPerLearner, len(finals))
	err = copyRows(ctx, pool, w, "enrollments", []string{"id", "course_id", "user_id", "version", "created_at"},
		s.Learners*per, func(i int) []any {
			f := finals[i%per]
			return []any{dbx.NewID(), f.course.CourseID, learnerIDs[i/per], f.course.Number, now}
		})
	if err != nil {
		return err
	}
	attemptIDs := make([]string, s.Learners*s.AttemptsPerLearner)
	for i := range attemptIDs {
		attemptIDs[i] = dbx.NewID()
	}
	settingsJSON := make([]string, len(finals))
	for i, f := range finals {
		b, _ := json.Marshal(map[string]any{"id": f.settings.ID, "course_id": f.course.CourseID, "title": f.settings.Title,
			"kind": f.settings.Kind, "question_count": f.settings.QuestionCount, "time_limit_seconds": f.settings.TimeLimitSeconds,
			"pass_percent": f.settings.PassPercent, "max_attempts": 1000, "cooldown_seconds": 0})
		settingsJSON[i] = string(b)
	}
	rng := mrand.New(mrand.NewPCG(1, 2))
	err = copyRows(ctx, pool, w, "attempts", []string{"id", "assessment_id", "course_id", "user_id", "course_version", "number",
		"status", "started_at", "deadline", "submitted_at", "settings", "form", "score", "max_score", "percent", "passed", "results"},
		len(attemptIDs), func(i int) []any {
			k := i % s.AttemptsPerLearner
			f := finals[k%len(finals)]
			score := float64(10 + rng.IntN(11))
			started := now.Add(-time.Duration(rng.IntN(300*24)) * time.Hour)
			submitted := started.Add(20 * time.Minute)
			return []any{attemptIDs[i], f.settings.ID, f.course.CourseID, learnerIDs[i/s.AttemptsPerLearner], f.course.Number,
				k/len(finals) + 1, "graded", started, started.Add(30 * time.Minute), submitted, settingsJSON[k%len(finals)], "[]",
				score, 20.0, score * 5, score*5 >= f.settings.PassPercent, "[]"}
		})
	if err != nil {
		return err
	}
	return seedCertificates(ctx, p, pool, s, learnerIDs, attemptIDs, finals[1].course, w)
}

// seedCertificates issues one signed certificate of the confidentiality
// course to each of the first learners, with random status-list indexes.
func seedCertificates(ctx context.Context, p *wire.Platform, pool *pgxpool.Pool, s sizes, learners, attempts []string, course courses.Version, w io.Writer) error {
	key := p.Certs.SigningKey(ctx)
	perList := certs.StatusListBits / 2
	lists := int(math.Ceil(float64(s.Certificates) / float64(perList)))
	listIDs := make([]string, lists)
	now := time.Now().UTC()
	for i := range listIDs {
		listIDs[i] = dbx.NewID()
		if _, err := pool.Exec(ctx, `INSERT INTO status_lists (id, size, created_at) VALUES ($1, $2, $3)`, listIDs[i], certs.StatusListBits, now); err != nil {
			return err
		}
	}
	indexes := make([][]int, lists)
	for i := range indexes {
		perm := randPerm(certs.StatusListBits)
		indexes[i] = perm[:perList]
	}
	base := p.Config.BaseURL
	return copyRows(ctx, pool, w, "certificates", []string{"id", "code", "holder_id", "holder_name", "course_id", "course_slug",
		"course_title", "course_version", "course_language", "attempt_id", "score_percent", "issued_at", "expires_at",
		"status_list_id", "status_index", "key_id", "token", "revocation_reason"}, s.Certificates, func(i int) []any {
		id := dbx.NewID()
		code, _ := certs.NewCode()
		issued := now.Add(-time.Duration(i%300) * 24 * time.Hour).Truncate(time.Second)
		expires := issued.Add(365 * 24 * time.Hour)
		list, idx := listIDs[i/perList], indexes[i/perList][i%perList]
		name := fmt.Sprintf("Learner %d", i)
		claims := certs.Issued{CertificateID: id, BaseURL: base, IssuerName: "Skillgate", HolderID: learners[i], HolderName: name,
			CourseSlug: course.Slug, CourseTitle: course.Title, CourseSummary: course.Summary, CourseVersion: course.Number,
			PassPercent: 80, ScorePercent: 90, IssuedAt: issued, ExpiresAt: expires, StatusListID: list, StatusListIndex: idx}.Claims()
		token, err := certs.Sign(claims, key)
		if err != nil {
			panic(err)
		}
		// Attempt number 2 of each learner is their confidentiality final.
		return []any{id, code, learners[i], name, course.CourseID, course.Slug, course.Title, course.Number, course.Language,
			attempts[i*s.AttemptsPerLearner+1], 90.0, issued, expires, list, idx, key.ID, token, ""}
	})
}

func randPerm(n int) []int {
	var seed [32]byte
	_, _ = rand.Read(seed[:])
	r := mrand.New(mrand.NewChaCha8(seed))
	return r.Perm(n)
}
