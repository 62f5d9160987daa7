package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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
	err := db.GetContext(ctx, &id, db.Rebind(sqlStartAttempt), workerID, form, topic, seed, db.Now().UTC())
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: start attempt: %s: %w", form, ErrAlreadyTaken)
	}
	if err != nil {
		return 0, fmt.Errorf("store: start attempt: %w", err)
	}
	return id, nil
}

// A question answered twice (the same hop resent) keeps its first answer.
// sqlx repeats the VALUES row for each answer of a joined write.
const sqlRecordAnswers = `INSERT INTO quiz_answers (attempt_id, question_id, topic, chosen, correct, answered_at)
VALUES (:attempt_id, :question_id, :topic, :chosen, :correct, :answered_at) ON CONFLICT (attempt_id, question_id) DO NOTHING`

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

// writeAnswers is the joined write of RecordAnswer.
func (db *DB) writeAnswers(ctx context.Context, rows []answerRow) error {
	_, err := db.NamedExecContext(ctx, sqlRecordAnswers, rows)
	return err
}

const sqlFinishAttempt = `UPDATE quiz_attempts SET finished_at = ?, score = ?, total = ? WHERE id = ? AND finished_at IS NULL`

// FinishAttempt records the score of an attempt: score right out of total.
// Finishing an attempt again changes nothing; an unknown attempt is
// ErrNotFound.
func (db *DB) FinishAttempt(ctx context.Context, attemptID int64, score, total int) error {
	res, err := db.ExecContext(ctx, db.Rebind(sqlFinishAttempt), db.Now().UTC(), score, total, attemptID)
	if err != nil {
		return fmt.Errorf("store: finish attempt: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: finish attempt: %w", err)
	}
	if n > 0 {
		return nil
	}
	var exists int
	if err := db.GetContext(ctx, &exists, db.Rebind(`SELECT COUNT(*) FROM quiz_attempts WHERE id = ?`), attemptID); err != nil {
		return fmt.Errorf("store: finish attempt: %w", err)
	}
	if exists == 0 {
		return fmt.Errorf("store: finish attempt %d: %w", attemptID, ErrNotFound)
	}
	return nil
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
