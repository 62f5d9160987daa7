// Package storetest gives each test a freshly migrated database: SQLite in a
// temporary directory always, and PostgreSQL too when TEST_DATABASE_URL is set,
// each test in a schema of its own that is dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// SQLite returns a migrated SQLite database in t's temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return Open(t, filepath.Join(t.TempDir(), "chanjo.db"))
}

// Postgres returns a migrated PostgreSQL database in a schema of its own, or
// nil when TEST_DATABASE_URL is not set.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := PostgresURL(t)
	if dsn == "" {
		return nil
	}
	return Open(t, dsn)
}

// PostgresURL returns the URL of an empty PostgreSQL schema of t's own,
// dropped afterwards, or "" when TEST_DATABASE_URL is not set: for tests of
// what happens before and during migration.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return ""
	}
	admin, err := store.Open(context.Background(), base)
	if err != nil {
		t.Fatalf("storetest: TEST_DATABASE_URL: %v", err)
	}
	schema := "t_" + randomHex(8)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Each runs fn once per available database: SQLite always, PostgreSQL when
// TEST_DATABASE_URL is set, as subtests named after the dialect.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv("TEST_DATABASE_URL") != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// Open opens the database named by dsn (a SQLite path or a postgres:// URL,
// such as PostgresURL's) migrated, and closes it when t ends: for tests
// that need the URL too, to give it to a process or a second connection.
func Open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
