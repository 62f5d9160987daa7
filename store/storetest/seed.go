package storetest

import (
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// The seeds other packages' tests set up a roster with, and the reads they
// check the outbox with: their SQL lives here, beside the schema, so a test
// outside the store writes none and a migration changes one file.

// seed runs query (with ? binds) on db or fails t.
func seed(t testing.TB, db *store.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(db.Rebind(query), args...); err != nil {
		t.Fatalf("storetest: %s: %v", query, err)
	}
}

// Mentors makes the workers ids mentors.
func Mentors(t testing.TB, db *store.DB, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		seed(t, db, `UPDATE workers SET role = 'mentor' WHERE id = ?`, id)
	}
}

// Pair makes mentor the mentor of mentee, as of at.
func Pair(t testing.TB, db *store.DB, mentor, mentee int64, at time.Time) {
	t.Helper()
	seed(t, db, `INSERT INTO mentor_pairs (mentor_id, mentee_id, created_at) VALUES (?, ?, ?)`, mentor, mentee, at.UTC())
}

// Group makes a group named name, created at, of members, and returns its id.
func Group(t testing.TB, db *store.DB, name string, at time.Time, members ...int64) int64 {
	t.Helper()
	var id int64
	if err := db.Get(&id, db.Rebind(`INSERT INTO groups (name, created_at) VALUES (?, ?) RETURNING id`), name, at.UTC()); err != nil {
		t.Fatalf("storetest: group %q: %v", name, err)
	}
	for _, m := range members {
		Join(t, db, id, m)
	}
	return id
}

// Join adds worker to group, whatever scope either is in.
func Join(t testing.TB, db *store.DB, group, worker int64) {
	t.Helper()
	seed(t, db, `INSERT INTO group_members (group_id, worker_id) VALUES (?, ?)`, group, worker)
}

// Queued returns the bodies of the SMS of kind queued to phone, oldest
// first.
func Queued(t testing.TB, db *store.DB, phone string, kind store.OutKind) []string {
	t.Helper()
	var out []string
	if err := db.Select(&out, db.Rebind(`SELECT body FROM outbox WHERE kind = ? AND phone = ? ORDER BY id`), kind, phone); err != nil {
		t.Fatalf("storetest: queued to a phone: %v", err)
	}
	return out
}
