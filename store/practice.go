package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Her latest answer to each practice question is a row of practice_latest
// (migration 0050, kept by a trigger on quiz_answers), found by her id: the
// read costs the questions she has answered, not her quizzes (read from all
// her practice answers it set the quiz walk's p99, 8-14 ms at 63 quizzes).
const sqlMissed = `SELECT attempt_id, question_id FROM practice_latest
WHERE worker_id = ? AND topic = ? AND NOT correct`

const sqlMissedQuestions = `SELECT m.question_id FROM (` + sqlMissed + `) m ORDER BY m.attempt_id, m.question_id`

// On PostgreSQL the attempt's start and the read of her misses are one
// statement, so one round trip: the read sees the answers as they were
// before the insert, which adds none. The join keeps the attempt's row
// when she has missed nothing (question_id NULL).
const sqlStartPractice = `WITH started AS (INSERT INTO quiz_attempts (worker_id, form, topic, seed, started_at)
VALUES (?, 'practice', ?, ?, ?) RETURNING id)
SELECT started.id, m.question_id FROM started LEFT JOIN (` + sqlMissed + `) m ON TRUE
ORDER BY m.attempt_id, m.question_id`

// StartPractice starts a practice quiz on topic (StartAttempt) and returns
// its id with the ids of the practice questions of topic that the nurse
// answered wrong the last time she was asked them, oldest miss first, so
// that the quiz asks them again. On PostgreSQL it is one round trip.
func (db *DB) StartPractice(ctx context.Context, workerID int64, topic string, seed int64) (int64, []string, error) {
	if db.Dialect != Postgres {
		missed, err := db.MissedQuestions(ctx, workerID, topic)
		if err != nil {
			return 0, nil, err
		}
		id, err := db.StartAttempt(ctx, workerID, FormPractice, topic, seed)
		return id, missed, err
	}
	var rows []struct {
		ID       int64          `db:"id"`
		Question sql.NullString `db:"question_id"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(sqlStartPractice), workerID, topic, seed, db.Now().UTC(), workerID, topic)
	if err == nil && len(rows) == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return 0, nil, fmt.Errorf("store: start practice: %w", err)
	}
	var missed []string
	for _, r := range rows {
		if r.Question.Valid {
			missed = append(missed, r.Question.String)
		}
	}
	return rows[0].ID, missed, nil
}

// MissedQuestions returns the ids of the practice questions of topic that
// the nurse answered wrong the last time she was asked them, oldest miss
// first.
func (db *DB) MissedQuestions(ctx context.Context, workerID int64, topic string) ([]string, error) {
	var ids []string
	if err := db.SelectContext(ctx, &ids, db.Rebind(sqlMissedQuestions), workerID, topic); err != nil {
		return nil, fmt.Errorf("store: missed questions: %w", err)
	}
	return ids, nil
}
