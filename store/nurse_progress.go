package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/chanjo-health/chanjo/percent"
)

// NurseProgress is one active nurse's line of the per-nurse report: who is
// behind.
type NurseProgress struct {
	ID         int64           `db:"id"`
	Name       string          `db:"name"`
	Phone      string          `db:"phone"`
	Facility   string          `db:"facility"`
	LastDialAt sql.NullTime    `db:"last_dial_at"`
	Lessons    int             `db:"lessons"`  // lessons completed (in the period)
	Quizzes    int             `db:"quizzes"`  // practice quizzes finished (in the period)
	Score      int             `db:"score"`    // their summed score
	Total      int             `db:"total"`    // and summed total
	Baseline   sql.NullFloat64 `db:"baseline"` // baseline assessment score in percent
	Latest     sql.NullFloat64 `db:"latest"`   // latest later assessment (midline or endline), in percent
}

// QuizPct is the practice quizzes' average score in percent; ok is false
// without a quiz.
func (n NurseProgress) QuizPct() (pct float64, ok bool) {
	if n.Total == 0 {
		return 0, false
	}
	return percent.Of(n.Score, n.Total), true
}

// Change is the latest assessment's score minus the baseline's, in
// points; ok is false without both.
func (n NurseProgress) Change() (points float64, ok bool) {
	if !n.Baseline.Valid || !n.Latest.Valid {
		return 0, false
	}
	return n.Latest.Float64 - n.Baseline.Float64, true
}

// sqlNurseProgress lists the active nurses inside the scope and filter,
// each counted through correlated look-ups that the per-worker indexes
// answer, so a supervisor's list reads her nurses' rows only, never the
// country's. The period (ReportFilter.periodBinds, on p.completed_at and
// q.finished_at) narrows the lessons and quizzes; an assessment change
// spans forms, so it is not narrowed (an assessment's score in percent is
// from its answers). Those behind come first: fewest lessons, then the
// longest silent. The inner query sorts by lessons alone and keeps the page
// (the LIMIT), so the quizzes and assessments are looked up for the lines
// shown only (for every nurse of a sub-county of 10,000 they took most of
// the report).
const sqlNurseProgress = `SELECT b.*,
    (SELECT COUNT(*) FROM quiz_attempts q WHERE q.worker_id = b.id AND q.form = 'practice' AND q.finished_at IS NOT NULL
        AND (? OR q.finished_at >= ?) AND (? OR q.finished_at < ?)) AS quizzes,
    (SELECT COALESCE(SUM(q.score), 0) FROM quiz_attempts q WHERE q.worker_id = b.id AND q.form = 'practice' AND q.finished_at IS NOT NULL
        AND (? OR q.finished_at >= ?) AND (? OR q.finished_at < ?)) AS score,
    (SELECT COALESCE(SUM(q.total), 0) FROM quiz_attempts q WHERE q.worker_id = b.id AND q.form = 'practice' AND q.finished_at IS NOT NULL
        AND (? OR q.finished_at >= ?) AND (? OR q.finished_at < ?)) AS total,
    (SELECT (SELECT 100.0 * SUM(CASE WHEN qa.correct THEN 1 ELSE 0 END) / COUNT(*) FROM quiz_answers qa WHERE qa.attempt_id = a.id)
        FROM quiz_attempts a WHERE a.worker_id = b.id AND a.form = 'baseline' AND a.finished_at IS NOT NULL) AS baseline,
    (SELECT (SELECT 100.0 * SUM(CASE WHEN qa.correct THEN 1 ELSE 0 END) / COUNT(*) FROM quiz_answers qa WHERE qa.attempt_id = a.id)
        FROM quiz_attempts a WHERE a.id = (SELECT a2.id FROM quiz_attempts a2 WHERE a2.worker_id = b.id
        AND a2.form IN ('midline', 'endline') AND a2.finished_at IS NOT NULL ORDER BY a2.finished_at DESC, a2.id DESC LIMIT 1)) AS latest
FROM (SELECT w.id, w.name, w.phone, COALESCE(f.name, '') AS facility, w.last_dial_at,
        (SELECT COUNT(*) FROM lesson_progress p WHERE p.worker_id = w.id AND p.completed_at IS NOT NULL
            AND (? OR p.completed_at >= ?) AND (? OR p.completed_at < ?)) AS lessons
    FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE w.status = 'active' AND w.role = 'nurse'
      AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
      AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
    ORDER BY lessons, CASE WHEN w.last_dial_at IS NULL THEN 0 ELSE 1 END, w.last_dial_at, w.name, w.id LIMIT ?) b
ORDER BY b.lessons, CASE WHEN b.last_dial_at IS NULL THEN 0 ELSE 1 END, b.last_dial_at, b.name, b.id`

// NurseProgresses returns the per-nurse report of the active nurses inside
// the scope narrowed by fl, those behind first; limit > 0 keeps the first
// limit lines.
func (db *DB) NurseProgresses(ctx context.Context, sc Scope, fl ReportFilter, limit int) ([]NurseProgress, error) {
	if limit <= 0 {
		limit = math.MaxInt32 // every line: a LIMIT no sub-county reaches
	}
	period := fl.periodBinds()
	var args []any
	for range 4 { // the quizzes' three look-ups, then the lessons'
		args = append(args, period...)
	}
	args = append(append(args, fl.binds(sc)...), limit)
	var rows []NurseProgress
	if err := db.inSelect(ctx, db, &rows, sqlNurseProgress, args...); err != nil {
		return nil, fmt.Errorf("store: nurse progress: %w", err)
	}
	return rows, nil
}
