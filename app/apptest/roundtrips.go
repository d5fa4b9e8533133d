package apptest

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// RoundTrips counts what a *gorm.DB sends to the database at the
// database/sql boundary: every statement (Exec, Query, QueryRow, Prepare)
// and every BEGIN, COMMIT and ROLLBACK, each one a round trip to
// PostgreSQL (a call into the engine on SQLite). Only work done with a
// context from Counting is counted, so background work of the platform
// (the change bus's poll) never inflates a figure.
type RoundTrips struct {
	mu    sync.Mutex
	stmts []string
}

type countKey struct{}

// CountRoundTrips wraps db's connection pool so that rt sees its traffic.
// Call it before the platform is built on db (sessions copy the pool).
func CountRoundTrips(db *gorm.DB) *RoundTrips {
	rt := &RoundTrips{}
	pool := &countingPool{inner: db.ConnPool, rt: rt}
	db.ConnPool = pool
	db.Statement.ConnPool = pool
	return rt
}

// Counting returns ctx marked so that the statements run with it count.
func (rt *RoundTrips) Counting(ctx context.Context) context.Context {
	return context.WithValue(ctx, countKey{}, rt)
}

// Reset forgets what was counted so far.
func (rt *RoundTrips) Reset() {
	rt.mu.Lock()
	rt.stmts = nil
	rt.mu.Unlock()
}

// Statements lists what was counted, in order (SQL text or BEGIN, COMMIT,
// ROLLBACK).
func (rt *RoundTrips) Statements() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.stmts...)
}

// Count is how many round trips were counted.
func (rt *RoundTrips) Count() int { return len(rt.Statements()) }

func (rt *RoundTrips) note(ctx context.Context, what string) {
	if ctx == nil || ctx.Value(countKey{}) != rt {
		return
	}
	rt.mu.Lock()
	rt.stmts = append(rt.stmts, strings.Join(strings.Fields(what), " "))
	rt.mu.Unlock()
}

type countingPool struct {
	inner gorm.ConnPool
	rt    *RoundTrips
}

func (p *countingPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	p.rt.note(ctx, "PREPARE "+query)
	return p.inner.PrepareContext(ctx, query)
}

func (p *countingPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	p.rt.note(ctx, query)
	return p.inner.ExecContext(ctx, query, args...)
}

func (p *countingPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.rt.note(ctx, query)
	return p.inner.QueryContext(ctx, query, args...)
}

func (p *countingPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.rt.note(ctx, query)
	return p.inner.QueryRowContext(ctx, query, args...)
}

// BeginTx starts a transaction whose statements, commit and rollback are
// counted as well.
func (p *countingPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	var (
		tx  *sql.Tx
		err error
	)
	switch b := p.inner.(type) {
	case gorm.TxBeginner:
		tx, err = b.BeginTx(ctx, opts)
	default:
		return nil, gorm.ErrInvalidTransaction
	}
	if err != nil {
		return nil, err
	}
	p.rt.note(ctx, "BEGIN")
	return &countingTx{Tx: tx, ctx: ctx, rt: p.rt}, nil
}

// GetDBConn gives gorm's DB() the pool underneath.
func (p *countingPool) GetDBConn() (*sql.DB, error) {
	if d, ok := p.inner.(*sql.DB); ok {
		return d, nil
	}
	if c, ok := p.inner.(gorm.GetDBConnector); ok {
		return c.GetDBConn()
	}
	return nil, gorm.ErrInvalidDB
}

type countingTx struct {
	*sql.Tx
	ctx context.Context
	rt  *RoundTrips
}

func (t *countingTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	t.rt.note(ctx, "PREPARE "+query)
	return t.Tx.PrepareContext(ctx, query)
}

func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.rt.note(ctx, query)
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.rt.note(ctx, query)
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *countingTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	t.rt.note(ctx, query)
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *countingTx) Commit() error {
	t.rt.note(t.ctx, "COMMIT")
	return t.Tx.Commit()
}

func (t *countingTx) Rollback() error {
	t.rt.note(t.ctx, "ROLLBACK")
	return t.Tx.Rollback()
}
