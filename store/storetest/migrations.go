package storetest

import (
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// FutureMigration records version as applied, as a newer binary leaves a
// migration this one does not know during a rolling upgrade.
func FutureMigration(t testing.TB, db *store.DB, version string) {
	t.Helper()
	seed(t, db, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, db.Now().UTC())
}

// LastMigration returns the newest migration version applied.
func LastMigration(t testing.TB, db *store.DB) string {
	t.Helper()
	var v string
	if err := db.Get(&v, `SELECT MAX(version) FROM schema_migrations`); err != nil {
		t.Fatalf("storetest: last migration: %v", err)
	}
	return v
}
