package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chanjo-health/chanjo/store"
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
