package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Broadcast records a broadcast of body to recipients people, sent at at,
// whose SMS the test queues itself, and returns its id.
func Broadcast(t testing.TB, db *store.DB, body string, recipients int, at time.Time) int64 {
	t.Helper()
	var id int64
	if err := db.Get(&id, db.Rebind(`INSERT INTO broadcasts (audience, body, send_at, recipients, segments, created_at)
VALUES ('{}', ?, ?, ?, 1, ?) RETURNING id`), body, at.UTC(), recipients, at.UTC()); err != nil {
		t.Fatalf("storetest: broadcast: %v", err)
	}
	return id
}

// AllBroadcasts returns every broadcast, as an administrator's console
// lists them.
func AllBroadcasts(t testing.TB, db *store.DB) []store.Broadcast {
	t.Helper()
	bs, err := db.Broadcasts(context.Background(), store.Scope{Admin: true}, 1<<20)
	if err != nil {
		t.Fatalf("storetest: broadcasts: %v", err)
	}
	return bs
}

// TornBroadcasts returns how many broadcasts lack some of their outgoing
// SMS: a copy taken in the middle of a broadcast's transaction has some.
func TornBroadcasts(t testing.TB, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT COUNT(*) FROM broadcasts b WHERE b.recipients <> (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id)`); err != nil {
		t.Fatalf("storetest: torn broadcasts: %v", err)
	}
	return n
}
