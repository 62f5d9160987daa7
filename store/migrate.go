package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

var sqlNoRows = sql.ErrNoRows

//go:embed migrations
var migrations embed.FS

// migrateLock is the PostgreSQL advisory lock key of the migrations.
const migrateLock = 7262526

const sqlCreateMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`

// ErrNewerSchema is returned (wrapped in a *SchemaError) when the database
// holds a migration this binary does not know: a newer binary migrated it.
var ErrNewerSchema = errors.New("the database was migrated by a newer chanjo")

// SchemaError says which migration of the database this binary does not
// know, and the last one it knows.
type SchemaError struct {
	Database string // the newest migration of the database unknown to the binary
	Binary   string // the newest migration the binary knows
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("the database is at migration %s, which this binary (up to %s) does not know: run the newer chanjo", e.Database, e.Binary)
}

// Unwrap makes errors.Is(err, ErrNewerSchema) hold.
func (e *SchemaError) Unwrap() error { return ErrNewerSchema }

// Migrate applies the embedded migrations of the dialect that are not yet
// applied, each in its own transaction, in file-name order. It refuses, with
// a *SchemaError, a database that holds a migration it does not know: an
// older binary must not run beside the newer one that migrated it.
//
// Instances that start together must all come up, so every transaction
// takes the lock before its first statement, DDL on the bookkeeping table
// included: the advisory lock on PostgreSQL, and on SQLite the write lock
// that the store's BEGIN IMMEDIATE takes (in WAL mode it is the same as an
// exclusive transaction).
func (db *DB) Migrate(ctx context.Context) error {
	names, err := migrationNames(db.Dialect)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	err = db.migrationTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, sqlCreateMigrations); err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		return checkSchema(ctx, tx, names)
	})
	if err != nil {
		return err
	}
	for _, name := range names {
		body, err := migrations.ReadFile("migrations/" + string(db.Dialect) + "/" + name + ".sql")
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if err := db.apply(ctx, name, string(body)); err != nil {
			return err
		}
	}
	return nil
}

// CheckSchema returns a *SchemaError when a newer binary has migrated the
// database since this one started; a running instance calls it now and then.
func (db *DB) CheckSchema(ctx context.Context) error {
	names, err := migrationNames(db.Dialect)
	if err != nil {
		return fmt.Errorf("store: check schema: %w", err)
	}
	var applied []string
	if err := db.SelectContext(ctx, &applied, `SELECT version FROM schema_migrations`); err != nil {
		return fmt.Errorf("store: check schema: %w", err)
	}
	return unknownVersion(applied, names)
}

// migrationNames returns the versions embedded for dialect, in order.
func migrationNames(d Dialect) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+string(d))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".sql"); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

func checkSchema(ctx context.Context, tx *Tx, names []string) error {
	var applied []string
	if err := tx.SelectContext(ctx, &applied, `SELECT version FROM schema_migrations`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return unknownVersion(applied, names)
}

// unknownVersion returns a *SchemaError naming the newest of applied that is
// not among known.
func unknownVersion(applied, known []string) error {
	knows := make(map[string]bool, len(known))
	for _, k := range known {
		knows[k] = true
	}
	var newest string
	for _, v := range applied {
		if !knows[v] && v > newest {
			newest = v
		}
	}
	if newest == "" {
		return nil
	}
	binary := "none"
	if len(known) > 0 {
		binary = known[len(known)-1]
	}
	return fmt.Errorf("store: %w", &SchemaError{Database: newest, Binary: binary})
}

// migrationTx runs fn in a transaction that holds the migration lock from
// its first statement.
func (db *DB) migrationTx(ctx context.Context, fn func(*Tx) error) error {
	return db.lockedTx(ctx, migrateLock, fn)
}

// lockedTx runs fn in a transaction that first takes, on PostgreSQL, the
// advisory lock key until it ends; SQLite's BEGIN IMMEDIATE already holds
// the database's one write lock.
func (db *DB) lockedTx(ctx context.Context, key int64, fn func(*Tx) error) error {
	return db.Tx(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key); err != nil {
				return fmt.Errorf("store: lock %d: %w", key, err)
			}
		}
		return fn(tx)
	})
}

func (db *DB) apply(ctx context.Context, version, body string) error {
	return db.migrationTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, db.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version); err != nil {
			return fmt.Errorf("store: migrate %s: %w", version, err)
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, body); err != nil {
			return fmt.Errorf("store: migrate %s: %w", version, err)
		}
		_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), version, db.Now())
		if err != nil {
			return fmt.Errorf("store: migrate %s: %w", version, err)
		}
		return nil
	})
}
