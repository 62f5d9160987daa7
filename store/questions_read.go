package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
LEFT JOIN workers a ON a.id = q.assigned_to
WHERE `

// questionStates are the conditions on q of each state (Question.State's
// rule in SQL).
var questionStates = map[QuestionState]string{
	QuestionOpen:     `(q.answered_at IS NULL AND q.closed_at IS NULL AND q.escalated_at IS NULL)`,
	QuestionPassedOn: `(q.answered_at IS NULL AND q.closed_at IS NULL AND q.escalated_at IS NOT NULL)`,
	QuestionAnswered: `(q.answered_at IS NOT NULL)`,
	QuestionClosed:   `(q.answered_at IS NULL AND q.closed_at IS NOT NULL)`,
}

// statesClause is " AND (…)" keeping the questions in one of states; "" for
// none (every state).
func statesClause(states []QuestionState) string {
	var conds []string
	for _, s := range states {
		if c, ok := questionStates[s]; ok {
			conds = append(conds, c)
		}
	}
	if len(conds) == 0 {
		return ""
	}
	return " AND (" + strings.Join(conds, " OR ") + ")"
}

// Questions waiting for an answer come first, the longest waiting at the
// top; then the answered and closed ones, newest first.
const sqlQuestionThreadsOrder = ` ORDER BY CASE WHEN q.answered_at IS NULL AND q.closed_at IS NULL THEN 0 ELSE 1 END,
    CASE WHEN q.answered_at IS NULL AND q.closed_at IS NULL THEN q.asked_at END, q.asked_at DESC, q.id DESC LIMIT ?`

// QuestionThreads returns up to limit questions of nurses inside the scope
// in one of states (every state when none is given): the unanswered first,
// the longest waiting at the top, then the others, newest first.
func (db *DB) QuestionThreads(ctx context.Context, sc Scope, limit int, states ...QuestionState) ([]QuestionThread, error) {
	where, args := sc.clause("f.sub_county")
	var qs []QuestionThread
	query := sqlQuestionThreads + where + statesClause(states) + sqlQuestionThreadsOrder
	err := db.SelectContext(ctx, &qs, db.Rebind(query), append(args, limit)...)
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
