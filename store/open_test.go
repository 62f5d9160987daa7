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

// On PostgreSQL every statement is planned with its binds, so the optional
// conditions the store binds ("(? OR f.sub_county IN (?))") fold away: with
// the generic plan PostgreSQL keeps after five runs of a prepared
// statement, a supervisor's per-nurse report read every worker.
func TestPostgresPlansWithTheBinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect != store.Postgres {
			t.Skip("SQLite has no plan cache mode")
		}
		var mode string
		if err := db.Get(&mode, `SHOW plan_cache_mode`); err != nil || mode != "force_custom_plan" {
			t.Errorf("plan_cache_mode = %q, %v; want force_custom_plan", mode, err)
		}
	})
}
