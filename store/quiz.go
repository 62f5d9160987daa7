package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ErrAlreadyTaken is returned when a nurse starts an assessment she has
// already started: each assessment is taken once.
var ErrAlreadyTaken = errors.New("assessment already taken")

// The quiz forms: practice, then the assessments in the order nurses take them.
const (
	FormPractice = "practice"
	FormBaseline = "baseline"
	FormMidline  = "midline"
	FormEndline  = "endline"
)

// ErrUnknownForm is returned for a form that is not one of the quiz forms.
var ErrUnknownForm = errors.New("unknown quiz form")

func checkForm(form string, practiceOK bool) error {
	switch form {
	case FormBaseline, FormMidline, FormEndline:
		return nil
	case FormPractice:
		if practiceOK {
			return nil
		}
	}
	return fmt.Errorf("%w %q", ErrUnknownForm, form)
}

// The unique index on (worker_id, form) of assessments makes a second start
// insert nothing, and so return no id.
const sqlStartAttempt = `INSERT INTO quiz_attempts (worker_id, form, topic, seed, started_at)
VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`

// StartAttempt starts a quiz and returns its id: a practice quiz on topic, or
// an assessment (topic ""). seed shuffles the options of the attempt. A
// second start of the same assessment returns ErrAlreadyTaken.
func (db *DB) StartAttempt(ctx context.Context, workerID int64, form, topic string, seed int64) (int64, error) {
	if err := checkForm(form, true); err != nil {
		return 0, fmt.Errorf("store: start attempt: %w", err)
	}
	var id int64
	args := []any{workerID, form, topic, seed, db.Now().UTC()}
	var err error
	if db.Dialect == Postgres {
		err = db.GetContext(ctx, &id, db.Rebind(sqlStartAttempt), args...)
	} else {
		// Prepared once a connection, as execPrepared's writes are.
		var stmt *sql.Stmt
		if stmt, err = db.prepared(ctx, sqlStartAttempt); err == nil {
			err = stmt.QueryRowContext(ctx, args...).Scan(&id)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: start attempt: %s: %w", form, ErrAlreadyTaken)
	}
	if err != nil {
		return 0, fmt.Errorf("store: start attempt: %w", err)
	}
	return id, nil
}

// answerRow is one answer of quiz_answers.
type answerRow struct {
	AttemptID  int64     `db:"attempt_id"`
	QuestionID string    `db:"question_id"`
	Topic      string    `db:"topic"`
	Chosen     int       `db:"chosen"`
	Correct    bool      `db:"correct"`
	AnsweredAt time.Time `db:"answered_at"`
}

// RecordAnswer stores the answer to one question of an attempt: chosen is
// the index of the option in the content pack. Recording a question again
// changes nothing. It returns once the answer is committed; the answers of
// nurses answering at the same moment share one commit (groupCommit), which
// on PostgreSQL is one WAL flush for them all.
func (db *DB) RecordAnswer(ctx context.Context, attemptID int64, questionID, topic string, chosen int, correct bool) error {
	a := answerRow{AttemptID: attemptID, QuestionID: questionID, Topic: topic, Chosen: chosen, Correct: correct, AnsweredAt: db.Now().UTC()}
	if err := db.answers.add(a); err != nil {
		return fmt.Errorf("store: record answer: %w", err)
	}
	return nil
}

// A question answered twice (the same hop resent, or twice in one joined
// write) keeps its first answer.
const sqlAnswersConflict = ` ON CONFLICT (attempt_id, question_id) DO NOTHING`

// sqlRecordAnswers is the joined write on PostgreSQL: sqlx repeats the
// VALUES row for each answer.
const sqlRecordAnswers = `INSERT INTO quiz_answers (attempt_id, question_id, topic, chosen, correct, answered_at)
VALUES (:attempt_id, :question_id, :topic, :chosen, :correct, :answered_at)` + sqlAnswersConflict

// writeAnswers is the joined write of RecordAnswer. On SQLite the answers
// are prepared before the transaction: preparing takes a connection of the
// pool, which a transaction holding one must not wait for (SQLite's pool
// is 4: 4 transactions preparing at once would wait for each other until
// their deadline).
func (db *DB) writeAnswers(ctx context.Context, rows []answerRow) error {
	if db.Dialect == Postgres {
		_, err := db.NamedExecContext(ctx, sqlRecordAnswers, rows)
		return err
	}
	if _, err := db.prepared(ctx, sqlRecordAnswer); err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *Tx) error {
		return db.insertAnswers(ctx, tx, rows...)
	})
}

// insertAnswers stores answers on SQLite in tx, one row a run of one
// statement (execPrepared). The joined write's gain on SQLite is its one
// transaction (one turn of the write lock, one commit), which a statement
// a row keeps.
func (db *DB) insertAnswers(ctx context.Context, tx *Tx, rows ...answerRow) error {
	for _, r := range rows {
		if _, err := db.execPrepared(ctx, tx, sqlRecordAnswer, r.AttemptID, r.QuestionID, r.Topic, r.Chosen, r.Correct, r.AnsweredAt); err != nil {
			return err
		}
	}
	return nil
}

// execPrepared runs query, in tx unless nil, prepared once a connection.
// For the quiz's writes: the SQLite driver prepares each statement it
// runs, and preparing a write to quiz_answers or quiz_attempts compiles
// their triggers too (practice_latest, the learning counts), 17 % of the
// server's CPU on the quiz walk when each run was prepared.
// On PostgreSQL pgx prepares and keeps each statement a connection itself.
// In a transaction, query must have been prepared before it began
// (writeAnswers says why).
func (db *DB) execPrepared(ctx context.Context, tx *Tx, query string, args ...any) (sql.Result, error) {
	if db.Dialect == Postgres {
		if tx != nil {
			return tx.ExecContext(ctx, query, args...)
		}
		return db.ExecContext(ctx, query, args...)
	}
	stmt, err := db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx != nil {
		stmt = tx.StmtContext(ctx, stmt)
		defer stmt.Close()
	}
	return stmt.ExecContext(ctx, args...)
}

const sqlFinishAttempt = `UPDATE quiz_attempts SET finished_at = ?, score = ?, total = ? WHERE id = ? AND finished_at IS NULL`

const sqlRecordAnswer = `INSERT INTO quiz_answers (attempt_id, question_id, topic, chosen, correct, answered_at)
VALUES (?, ?, ?, ?, ?, ?)` + sqlAnswersConflict

// On PostgreSQL the last answer and the score are one statement, so one
// round trip and one commit: the answer is inserted by the CTE whether or
// not the update finds the attempt unfinished.
const sqlAnswerAndFinish = `WITH answered AS (` + sqlRecordAnswer + `)
` + sqlFinishAttempt

// Answer is one answer to a question of an attempt: Chosen is the index of
// the option in the content pack.
type Answer struct {
	Attempt  int64
	Question string
	Topic    string
	Chosen   int
	Correct  bool
}

// QuizEnd is how an attempt ends: its last answer, if not recorded yet,
// its score, and the topic's completion when the score completes it.
type QuizEnd struct {
	Attempt      int64
	Last         *Answer // nil: every answer is recorded already
	Right, Total int
	Completion   *TopicCompletion // nil: the score completes no topic
}

// EndAttempt records the last answer of an attempt with its score and, when
// e.Completion is set, the topic's completion (CompleteTopic), all committed
// together: she sees her feedback only once they are durable, and an answer
// is never stored without the score it ends. On PostgreSQL the answer and
// the score are one statement; a transaction is begun only for a
// completion (or, on SQLite, for the two statements). It reports whether
// this call recorded the completion. Ending an attempt again changes
// nothing; an unknown attempt is ErrNotFound.
func (db *DB) EndAttempt(ctx context.Context, e QuizEnd) (bool, error) {
	if e.Completion == nil && (e.Last == nil || db.Dialect == Postgres) {
		if err := db.endAttempt(ctx, nil, e); err != nil {
			return false, fmt.Errorf("store: end attempt: %w", err)
		}
		return false, nil
	}
	if db.Dialect != Postgres {
		// Prepared before the transaction (writeAnswers says why).
		for _, q := range []string{sqlRecordAnswer, sqlFinishAttempt} {
			if _, err := db.prepared(ctx, q); err != nil {
				return false, fmt.Errorf("store: end attempt: %w", err)
			}
		}
	}
	var fresh bool
	err := db.Tx(ctx, func(tx *Tx) (err error) {
		if a := e.Last; a != nil && db.Dialect != Postgres {
			row := answerRow{AttemptID: a.Attempt, QuestionID: a.Question, Topic: a.Topic, Chosen: a.Chosen, Correct: a.Correct, AnsweredAt: db.Now().UTC()}
			if err := db.insertAnswers(ctx, tx, row); err != nil {
				return err
			}
			e.Last = nil
		}
		if err := db.endAttempt(ctx, tx, e); err != nil {
			return err
		}
		if e.Completion != nil {
			fresh, err = db.completeTopic(ctx, tx, *e.Completion)
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: end attempt: %w", err)
	}
	return fresh, nil
}

// endAttempt writes e's score, in tx unless nil, with e's last answer in
// the same statement (PostgreSQL: on SQLite EndAttempt inserts it before,
// in tx).
func (db *DB) endAttempt(ctx context.Context, tx *Tx, e QuizEnd) error {
	now := db.Now().UTC()
	finish := []any{now, e.Right, e.Total, e.Attempt}
	stmt := sqlFinishAttempt
	if a := e.Last; a != nil {
		answer := []any{a.Attempt, a.Question, a.Topic, a.Chosen, a.Correct, now}
		stmt, finish = sqlAnswerAndFinish, append(answer, finish...)
	}
	res, err := db.execPrepared(ctx, tx, db.Rebind(stmt), finish...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	var exists int
	var q sqlx.QueryerContext = db
	if tx != nil {
		q = tx
	}
	if err := sqlx.GetContext(ctx, q, &exists, db.Rebind(`SELECT COUNT(*) FROM quiz_attempts WHERE id = ?`), e.Attempt); err != nil {
		return err
	}
	if exists == 0 {
		return fmt.Errorf("attempt %d: %w", e.Attempt, ErrNotFound)
	}
	return nil
}

// FinishAttempt records the score of an attempt whose answers are all
// recorded: EndAttempt without a last answer or a completion.
func (db *DB) FinishAttempt(ctx context.Context, attemptID int64, score, total int) error {
	_, err := db.EndAttempt(ctx, QuizEnd{Attempt: attemptID, Right: score, Total: total})
	return err
}

// Score is a quiz score: right answers out of questions. Its fields are
// those of lessons.Result, so the caller converts with lessons.Result(score).
type Score struct {
	Right, Total int
}

// better reports whether s is a higher percentage than o.
func (s Score) better(o Score) bool {
	return s.Right*max(o.Total, 1) > o.Right*max(s.Total, 1)
}

// TopicQuiz is a nurse's finished practice quizzes on one topic.
type TopicQuiz struct {
	Attempts int
	Best     Score // the attempt with the highest percentage
	All      Score // every attempt added up: its percentage is her average
}

// QuizResults is a nurse's finished quizzes.
type QuizResults struct {
	Practice    map[string]TopicQuiz // by topic
	Assessments map[string]Score     // by form
}

const sqlQuizResults = `SELECT form, topic, score, total FROM quiz_attempts
WHERE worker_id = ? AND finished_at IS NOT NULL ORDER BY started_at, id`

// QuizResults returns the nurse's finished practice quizzes by topic and her
// finished assessments by form.
func (db *DB) QuizResults(ctx context.Context, workerID int64) (QuizResults, error) {
	var rows []struct {
		Form  string `db:"form"`
		Topic string `db:"topic"`
		Score int    `db:"score"`
		Total int    `db:"total"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlQuizResults), workerID); err != nil {
		return QuizResults{}, fmt.Errorf("store: quiz results: %w", err)
	}
	r := QuizResults{Practice: map[string]TopicQuiz{}, Assessments: map[string]Score{}}
	for _, row := range rows {
		s := Score{Right: row.Score, Total: row.Total}
		if row.Form != FormPractice {
			r.Assessments[row.Form] = s
			continue
		}
		q := r.Practice[row.Topic]
		if q.Attempts == 0 || s.better(q.Best) {
			q.Best = s
		}
		q.Attempts++
		q.All = Score{Right: q.All.Right + s.Right, Total: q.All.Total + s.Total}
		r.Practice[row.Topic] = q
	}
	return r, nil
}

// Attempt is one quiz attempt with the answers recorded so far.
type Attempt struct {
	ID       int64          `db:"id"`
	WorkerID int64          `db:"worker_id"`
	Form     string         `db:"form"`
	Topic    string         `db:"topic"`
	Seed     int64          `db:"seed"`
	Started  time.Time      `db:"started_at"`
	Finished sql.NullTime   `db:"finished_at"`
	Score    int            `db:"score"`
	Total    int            `db:"total"`
	Answers  map[string]int `db:"-"` // chosen option by question id
}

const sqlAssessmentAttempt = `SELECT id, worker_id, form, topic, seed, started_at, finished_at, score, total
FROM quiz_attempts WHERE worker_id = ? AND form = ?`

const sqlAttemptAnswers = `SELECT question_id, chosen FROM quiz_answers WHERE attempt_id = ?`

// AssessmentAttempt returns the nurse's attempt at an assessment form with
// its answers, so that an unfinished one resumes at the first question
// without an answer; ErrNotFound when she has not started it.
func (db *DB) AssessmentAttempt(ctx context.Context, workerID int64, form string) (Attempt, error) {
	if err := checkForm(form, false); err != nil {
		return Attempt{}, fmt.Errorf("store: assessment attempt: %w", err)
	}
	var a Attempt
	err := db.GetContext(ctx, &a, db.Rebind(sqlAssessmentAttempt), workerID, form)
	if errors.Is(err, sql.ErrNoRows) {
		return Attempt{}, ErrNotFound
	}
	if err != nil {
		return Attempt{}, fmt.Errorf("store: assessment attempt: %w", err)
	}
	var answers []struct {
		Question string `db:"question_id"`
		Chosen   int    `db:"chosen"`
	}
	if err := db.SelectContext(ctx, &answers, db.Rebind(sqlAttemptAnswers), a.ID); err != nil {
		return Attempt{}, fmt.Errorf("store: assessment attempt: %w", err)
	}
	a.Started = a.Started.UTC()
	a.Answers = make(map[string]int, len(answers))
	for _, x := range answers {
		a.Answers[x.Question] = x.Chosen
	}
	return a, nil
}
