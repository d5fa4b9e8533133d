package dbx

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Topics name what changed, so that each cache listens only to its own.
const (
	// TopicCourses: a course version was published or a course's
	// catalogue entry changed. Key: the course ID ("" for all).
	TopicCourses = "courses"
	// TopicCertificates: a certificate's status changed (revoked,
	// suspended, reinstated, erased). Key: the certificate ID.
	TopicCertificates = "certificates"
	// TopicKeys: the signing keys changed (rotation, retirement).
	TopicKeys = "keys"
	// TopicAccounts: an account's access changed (disabled, password
	// changed, signed out everywhere, role changed, erased). Key: the user ID.
	TopicAccounts = "accounts"
)

// notifyChannel is the PostgreSQL channel every replica listens on; a
// database holding several schemas (tests) gets one channel per schema,
// since channels are database-wide.
const notifyChannel = "skillgate_changes"

// ChangesOptions tune the bus; the zero value is what production uses.
type ChangesOptions struct {
	// Poll is how often the change log is read, bounding how stale a cache
	// can be when a notification is lost (default 400 ms, so that with the
	// query's own time a change is seen within 1 s).
	Poll time.Duration
	// Keep is how long change-log rows are kept (default 1 h).
	Keep time.Duration
	Log  *slog.Logger
}

// Changes tells every replica's in-process caches that something changed.
//
// A change is written, in the same transaction as the change itself, as a
// row of the change log (cache_changes) and, on PostgreSQL, as a NOTIFY
// that the database delivers at commit. Each replica LISTENs for the fast
// path and also reads the log every Poll, so that a lost notification
// leaves a cache stale for at most about Poll; after the listening
// connection is lost and made again, every cache is flushed, because
// notifications may have been missed in between. In the replica that made
// the change, subscribers hear of it as soon as the transaction commits.
type Changes struct {
	db  *gorm.DB
	opt ChangesOptions

	mu   sync.RWMutex
	subs map[string][]func(key string)
	last int64 // the newest change-log row seen
	// heard holds the ids of changes already delivered here (published by
	// this process, or heard by NOTIFY), with when they were made, so the
	// poll does not deliver them again; pruned after heardFor.
	heard map[int64]time.Time

	seen    chan struct{} // closed and replaced each time the log is read
	channel string        // the NOTIFY channel, set by Run
}

// NewChanges makes the bus for db. Call Run to start listening.
func NewChanges(db *gorm.DB, opt ChangesOptions) *Changes {
	if opt.Poll <= 0 {
		opt.Poll = 400 * time.Millisecond
	}
	if opt.Keep <= 0 {
		opt.Keep = time.Hour
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Changes{db: db, opt: opt, subs: map[string][]func(string){}, last: -1, heard: map[int64]time.Time{}, seen: make(chan struct{})}
}

// Subscribe calls fn with the key of every change on topic, from any
// replica. A key of "" means "anything may have changed": flush.
func (c *Changes) Subscribe(topic string, fn func(key string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.subs[topic] = append(c.subs[topic], fn)
}

// deliver tells this process's subscribers of topic about key.
func (c *Changes) deliver(topic, key string) {
	c.mu.RLock()
	fns := c.subs[topic]
	c.mu.RUnlock()
	for _, fn := range fns {
		fn(key)
	}
}

// flushAll tells every subscriber that anything may have changed.
func (c *Changes) flushAll() {
	c.mu.RLock()
	var all []func(string)
	for _, fns := range c.subs {
		all = append(all, fns...)
	}
	c.mu.RUnlock()
	for _, fn := range all {
		fn("")
	}
}

// changeRow is one entry of the change log.
type changeRow struct {
	ID        int64     `gorm:"primaryKey;autoIncrement"`
	Topic     string    `gorm:"size:32;not null"`
	Key       string    `gorm:"size:64;not null"`
	CreatedAt time.Time `gorm:"not null;index:cache_changes_created_idx"`
}

func (changeRow) TableName() string { return "cache_changes" }

// ChangesMigrations creates the change log.
func ChangesMigrations() []*Migration {
	return []*Migration{{
		ID: "202611290100_cache_changes",
		Migrate: func(tx *gorm.DB) error {
			return tx.Migrator().CreateTable(&changeRow{})
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("cache_changes") },
	}}
}

// Publish records that key of topic changed. Inside a transaction (WithTx)
// the record commits or rolls back with the change, and this replica's
// subscribers hear of it after the commit; outside one they hear at once.
func (c *Changes) Publish(ctx context.Context, topic, key string) error {
	if c == nil {
		return nil
	}
	conn := Conn(ctx, c.db)
	row := changeRow{Topic: topic, Key: key, CreatedAt: time.Now().UTC()}
	if err := conn.Create(&row).Error; err != nil {
		return fmt.Errorf("dbx: record change: %w", err)
	}
	if DialectOf(c.db) == Postgres {
		payload := strconv.FormatInt(row.ID, 10) + "\x1f" + topic + "\x1f" + key
		if err := conn.Exec("SELECT pg_notify(?, ?)", c.channelName(), payload).Error; err != nil {
			return fmt.Errorf("dbx: notify change: %w", err)
		}
	}
	AfterCommit(ctx, func() {
		if c.firstHearing(row.ID, row.CreatedAt) {
			c.deliver(topic, key)
		}
	})
	return nil
}

// Run listens for changes until ctx ends: it reads the log every Poll,
// prunes old entries now and then, and on PostgreSQL also LISTENs. It
// returns once the first read of the log is done, so a cache filled after
// Run returns sees every later change.
func (c *Changes) Run(ctx context.Context) error {
	if err := c.poll(ctx); err != nil {
		return err
	}
	if DialectOf(c.db) == Postgres {
		var schema string
		if err := c.db.WithContext(ctx).Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
			return fmt.Errorf("dbx: read schema: %w", err)
		}
		c.mu.Lock()
		c.channel = notifyChannel
		if schema != "" && schema != "public" {
			c.channel += "_" + schema
		}
		c.mu.Unlock()
	}
	go c.pollLoop(ctx)
	if DialectOf(c.db) == Postgres {
		if d, ok := c.db.Dialector.(*postgres.Dialector); ok && d.Config != nil && d.Config.DSN != "" {
			// Wait (briefly) for the first LISTEN, so that its flush comes
			// before any cache fills rather than at a random later moment.
			ready := make(chan struct{})
			go c.listenLoop(ctx, d.Config.DSN, sync.OnceFunc(func() { close(ready) }))
			select {
			case <-ready:
			case <-time.After(5 * time.Second):
				c.opt.Log.Warn("change notifications not yet listening; the change log still bounds staleness")
			case <-ctx.Done():
			}
		}
	}
	return nil
}

// poll reads the log past the last row seen and delivers what it finds.
func (c *Changes) poll(ctx context.Context) error {
	c.mu.RLock()
	last := c.last
	c.mu.RUnlock()
	conn := c.db.WithContext(ctx)
	if last < 0 {
		// First read: start after the newest row; nothing is cached yet.
		var newest *int64
		if err := conn.Model(&changeRow{}).Select("MAX(id)").Scan(&newest).Error; err != nil {
			return fmt.Errorf("dbx: read change log: %w", err)
		}
		c.advance(valueOr(newest, 0))
		return nil
	}
	// Ids are handed out at insert but committed in any order, so a row
	// with a smaller id than the newest seen may still appear: the last
	// heardFor of the log is read again each time, and what was already
	// delivered is skipped.
	now := time.Now().UTC()
	var rows []changeRow
	if err := conn.Where("id > ? OR created_at > ?", last, now.Add(-heardFor)).Order("id").Limit(10000).Find(&rows).Error; err != nil {
		return fmt.Errorf("dbx: read change log: %w", err)
	}
	if len(rows) == 10000 {
		// Too much at once: flush rather than replay.
		c.flushAll()
	}
	for _, r := range rows {
		if c.firstHearing(r.ID, r.CreatedAt) && len(rows) < 10000 {
			c.deliver(r.Topic, r.Key)
		}
		last = max(last, r.ID)
	}
	c.mu.Lock()
	for id, at := range c.heard {
		if now.Sub(at) > 2*heardFor {
			delete(c.heard, id)
		}
	}
	c.mu.Unlock()
	c.advance(last)
	return nil
}

// heardFor is how long a change stays in the poll's window: a change whose
// transaction takes longer than this to commit is heard by NOTIFY only.
const heardFor = 30 * time.Second

// firstHearing records that change id was delivered here and reports
// whether this is the first time.
func (c *Changes) firstHearing(id int64, at time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.heard[id]; ok {
		return false
	}
	c.heard[id] = at
	return true
}

func valueOr(p *int64, v int64) int64 {
	if p == nil {
		return v
	}
	return *p
}

// advance records the newest row seen and wakes Seen's waiters.
func (c *Changes) advance(last int64) {
	c.mu.Lock()
	c.last = last
	close(c.seen)
	c.seen = make(chan struct{})
	c.mu.Unlock()
}

// Seen returns a channel closed after the next read of the change log, for
// tests that wait on the slow path.
func (c *Changes) Seen() <-chan struct{} {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.seen
}

func (c *Changes) pollLoop(ctx context.Context) {
	tick := time.NewTicker(c.opt.Poll)
	defer tick.Stop()
	lastPrune := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := c.poll(ctx); err != nil && ctx.Err() == nil {
			// Without the log this replica cannot know what changed.
			c.opt.Log.Warn("change log unreadable; flushing caches", "err", err)
			c.flushAll()
		}
		if time.Since(lastPrune) > c.opt.Keep/4 {
			lastPrune = time.Now()
			c.db.WithContext(ctx).Where("created_at < ?", time.Now().UTC().Add(-c.opt.Keep)).Delete(&changeRow{})
		}
	}
}

// listenLoop keeps a LISTEN connection, making it again after a failure.
func (c *Changes) listenLoop(ctx context.Context, dsn string, ready func()) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := c.listen(ctx, dsn, ready)
		ready() // a first failure does not keep Run waiting
		if ctx.Err() != nil {
			return
		}
		c.opt.Log.Warn("change notifications lost; reconnecting", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// listen holds one LISTEN connection until it fails. Once listening it
// flushes every cache, since notifications may have been missed before.
func (c *Changes) listen(ctx context.Context, dsn string, ready func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{c.channelName()}.Sanitize()); err != nil {
		return err
	}
	c.flushAll()
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		idText, rest, ok := cut(n.Payload)
		if !ok {
			continue
		}
		topic, key, ok := cut(rest)
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok || err != nil {
			continue
		}
		if c.firstHearing(id, time.Now().UTC()) {
			c.deliver(topic, key)
		}
	}
}

func (c *Changes) channelName() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.channel == "" {
		return notifyChannel
	}
	return c.channel
}

func cut(payload string) (topic, key string, ok bool) {
	for i := 0; i < len(payload); i++ {
		if payload[i] == 0x1f {
			return payload[:i], payload[i+1:], true
		}
	}
	return "", "", false
}

type afterCommitKey struct{}

// afterCommit holds the functions to run once the outermost transaction
// of the context commits.
type afterCommit struct {
	mu  sync.Mutex
	fns []func()
}

// AfterCommit runs fn once the context's transaction commits (never if it
// rolls back), or at once when the context carries no transaction.
func AfterCommit(ctx context.Context, fn func()) {
	if ac, ok := ctx.Value(afterCommitKey{}).(*afterCommit); ok {
		ac.mu.Lock()
		ac.fns = append(ac.fns, fn)
		ac.mu.Unlock()
		return
	}
	fn()
}
