package store

import (
	"context"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/percent"
)

// USSDSessionEnd is the gateway's end-of-session notification, kept for
// reports: how sessions end (Success, Incomplete, Failed) and how long they take.
type USSDSessionEnd struct {
	SessionID  string
	Phone      string
	Status     string
	Hops       int
	DurationMS int64
	Input      string
	Error      string
	EndedAt    time.Time
}

const sqlRecordUSSDSession = `
INSERT INTO ussd_sessions (session_id, phone, status, hops, duration_ms, input, error, ended_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (session_id) DO UPDATE SET phone = excluded.phone, status = excluded.status,
  hops = excluded.hops, duration_ms = excluded.duration_ms, input = excluded.input,
  error = excluded.error, ended_at = excluded.ended_at`

// RecordUSSDSession stores an end-of-session notification. The gateway may
// send one twice: the second replaces the first.
func (db *DB) RecordUSSDSession(ctx context.Context, e USSDSessionEnd) error {
	_, err := db.ExecContext(ctx, db.Rebind(sqlRecordUSSDSession),
		e.SessionID, e.Phone, e.Status, e.Hops, e.DurationMS, e.Input, e.Error, e.EndedAt.UTC())
	if err != nil {
		return fmt.Errorf("store: record ussd session: %w", err)
	}
	return nil
}

// ProgressCounts is what a nurse sees under "My progress".
type ProgressCounts struct {
	LessonsDone int
	Quizzes     int // finished quizzes of any form
	// QuizPercent is the share of right answers over every finished quiz,
	// rounded down; 0 when there is none.
	QuizPercent int
}

const sqlLessonsDone = `SELECT COUNT(*) FROM lesson_progress WHERE worker_id = ? AND completed_at IS NOT NULL`

const sqlQuizTotals = `
SELECT COUNT(*) AS n, COALESCE(SUM(score), 0) AS score, COALESCE(SUM(total), 0) AS total
FROM quiz_attempts WHERE worker_id = ? AND finished_at IS NOT NULL`

// WorkerProgress counts the worker's completed lessons and finished quizzes.
func (db *DB) WorkerProgress(ctx context.Context, workerID int64) (ProgressCounts, error) {
	var p ProgressCounts
	if err := db.GetContext(ctx, &p.LessonsDone, db.Rebind(sqlLessonsDone), workerID); err != nil {
		return p, fmt.Errorf("store: worker progress: %w", err)
	}
	var q struct {
		N     int   `db:"n"`
		Score int64 `db:"score"`
		Total int64 `db:"total"`
	}
	if err := db.GetContext(ctx, &q, db.Rebind(sqlQuizTotals), workerID); err != nil {
		return p, fmt.Errorf("store: worker progress: %w", err)
	}
	p.Quizzes = q.N
	p.QuizPercent = percent.Whole(int(q.Score), int(q.Total))
	return p, nil
}
