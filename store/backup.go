package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/jmoiron/sqlx"
)

// ErrNotSQLite is returned by Backup on PostgreSQL, whose own tool
// (pg_dump) makes consistent copies; the README says how.
var ErrNotSQLite = errors.New("backup: only a SQLite database is copied by chanjo; on PostgreSQL use pg_dump")

// BackupTables are the tables whose rows a backup counts: what a nurse,
// mentor or supervisor did, and what was sent.
var BackupTables = []string{
	"facilities", "workers", "groups", "mentor_pairs", "users",
	"lesson_progress", "quiz_attempts", "visits", "stock_calculations",
	"questions", "broadcasts", "outbox", "audit_log",
}

// TableCount is the number of rows of one table.
type TableCount struct {
	Table string
	Rows  int64
}

// Backup writes a consistent copy of the SQLite database to path, which must
// not exist, while the service goes on reading and writing: VACUUM INTO
// reads one snapshot (a read transaction, which WAL lets writers go on
// beside) and writes it out whole, without the WAL file a plain copy would
// miss. It returns the row counts read from the copy itself, so they are
// the counts of that snapshot.
func (db *DB) Backup(ctx context.Context, path string) ([]TableCount, error) {
	if db.Dialect != SQLite {
		return nil, ErrNotSQLite
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("store: backup: %s exists; choose a new file", path)
	}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return nil, fmt.Errorf("store: backup: %w", err)
	}
	return CheckBackup(ctx, path)
}

// CheckBackup opens the SQLite file at path read-only, checks that it is
// whole and a Chanjo database, and returns its row counts.
func CheckBackup(ctx context.Context, path string) ([]TableCount, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "query_only(1)")
	x, err := sqlx.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: check backup: %w", err)
	}
	defer x.Close()
	var check string
	if err := x.GetContext(ctx, &check, `PRAGMA integrity_check`); err != nil {
		return nil, fmt.Errorf("store: check backup %s: %w", path, err)
	}
	if check != "ok" {
		return nil, fmt.Errorf("store: check backup %s: damaged: %s", path, check)
	}
	var migrations int
	if err := x.GetContext(ctx, &migrations, `SELECT COUNT(*) FROM schema_migrations`); err != nil {
		return nil, fmt.Errorf("store: check backup %s: not a Chanjo database: %w", path, err)
	}
	counts := make([]TableCount, len(BackupTables))
	for i, t := range BackupTables {
		counts[i].Table = t
		// The names are ours, from BackupTables, never the caller's.
		if err := x.GetContext(ctx, &counts[i].Rows, `SELECT COUNT(*) FROM `+t); err != nil {
			return nil, fmt.Errorf("store: check backup %s: %s: %w", path, t, err)
		}
	}
	return counts, nil
}

// SQLitePath is the file of a SQLite DATABASE_URL, or "" for PostgreSQL.
func SQLitePath(dsn string) string {
	if d, _, _ := dialectOf(dsn); d != SQLite {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	return path
}
