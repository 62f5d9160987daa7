package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Asked is one question as a test outside the store checks it.
type Asked struct {
	ID          int64         `db:"id"`
	WorkerID    int64         `db:"worker_id"`
	Body        string        `db:"body"`
	Source      string        `db:"source"`
	Answer      string        `db:"answer"`
	AnsweredBy  sql.NullInt64 `db:"answered_by"`
	EscalatedAt sql.NullTime  `db:"escalated_at"`
}

// Questions returns every question asked, oldest first.
func Questions(t testing.TB, db *store.DB) []Asked {
	t.Helper()
	var out []Asked
	if err := db.Select(&out, `SELECT id, worker_id, body, source, answer, answered_by, escalated_at FROM questions ORDER BY id`); err != nil {
		t.Fatalf("storetest: questions: %v", err)
	}
	return out
}

// Question records worker's question body, asked by SMS at at, with no
// relay to a mentor, and returns its id.
func Question(t testing.TB, db *store.DB, worker int64, body string, at time.Time) int64 {
	t.Helper()
	var id int64
	if err := db.Get(&id, db.Rebind(`INSERT INTO questions (worker_id, body, source, asked_at) VALUES (?, ?, 'sms', ?) RETURNING id`),
		worker, body, at.UTC()); err != nil {
		t.Fatalf("storetest: question: %v", err)
	}
	return id
}

// Escalated marks question id passed to the supervisor at at.
func Escalated(t testing.TB, db *store.DB, id int64, at time.Time) {
	t.Helper()
	seed(t, db, `UPDATE questions SET escalated_at = ? WHERE id = ?`, at.UTC(), id)
}

// Answered records mentor's answer to question id at at.
func Answered(t testing.TB, db *store.DB, id, mentor int64, answer string, at time.Time) {
	t.Helper()
	seed(t, db, `UPDATE questions SET answer = ?, answered_by = ?, answered_at = ? WHERE id = ?`, answer, mentor, at.UTC(), id)
}
