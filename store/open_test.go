package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestOpenPathWithURICharacters opens a SQLite file in a folder whose name
// holds '#', '?' and '%' (as t.TempDir does for a subtest named "#00"): the
// file must be made where it was asked, with the store's pragmas, not at the
// path cut at the '#', which every test run on the machine would share.
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a#00?b%20c")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "chanjo.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Open(%q) did not make the file there: %v", path, err)
	}
	var mode string
	if err := db.GetContext(context.Background(), &mode, `PRAGMA journal_mode`); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal (the pragmas were lost)", mode)
	}
}

// On PostgreSQL the statements with bound optional conditions ("(? OR
// f.sub_county IN (?))") are planned with their binds every time, never kept
// as prepared statements whose generic plan cannot fold the condition away
// (a supervisor's per-nurse report read every worker of the country).
func TestScopedStatementsPlannedWithTheirBinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect != store.Postgres {
			t.Skip("SQLite plans every statement afresh: nothing to show")
		}
		ctx := context.Background()
		conn, err := db.Connx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for range 7 { // past the five runs after which PostgreSQL may go generic
			var n int
			if err := store.InGet(ctx, db, conn, &n, `SELECT COUNT(*) /* planned-probe */ FROM workers WHERE (? OR phone IN (?))`,
				false, []string{"+254700000001"}); err != nil {
				t.Fatal(err)
			}
		}
		var kept int
		if err := conn.GetContext(ctx, &kept, `SELECT COUNT(*) FROM pg_prepared_statements
WHERE statement LIKE '%planned-probe%' AND statement NOT LIKE '%pg_prepared_statements%'`); err != nil || kept != 0 {
			t.Errorf("prepared statements kept of the scoped read = %d, %v; want 0 (planned with their binds each time)", kept, err)
		}
	})
}
