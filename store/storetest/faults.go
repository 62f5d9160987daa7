package storetest

import (
	"context"
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// HangInboundWrites holds a lock that keeps every write of an incoming SMS
// waiting, as a database that stops answering does, until release is
// called: on SQLite the database's write lock, on PostgreSQL the table's.
func HangInboundWrites(t testing.TB, db *store.DB) (release func()) {
	t.Helper()
	tx, err := db.BeginTxx(context.Background(), nil)
	if err != nil {
		t.Fatalf("storetest: hang inbound writes: %v", err)
	}
	lock := `INSERT INTO settings (key, value) VALUES ('lock', 'held')`
	if db.Dialect == store.Postgres {
		lock = `LOCK TABLE inbound_sms IN ACCESS EXCLUSIVE MODE`
	}
	if _, err := tx.Exec(lock); err != nil {
		tx.Rollback()
		t.Fatalf("storetest: hang inbound writes: %v", err)
	}
	return func() { tx.Rollback() }
}
