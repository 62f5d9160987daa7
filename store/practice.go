package store

import (
	"context"
	"fmt"
)

// The latest answer to a question is the one of her latest attempt that
// asked it: attempt ids grow with time, answer times may tie.
const sqlMissedQuestions = `SELECT a.question_id FROM quiz_answers a
JOIN quiz_attempts t ON t.id = a.attempt_id
WHERE t.worker_id = ? AND t.form = 'practice' AND a.topic = ? AND NOT a.correct
AND a.attempt_id = (SELECT MAX(b.attempt_id) FROM quiz_answers b JOIN quiz_attempts u ON u.id = b.attempt_id
	WHERE u.worker_id = t.worker_id AND u.form = 'practice' AND b.question_id = a.question_id)
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
