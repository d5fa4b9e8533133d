package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"skillgate/app/dbx"
)

// The bare start and bare submit baselines do the least that the real
// requests must do, with pgx and no framework beyond Fiber: start reads a
// 50-question form and stores an attempt; submit decodes 50 answers,
// grades them in memory and stores one row in a transaction. They write
// into scratch tables of their own, so that they never touch the service's
// rows.

const scratchDDL = `
CREATE TABLE IF NOT EXISTS bench_scratch_attempts (
	id text PRIMARY KEY, assessment_id text NOT NULL, form jsonb NOT NULL, started_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS bench_scratch_grades (
	id text PRIMARY KEY, score double precision NOT NULL, max_score double precision NOT NULL, passed boolean NOT NULL,
	answers jsonb NOT NULL, graded_at timestamptz NOT NULL)`

type bareOption struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Correct bool   `json:"correct,omitempty"`
}

type bareQuestion struct {
	ID      string       `json:"id"`
	Type    string       `json:"type"`
	Prompt  string       `json:"prompt"`
	Points  float64      `json:"points"`
	Options []bareOption `json:"options"`
}

type bareAnswer struct {
	QuestionID string   `json:"question_id"`
	OptionIDs  []string `json:"option_ids"`
}

// bareExam is what the bare handlers need: the bench bank's course, its
// answer key and a prepared body of 50 answers.
type bareExam struct {
	assessmentID, courseID string
	key                    map[string]string // question id → the correct option id
	submitBody             []byte
}

// prepareBare makes the scratch tables and reads the bench bank's key.
func prepareBare(ctx context.Context, pool *pgxpool.Pool, assessmentID, courseID string) (*bareExam, error) {
	if _, err := pool.Exec(ctx, scratchDDL); err != nil {
		return nil, fmt.Errorf("bench: scratch tables: %w", err)
	}
	rows, err := pool.Query(ctx, `SELECT id, options FROM questions WHERE course_id = $1`, courseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	b := &bareExam{assessmentID: assessmentID, courseID: courseID, key: map[string]string{}}
	var answers []bareAnswer
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, err
		}
		var opts []bareOption
		if err := json.Unmarshal([]byte(raw), &opts); err != nil {
			return nil, err
		}
		for i, o := range opts {
			if o.Correct {
				b.key[id] = o.ID
			}
			if i == len(answers)%len(opts) {
				answers = append(answers, bareAnswer{QuestionID: id, OptionIDs: []string{o.ID}})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(b.key) < 50 {
		return nil, fmt.Errorf("bench: the bench bank has %d questions with a key, want 50", len(b.key))
	}
	b.submitBody, _ = json.Marshal(map[string]any{"answers": answers})
	return b, nil
}

// mount adds POST /start and POST /submit to the bare app.
func (b *bareExam) mount(app *fiber.App, pool *pgxpool.Pool) {
	app.Post("/start", func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		rows, err := pool.Query(ctx, `SELECT id, type, prompt, points, options FROM questions WHERE course_id = $1`, b.courseID)
		if err != nil {
			return err
		}
		form := make([]bareQuestion, 0, 50)
		for rows.Next() {
			var q bareQuestion
			var raw string
			if err := rows.Scan(&q.ID, &q.Type, &q.Prompt, &q.Points, &raw); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal([]byte(raw), &q.Options); err != nil {
				rows.Close()
				return err
			}
			form = append(form, q)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rand.Shuffle(len(form), func(i, j int) { form[i], form[j] = form[j], form[i] })
		stored, _ := json.Marshal(form) // with the key, as the service stores it
		for i := range form {
			for j := range form[i].Options {
				form[i].Options[j].Correct = false
			}
		}
		id := dbx.NewID()
		if _, err := pool.Exec(ctx, `INSERT INTO bench_scratch_attempts (id, assessment_id, form, started_at) VALUES ($1, $2, $3, $4)`,
			id, b.assessmentID, stored, time.Now().UTC()); err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(map[string]any{"id": id, "status": "open", "questions": form})
	})
	app.Post("/submit", func(c *fiber.Ctx) error {
		var in struct {
			Answers []bareAnswer `json:"answers"`
		}
		if err := json.Unmarshal(c.Body(), &in); err != nil {
			return fiber.NewError(fiber.StatusBadRequest, err.Error())
		}
		score := 0.0
		for _, a := range in.Answers {
			if len(a.OptionIDs) == 1 && b.key[a.QuestionID] == a.OptionIDs[0] {
				score++
			}
		}
		max := float64(len(b.key))
		passed := score*100 >= 50*max
		ctx := c.UserContext()
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		id := dbx.NewID()
		if _, err := tx.Exec(ctx, `INSERT INTO bench_scratch_grades (id, score, max_score, passed, answers, graded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, score, max, passed, c.Body(), time.Now().UTC()); err != nil {
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		return c.JSON(map[string]any{"id": id, "status": "graded", "score": score, "max_score": max, "passed": passed})
	})
}
