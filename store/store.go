// Package store holds all of Chanjo's SQL: the connection to SQLite or
// PostgreSQL, the embedded migrations of each dialect, and the queries.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names a SQL dialect Chanjo speaks.
type Dialect string

// The dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned when a row that was asked for does not exist.
var ErrNotFound = errors.New("not found")

// DB is the store: a sqlx handle that knows its dialect.
type DB struct {
	*sqlx.DB
	Dialect Dialect
	// Now is the clock; tests replace it.
	Now func() time.Time

	answers  *groupCommit[answerRow]  // RecordAnswer's joined writes
	webhooks *groupCommit[webhookRow] // RecordWhatsAppWebhook's joined writes
	// stmts holds the statements prepared once for the pool, by text (see
	// prepared).
	stmts *sync.Map
	// windows is what OpenAssessments read last.
	windows *windowsCache
	// waAnswering keeps this process's WhatsApp answers one at a time on SQLite, where no
	// advisory lock exists (AnswerWhatsAppMessage).
	waAnswering sync.Mutex
}

// Open connects to the database named by dsn: a postgres:// or postgresql://
// URL selects PostgreSQL, anything else is a SQLite file path. It checks the
// connection but does not migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	d, driver, source := dialectOf(dsn)
	x, err := sqlx.Open(driver, source)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if d == SQLite {
		// One writer at a time is SQLite's rule; a small pool keeps readers
		// concurrent under WAL without piling up writers on the busy timeout.
		x.SetMaxOpenConns(4)
		// Idle connections are kept (database/sql keeps 2 by default): a
		// new SQLite connection opens the file and runs its pragmas again,
		// 5 % of the CPU of the quiz walk under load when the pool churned.
		x.SetMaxIdleConns(4)
	} else {
		x.SetMaxOpenConns(20)
		x.SetMaxIdleConns(20)
	}
	x.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := ping(pctx, x); err != nil {
		x.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", d, err)
	}
	db := &DB{DB: x, Dialect: d, Now: func() time.Time { return time.Now().UTC() }, stmts: &sync.Map{}, windows: &windowsCache{}}
	// Commits at once: SQLite has one writer; on PostgreSQL 4 of the pool's
	// 20 connections, so a caller need not wait for the commit under way.
	parallel := 1
	if d == Postgres {
		parallel = 4
	}
	// 100 answers are 600 binds, far below either dialect's limit.
	db.answers = &groupCommit[answerRow]{write: db.writeAnswers, max: 100, parallel: parallel}
	// 200 webhooks are 400 binds; Meta sends at most a few hundred at once.
	db.webhooks = &groupCommit[webhookRow]{write: db.writeWebhooks, max: 200, parallel: parallel}
	return db, nil
}

// prepared returns query prepared for the pool, preparing it the first time.
// Only for statements whose preparation costs more than their run and whose
// texts are few: each stays prepared on every connection until Close.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if first, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return first.(*sql.Stmt), nil
	}
	return s, nil
}

// ping checks the connection. The first connection to a new SQLite file
// switches it to WAL, which SQLite answers with SQLITE_BUSY, without waiting,
// while another process does the same: it tries again until ctx ends.
func ping(ctx context.Context, x *sqlx.DB) error {
	for {
		err := x.PingContext(ctx)
		var e interface{ Code() int }
		if err == nil || !errors.As(err, &e) || e.Code()&0xff != sqliteBusy {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sqliteBusy is SQLITE_BUSY, the primary result code of a locked database.
const sqliteBusy = 5

// uriPath escapes what a file: URI's path cannot hold as it is.
var uriPath = strings.NewReplacer("%", "%25", "#", "%23", "?", "%3f")

func dialectOf(dsn string) (Dialect, string, string) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres, "pgx", dsn
	}
	// The path goes into a file: URI, where '#' would end it and '?' start
	// the query: "/tmp/Test#01/chanjo.db" would open "/tmp/Test" without
	// any of the pragmas below. SQLite decodes the escapes.
	path := uriPath.Replace(strings.TrimPrefix(dsn, "file:"))
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return SQLite, "sqlite", "file:" + path + "?" + q.Encode()
}

// Tx is a transaction of the store.
type Tx = sqlx.Tx

// Tx runs fn in a transaction, committing when it returns nil.
func (db *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Setting returns the value stored under key, or ErrNotFound.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.GetContext(ctx, &v, db.Rebind(`SELECT value FROM settings WHERE key = ?`), key)
	if errors.Is(err, sqlNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}

// InitSetting stores value under key unless the key already has a value, and
// returns the value that is stored: the first writer wins, so instances that
// start together agree.
func (db *DB) InitSetting(ctx context.Context, key, value string) (string, error) {
	_, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`), key, value)
	if err != nil {
		return "", fmt.Errorf("store: init setting %s: %w", key, err)
	}
	return db.Setting(ctx, key)
}
