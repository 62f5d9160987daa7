package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestMigration0048LetsThirdLanguagesIn applies the SQLite migrations up to
// 0047, where workers' CHECK allows only en and sw, writes a worker with
// learning rows, then 0048: a connection of the pool that read the old
// schema takes a Kikamba nurse, the check still refuses what is not a
// language code, and the worker keeps her rows, indexes and foreign keys.
func TestMigration0048LetsThirdLanguagesIn(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applyUpTo(t, db, "0047")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	const sqlWorker = `INSERT INTO workers (phone, name, language, created_at, updated_at) VALUES (?, 'Nurse', ?, ?, ?)`
	if _, err := conn.ExecContext(ctx, sqlWorker, "+254711000001", "sw", now, now); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO lesson_progress (worker_id, lesson_id, updated_at) VALUES (1, 'l1', ?)`, now); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, sqlWorker, "+254711000002", "kam", now, now); err == nil {
		t.Fatal("kam accepted before 0048: the test does not test the migration")
	}
	applyUpTo(t, db, "0048_worker_languages")
	if _, err := conn.ExecContext(ctx, sqlWorker, "+254711000002", "kam", now, now); err != nil {
		t.Errorf("kam on a connection opened before 0048: %v", err)
	}
	for _, bad := range []string{"KAM", "k", "kam-ke", "kikambaaa"} {
		if _, err := conn.ExecContext(ctx, sqlWorker, "+254711000009", bad, now, now); err == nil {
			t.Errorf("language %q accepted: the check is gone, not replaced by a shape", bad)
		}
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM lesson_progress WHERE worker_id = 1`); err != nil || n != 1 {
		t.Errorf("lesson_progress of the worker = %d, %v, want kept", n, err)
	}
	if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = 'workers_facility'`); err != nil || n != 1 {
		t.Errorf("workers_facility index = %d, %v, want kept", n, err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO lesson_progress (worker_id, lesson_id, updated_at) VALUES (99, 'l1', ?)`, now); err == nil {
		t.Error("lesson_progress of worker 99 accepted: foreign keys to workers are lost")
	}
	var check string
	if err := db.GetContext(ctx, &check, `PRAGMA integrity_check`); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
}
