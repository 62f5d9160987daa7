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
	// Answer is "" until a mentor (or a console user) answers; Answerer is
	// her name.
	Answer      string       `db:"answer"`
	Answerer    string       `db:"answerer"`
	AnsweredAt  sql.NullTime `db:"answered_at"`
	EscalatedAt sql.NullTime `db:"escalated_at"`
	ClosedAt    sql.NullTime `db:"closed_at"`
	// Mentor is the nurse's mentor, "" when she has none; AssignedTo the
	// mentor the helpdesk handed the question to, "" when none.
	Mentor     string `db:"mentor"`
	AssignedTo string `db:"assigned"`
}

// Answered reports whether a mentor has answered the question.
func (q QuestionThread) Answered() bool { return q.AnsweredAt.Valid }

// State returns where the question stands, by the rule of Question.State.
func (q QuestionThread) State() QuestionState {
	return Question{AnsweredAt: q.AnsweredAt, ClosedAt: q.ClosedAt, EscalatedAt: q.EscalatedAt}.State()
}

// Waiting reports whether the question still waits for an answer: open or
// passed on.
func (q QuestionThread) Waiting() bool { return !q.AnsweredAt.Valid && !q.ClosedAt.Valid }

func (q *QuestionThread) utc() {
	q.AskedAt = q.AskedAt.UTC()
	q.AnsweredAt.Time = q.AnsweredAt.Time.UTC()
	q.EscalatedAt.Time = q.EscalatedAt.Time.UTC()
	q.ClosedAt.Time = q.ClosedAt.Time.UTC()
}

const sqlQuestionThreads = `SELECT q.id, q.body, q.source, q.asked_at, q.worker_id, w.name AS nurse, w.phone,
    COALESCE(f.name, '') AS facility, COALESCE(f.sub_county, '') AS sub_county,
    q.answer, COALESCE(m.name, u.name, '') AS answerer, q.answered_at, q.escalated_at, q.closed_at,
    COALESCE((SELECT mw.name FROM mentor_pairs p JOIN workers mw ON mw.id = p.mentor_id
              WHERE p.mentee_id = q.worker_id ORDER BY mw.id LIMIT 1), '') AS mentor,
    COALESCE(a.name, '') AS assigned
FROM questions q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
LEFT JOIN workers m ON m.id = q.answered_by LEFT JOIN users u ON u.id = q.answered_by_user
LEFT JOIN workers a ON a.id = q.assigned_to`

// sqlQuestionThreadsPage selects the questions of nurses inside the scope
// in the listed states (every state when the first bind is true; the CASE
// is Question.State's rule). Questions waiting for an answer come first,
// the longest waiting at the top; then the answered and closed ones,
// newest first.
const sqlQuestionThreadsPage = sqlQuestionThreads + `
WHERE (? OR f.sub_county IN (?))
  AND (? OR CASE WHEN q.answered_at IS NOT NULL THEN 'answered' WHEN q.closed_at IS NOT NULL THEN 'closed'
                 WHEN q.escalated_at IS NOT NULL THEN 'passed_on' ELSE 'open' END IN (?))
ORDER BY CASE WHEN q.answered_at IS NULL AND q.closed_at IS NULL THEN 0 ELSE 1 END,
    CASE WHEN q.answered_at IS NULL AND q.closed_at IS NULL THEN q.asked_at END, q.asked_at DESC, q.id DESC LIMIT ?`

const sqlQuestionThread = sqlQuestionThreads + `
WHERE q.id = ? AND (? OR f.sub_county IN (?))`

// QuestionThreads returns up to limit questions of nurses inside the scope
// in one of states (every state when none is given): the unanswered first,
// the longest waiting at the top, then the others, newest first.
func (db *DB) QuestionThreads(ctx context.Context, sc Scope, limit int, states ...QuestionState) ([]QuestionThread, error) {
	admin, subCounties := sc.inArgs()
	every, listed := optionalIn(states)
	var qs []QuestionThread
	err := db.inSelect(ctx, db, &qs, sqlQuestionThreadsPage, admin, subCounties, every, listed, limit)
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
	admin, subCounties := sc.inArgs()
	var q QuestionThread
	err := db.inGet(ctx, db, &q, sqlQuestionThread, id, admin, subCounties)
	if errors.Is(err, sql.ErrNoRows) {
		return QuestionThread{}, ErrNotFound
	}
	if err != nil {
		return QuestionThread{}, fmt.Errorf("store: question thread %d: %w", id, err)
	}
	q.utc()
	return q, nil
}
