package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// QuestionThread is an ask-a-mentor question as the supervisors' console
// shows it: who asked, from where, and the answer relayed back.
type QuestionThread struct {
	ID        int64     `db:"id"`
	Body      string    `db:"body"`
	Source    string    `db:"source"` // ussd | sms
	AskedAt   time.Time `db:"asked_at"`
	WorkerID  int64     `db:"worker_id"`
	Nurse     string    `db:"nurse"`
	Phone     string    `db:"phone"`
	Facility  string    `db:"facility"`
	SubCounty string    `db:"sub_county"`
	// Answer is "" until a mentor answers; Answerer is her name.
	Answer      string       `db:"answer"`
	Answerer    string       `db:"answerer"`
	AnsweredAt  sql.NullTime `db:"answered_at"`
	EscalatedAt sql.NullTime `db:"escalated_at"`
}

// Answered reports whether a mentor has answered the question.
func (q QuestionThread) Answered() bool { return q.AnsweredAt.Valid }

func (q *QuestionThread) utc() {
	q.AskedAt = q.AskedAt.UTC()
	q.AnsweredAt.Time = q.AnsweredAt.Time.UTC()
	q.EscalatedAt.Time = q.EscalatedAt.Time.UTC()
}

const sqlQuestionThreads = `SELECT q.id, q.body, q.source, q.asked_at, q.worker_id, w.name AS nurse, w.phone,
    COALESCE(f.name, '') AS facility, COALESCE(f.sub_county, '') AS sub_county,
    q.answer, COALESCE(m.name, '') AS answerer, q.answered_at, q.escalated_at
FROM questions q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
LEFT JOIN workers m ON m.id = q.answered_by
WHERE `

// Unanswered questions come first, the longest waiting at the top; then
// the answered ones, newest first.
const sqlQuestionThreadsOrder = ` ORDER BY CASE WHEN q.answered_at IS NULL THEN 0 ELSE 1 END,
    CASE WHEN q.answered_at IS NULL THEN q.asked_at END, q.asked_at DESC, q.id DESC LIMIT ?`

// QuestionThreads returns up to limit questions of nurses inside the scope:
// the unanswered first, the longest waiting at the top, then the answered,
// newest first.
func (db *DB) QuestionThreads(ctx context.Context, sc Scope, limit int) ([]QuestionThread, error) {
	where, args := sc.clause("f.sub_county")
	var qs []QuestionThread
	err := db.SelectContext(ctx, &qs, db.Rebind(sqlQuestionThreads+where+sqlQuestionThreadsOrder), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: question threads: %w", err)
	}
	for i := range qs {
		qs[i].utc()
	}
	return qs, nil
}

// QuestionThread returns the question id when its nurse is inside the
// scope, else ErrNotFound.
func (db *DB) QuestionThread(ctx context.Context, sc Scope, id int64) (QuestionThread, error) {
	where, args := sc.clause("f.sub_county")
	var q QuestionThread
	err := db.GetContext(ctx, &q, db.Rebind(sqlQuestionThreads+"q.id = ? AND "+where), append([]any{id}, args...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return QuestionThread{}, ErrNotFound
	}
	if err != nil {
		return QuestionThread{}, fmt.Errorf("store: question thread %d: %w", id, err)
	}
	q.utc()
	return q, nil
}
