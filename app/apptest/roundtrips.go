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
	pool := &countingPool{counting{inner: db.ConnPool, rt: rt}}
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

// counting notes each statement before it sends it through inner: a pool
// or a transaction, whose four ways of sending one are the same.
type counting struct {
	inner gorm.ConnPool
	rt    *RoundTrips
}

func (p counting) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	p.rt.note(ctx, "PREPARE "+query)
	return p.inner.PrepareContext(ctx, query)
}

func (p counting) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	p.rt.note(ctx, query)
	return p.inner.ExecContext(ctx, query, args...)
}

func (p counting) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	p.rt.note(ctx, query)
	return p.inner.QueryContext(ctx, query, args...)
}

func (p counting) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	p.rt.note(ctx, query)
	return p.inner.QueryRowContext(ctx, query, args...)
}

type countingPool struct {
	counting
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
	return &countingTx{counting: counting{inner: tx, rt: p.rt}, tx: tx, ctx: ctx}, nil
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
	counting
	tx  *sql.Tx
	ctx context.Context
}

func (t *countingTx) Commit() error {
	t.rt.note(t.ctx, "COMMIT")
	return t.tx.Commit()
}

func (t *countingTx) Rollback() error {
	t.rt.note(t.ctx, "ROLLBACK")
	return t.tx.Rollback()
}
