package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Where a question went when it was asked.
const (
	AskedMentor     = "mentor"     // to her mentors
	AskedGroup      = "group"      // she has no mentor: to the mentors of her groups
	AskedSupervisor = "supervisor" // no mentor in reach: kept for the supervisor's console
)

// ErrNotYours is returned for an answer to a question the mentor may not
// answer: not her mentee's, and not one relayed to her group.
var ErrNotYours = errors.New("not a question this mentor may answer")

// ErrAlreadyAnswered is returned for a second answer to a question: the
// first answer is the one the nurse gets.
var ErrAlreadyAnswered = errors.New("question already answered")

// ErrEmptyQuestion is wrapped by the error for a question or answer without text.
var ErrEmptyQuestion = errors.New("no text")

// repeatWindow is how long the same text from the same worker counts as the
// same question: a replayed USSD hop or a resent SMS asks nothing new.
const repeatWindow = time.Hour

// Question is a health worker's question for a mentor, with its answer.
type Question struct {
	ID       int64     `db:"id"`
	WorkerID int64     `db:"worker_id"`
	Body     string    `db:"body"`
	Source   string    `db:"source"` // ussd | sms
	AskedAt  time.Time `db:"asked_at"`
	// Answer is "" until a mentor answers.
	Answer     string        `db:"answer"`
	AnsweredBy sql.NullInt64 `db:"answered_by"`
	AnsweredAt sql.NullTime  `db:"answered_at"`
	// Answerer is the name of the mentor (or the console user) who
	// answered, "" before.
	Answerer    string       `db:"answerer"`
	EscalatedAt sql.NullTime `db:"escalated_at"`
	ClosedAt    sql.NullTime `db:"closed_at"`
	// Corrected is set by AnswerQuestion when the answer replaced the
	// same mentor's earlier one.
	Corrected bool `db:"-"`
	// The asker: her name, number and language.
	Name     string `db:"name"`
	Phone    string `db:"phone"`
	Language string `db:"language"`
}

// Answered reports whether a mentor has answered the question.
func (q Question) Answered() bool { return q.AnsweredAt.Valid }

func (q *Question) utc() {
	q.AskedAt = q.AskedAt.UTC()
	q.AnsweredAt.Time = q.AnsweredAt.Time.UTC()
	q.EscalatedAt.Time = q.EscalatedAt.Time.UTC()
}

// Asked says what became of a question.
type Asked struct {
	ID int64
	// To is AskedMentor, AskedGroup or AskedSupervisor.
	To string
	// Mentors is how many mentors the question was sent to.
	Mentors int
	// Repeat is set when the same text was asked within the hour: nothing
	// new was stored, and nobody is to be told again.
	Repeat bool
	// Notify are the mentors to tell of the question: none for a repeat.
	Notify []Contact
}

const sqlMentorsOf = `SELECT w.id, w.phone, w.language FROM mentor_pairs p JOIN workers w ON w.id = p.mentor_id
WHERE p.mentee_id = ? AND w.status = 'active' AND w.id <> ? ORDER BY w.id`

// sqlGroupMentorsOf selects the active mentors who share a group with the
// worker, but not the worker herself nor her own mentors.
const sqlGroupMentorsOf = `SELECT DISTINCT w.id, w.phone, w.language
FROM group_members a JOIN group_members b ON b.group_id = a.group_id JOIN workers w ON w.id = b.worker_id
WHERE a.worker_id = ? AND w.role = 'mentor' AND w.status = 'active' AND w.id <> ?
  AND w.id NOT IN (SELECT mentor_id FROM mentor_pairs WHERE mentee_id = ?) ORDER BY w.id`

const sqlRepeatQuestion = `SELECT id FROM questions WHERE worker_id = ? AND body = ? AND asked_at > ?
ORDER BY id DESC LIMIT 1`

const sqlInsertQuestion = `INSERT INTO questions (worker_id, body, source, asked_at) VALUES (?, ?, ?, ?) RETURNING id`

// AskQuestion stores, in tx, the worker's question (source "ussd" or "sms")
// and finds who is to answer it: her mentors; a nurse with no mentor
// reaches the mentors of her groups, and one with neither is kept for the
// supervisor. The same text asked again within the hour is the same
// question (Repeat): nothing is stored twice.
func (db *DB) AskQuestion(ctx context.Context, tx *Tx, workerID int64, body, source string) (Asked, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return Asked{}, fmt.Errorf("store: ask question: %w", ErrEmptyQuestion)
	}
	now := db.Now().UTC()
	var a Asked
	err := tx.GetContext(ctx, &a.ID, db.Rebind(sqlRepeatQuestion), workerID, body, now.Add(-repeatWindow))
	switch {
	case err == nil:
		a.Repeat = true
	case errors.Is(err, sql.ErrNoRows):
		err = tx.GetContext(ctx, &a.ID, db.Rebind(sqlInsertQuestion), workerID, body, source, now)
	}
	if err != nil {
		return Asked{}, fmt.Errorf("store: ask question: %w", err)
	}
	var to []Contact
	if err := tx.SelectContext(ctx, &to, db.Rebind(sqlMentorsOf), workerID, workerID); err != nil {
		return Asked{}, fmt.Errorf("store: ask question: mentors: %w", err)
	}
	a.To = AskedMentor
	if len(to) == 0 {
		if err := tx.SelectContext(ctx, &to, db.Rebind(sqlGroupMentorsOf), workerID, workerID, workerID); err != nil {
			return Asked{}, fmt.Errorf("store: ask question: group mentors: %w", err)
		}
		a.To = AskedGroup
	}
	if len(to) == 0 {
		a.To = AskedSupervisor
	}
	a.Mentors = len(to)
	if !a.Repeat {
		a.Notify = to
	}
	return a, nil
}

// Asker is what a mentor is told of who asked a question, and the question.
type Asker struct {
	Name     string `db:"name"`
	Facility string `db:"facility"` // "" when she has none
	Body     string `db:"body"`
}

const sqlAsker = `SELECT w.name, COALESCE(f.name, '') AS facility, q.body FROM questions q JOIN workers w ON w.id = q.worker_id
LEFT JOIN facilities f ON f.id = w.facility_id WHERE q.id = ?`

// QuestionAsker returns, in tx, the asker of question id and its text.
func (db *DB) QuestionAsker(ctx context.Context, tx *Tx, id int64) (Asker, error) {
	var a Asker
	if err := tx.GetContext(ctx, &a, db.Rebind(sqlAsker), id); err != nil {
		return Asker{}, fmt.Errorf("store: asker of question %d: %w", id, err)
	}
	return a, nil
}

const sqlQuestion = `SELECT q.id, q.worker_id, q.body, q.source, q.asked_at, q.answer, q.answered_by, q.answered_at,
       q.escalated_at, q.closed_at, COALESCE(m.name, u.name, '') AS answerer, w.name, w.phone, w.language
FROM questions q JOIN workers w ON w.id = q.worker_id LEFT JOIN workers m ON m.id = q.answered_by
LEFT JOIN users u ON u.id = q.answered_by_user`

func (db *DB) question(ctx context.Context, q sqlx.QueryerContext, id int64) (Question, error) {
	var out Question
	err := sqlx.GetContext(ctx, q, &out, db.Rebind(sqlQuestion+` WHERE q.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Question{}, ErrNotFound
	}
	out.utc()
	return out, err
}

// WorkerQuestion returns the worker's question id, or ErrNotFound when she
// did not ask it.
func (db *DB) WorkerQuestion(ctx context.Context, workerID, id int64) (Question, error) {
	q, err := db.question(ctx, db, id)
	if err == nil && q.WorkerID != workerID {
		err = ErrNotFound
	}
	if err != nil {
		return Question{}, fmt.Errorf("store: question %d: %w", id, err)
	}
	return q, nil
}

// MyQuestions returns the worker's latest limit questions, newest first.
func (db *DB) MyQuestions(ctx context.Context, workerID int64, limit int) ([]Question, error) {
	var qs []Question
	err := db.SelectContext(ctx, &qs, db.Rebind(sqlQuestion+` WHERE q.worker_id = ? ORDER BY q.id DESC LIMIT ?`), workerID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: my questions: %w", err)
	}
	for i := range qs {
		qs[i].utc()
	}
	return qs, nil
}

// sqlMayAnswer is 1 when the mentor may answer the question: she is the
// asker's mentor, or a mentor of one of the asker's groups once the
// question went to the group (escalated, or asked by a nurse without mentor).
const sqlMayAnswer = `SELECT COUNT(*) FROM questions q WHERE q.id = ? AND ` + mayAnswerBy

const sqlAnswerOnce = `UPDATE questions SET answer = ?, answered_by = ?, answered_at = ?
WHERE id = ? AND answered_at IS NULL AND closed_at IS NULL`

// sqlCorrectAnswer replaces an answer by the mentor who gave it; answered_at
// stays the time of the first, which the nurse got.
const sqlCorrectAnswer = `UPDATE questions SET answer = ? WHERE id = ? AND answered_by = ?`

// AnswerQuestion stores the mentor's answer to question id in tx, once, and
// returns the question as answered (with the asker's number and language,
// for the SMS that takes the answer to her). ErrNotFound for no such
// question, ErrNotYours for one she may not answer, ErrAlreadyAnswered (with
// the question as first answered) for a second answer, ErrQuestionClosed for
// one staff closed (the nurse gets nothing).
func (db *DB) AnswerQuestion(ctx context.Context, tx *Tx, id, mentorID int64, answer string) (Question, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return Question{}, fmt.Errorf("store: answer question %d: %w", id, ErrEmptyQuestion)
	}
	q, err := db.answer(ctx, tx, id, mentorID, answer)
	if err != nil && !errors.Is(err, ErrAlreadyAnswered) {
		return q, fmt.Errorf("store: answer question %d: %w", id, err)
	}
	return q, err
}

func (db *DB) answer(ctx context.Context, tx *Tx, id, mentorID int64, answer string) (Question, error) {
	var may int
	if err := tx.GetContext(ctx, &may, db.Rebind(sqlMayAnswer), append([]any{id}, mayAnswerArgs(mentorID)...)...); err != nil {
		return Question{}, err
	}
	if may == 0 {
		if _, err := db.question(ctx, tx, id); err != nil {
			return Question{}, err
		}
		return Question{}, ErrNotYours
	}
	res, err := tx.ExecContext(ctx, db.Rebind(sqlAnswerOnce), answer, mentorID, db.Now().UTC(), id)
	if err != nil {
		return Question{}, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Question{}, err
	}
	q, err := db.question(ctx, tx, id)
	if err != nil || n == 1 {
		return q, err
	}
	if q.State() == QuestionClosed {
		return q, ErrQuestionClosed
	}
	if !q.AnsweredBy.Valid || q.AnsweredBy.Int64 != mentorID {
		return q, ErrAlreadyAnswered
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlCorrectAnswer), answer, id, mentorID); err != nil {
		return Question{}, err
	}
	q.Answer, q.Corrected = answer, true
	return q, nil
}

// The claim of the questions asked at or before ? and still waiting,
// oldest first (claimRows).
const (
	sqlClaimStaleQuestionsSQLite = `UPDATE questions SET lease_owner = ?, lease_until = ?
WHERE id IN (SELECT id FROM questions
             WHERE answered_at IS NULL AND escalated_at IS NULL AND closed_at IS NULL AND asked_at <= ?
               AND (lease_until IS NULL OR lease_until < ?)
             ORDER BY asked_at, id LIMIT ?)
RETURNING id`
	sqlClaimStaleQuestionsPostgres = `UPDATE questions SET lease_owner = ?, lease_until = ?
WHERE id = ANY(ARRAY(SELECT id FROM questions
             WHERE answered_at IS NULL AND escalated_at IS NULL AND closed_at IS NULL AND asked_at <= ?
               AND (lease_until IS NULL OR lease_until < ?)
             ORDER BY asked_at, id LIMIT ? FOR UPDATE SKIP LOCKED))
RETURNING id`
)

// ClaimStaleQuestions leases to c.Owner up to c.Limit questions asked at or
// before cutoff that are neither answered nor escalated, and that no other
// process holds, oldest first; escalating one ends its lease.
func (db *DB) ClaimStaleQuestions(ctx context.Context, c RowClaim, cutoff time.Time) ([]int64, error) {
	ids, err := db.claimRows(ctx, sqlClaimStaleQuestionsSQLite, sqlClaimStaleQuestionsPostgres, c, db.Now().UTC(), cutoff.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: claim stale questions: %w", err)
	}
	return ids, nil
}

const sqlMarkEscalated = `UPDATE questions SET escalated_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND escalated_at IS NULL AND answered_at IS NULL`

// EscalateQuestion marks question id escalated in tx, if it is still
// neither answered nor escalated, and returns the mentors of the asker's
// groups who are not her mentors, who are to be told of it. The guarded
// update lets one of several instances win; escalated reports whether this
// call did (to is empty when the group has no other mentor: the question
// stays for the supervisor).
func (db *DB) EscalateQuestion(ctx context.Context, tx *Tx, id int64) (escalated bool, to []Contact, err error) {
	res, err := tx.ExecContext(ctx, db.Rebind(sqlMarkEscalated), db.Now().UTC(), id)
	if err != nil {
		return false, nil, fmt.Errorf("store: escalate question %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, nil, err
	}
	var worker int64
	if err := tx.GetContext(ctx, &worker, db.Rebind(`SELECT worker_id FROM questions WHERE id = ?`), id); err != nil {
		return false, nil, fmt.Errorf("store: escalate question %d: %w", id, err)
	}
	if err := tx.SelectContext(ctx, &to, db.Rebind(sqlGroupMentorsOf), worker, worker, worker); err != nil {
		return false, nil, fmt.Errorf("store: escalate question %d: %w", id, err)
	}
	return true, to, nil
}
