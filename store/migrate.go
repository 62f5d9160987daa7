package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

var sqlNoRows = sql.ErrNoRows

//go:embed migrations
var migrations embed.FS

const sqlCreateMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`

// Migrate applies the embedded migrations of the dialect that are not yet
// applied, each in its own transaction, in file-name order. On PostgreSQL an
// advisory lock keeps instances that start together from racing.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.ExecContext(ctx, sqlCreateMigrations); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	dir := "migrations/" + string(db.Dialect)
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if err := db.apply(ctx, strings.TrimSuffix(name, ".sql"), string(body)); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, version, body string) error {
	return db.Tx(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7262526)`); err != nil {
				return fmt.Errorf("store: migrate %s: lock: %w", version, err)
			}
		}
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
