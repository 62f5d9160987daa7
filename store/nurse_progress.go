package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
	return float64(n.Score) * 100 / float64(n.Total), true
}

// Change is the latest assessment's score minus the baseline's, in
// points; ok is false without both.
func (n NurseProgress) Change() (points float64, ok bool) {
	if !n.Baseline.Valid || !n.Latest.Valid {
		return 0, false
	}
	return n.Latest.Float64 - n.Baseline.Float64, true
}

// sqlAttemptPct is the score in percent of attempt %s, from its answers.
const sqlAttemptPct = `(SELECT 100.0 * SUM(CASE WHEN qa.correct THEN 1 ELSE 0 END) / COUNT(*) FROM quiz_answers qa WHERE qa.attempt_id = %s)`

// sqlNurseProgress lists the active nurses inside the scope and filter
// (%[6]s), each counted through correlated look-ups that the per-worker
// indexes answer, so a supervisor's list reads her nurses' rows only, never
// the country's. The period (%[1]s, %[2]s: conditions on p.completed_at and
// q.finished_at) narrows the lessons and quizzes; an assessment change
// spans forms, so it is not narrowed. Those behind come first: fewest
// lessons, then the longest silent. The inner query sorts by lessons alone
// and keeps the page (%[7]s, a LIMIT or nothing), so the quizzes and
// assessments are looked up for the lines shown only (for every nurse of
// a sub-county of 10,000 they took most of the report).
const sqlNurseProgress = `SELECT b.*,
    (SELECT COUNT(*) FROM quiz_attempts q WHERE q.worker_id = b.id AND q.form = 'practice' AND q.finished_at IS NOT NULL%[2]s) AS quizzes,
    (SELECT COALESCE(SUM(q.score), 0) FROM quiz_attempts q WHERE q.worker_id = b.id AND q.form = 'practice' AND q.finished_at IS NOT NULL%[3]s) AS score,
    (SELECT COALESCE(SUM(q.total), 0) FROM quiz_attempts q WHERE q.worker_id = b.id AND q.form = 'practice' AND q.finished_at IS NOT NULL%[4]s) AS total,
    (SELECT %[5]s FROM quiz_attempts a WHERE a.worker_id = b.id AND a.form = 'baseline' AND a.finished_at IS NOT NULL) AS baseline,
    (SELECT %[5]s FROM quiz_attempts a WHERE a.id = (SELECT a2.id FROM quiz_attempts a2 WHERE a2.worker_id = b.id
        AND a2.form IN ('midline', 'endline') AND a2.finished_at IS NOT NULL ORDER BY a2.finished_at DESC, a2.id DESC LIMIT 1)) AS latest
FROM (SELECT w.id, w.name, w.phone, COALESCE(f.name, '') AS facility, w.last_dial_at,
        (SELECT COUNT(*) FROM lesson_progress p WHERE p.worker_id = w.id AND p.completed_at IS NOT NULL%[1]s) AS lessons
    FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id
    WHERE` + activeNurses + `%[6]s
    ORDER BY lessons, CASE WHEN w.last_dial_at IS NULL THEN 0 ELSE 1 END, w.last_dial_at, w.name, w.id%[7]s) b
ORDER BY b.lessons, CASE WHEN b.last_dial_at IS NULL THEN 0 ELSE 1 END, b.last_dial_at, b.name, b.id`

// NurseProgresses returns the per-nurse report of the active nurses inside
// the scope narrowed by fl, those behind first; limit > 0 keeps the first
// limit lines.
func (db *DB) NurseProgresses(ctx context.Context, sc Scope, fl ReportFilter, limit int) ([]NurseProgress, error) {
	where, args := fl.where(sc, "")
	var period []string // the period's conditions, %[1]s the column
	var periodArgs []any
	if !fl.From.IsZero() {
		period, periodArgs = append(period, " AND %[1]s >= ?"), append(periodArgs, fl.From.UTC())
	}
	if !fl.To.IsZero() {
		period, periodArgs = append(period, " AND %[1]s < ?"), append(periodArgs, fl.To.UTC())
	}
	on := func(col string) string { return fmt.Sprintf(strings.Join(period, ""), col) }
	if len(period) == 0 {
		on = func(string) string { return "" }
	}
	page := ""
	var all []any
	for range 3 { // the quizzes' look-ups
		all = append(all, periodArgs...)
	}
	all = append(append(all, periodArgs...), args...) // the lessons', then the nurses'
	if limit > 0 {
		page, all = ` LIMIT ?`, append(all, limit)
	}
	query := fmt.Sprintf(sqlNurseProgress, on("p.completed_at"), on("q.finished_at"), on("q.finished_at"), on("q.finished_at"),
		fmt.Sprintf(sqlAttemptPct, "a.id"), where, page)
	var rows []NurseProgress
	if err := db.SelectContext(ctx, &rows, db.Rebind(query), all...); err != nil {
		return nil, fmt.Errorf("store: nurse progress: %w", err)
	}
	return rows, nil
}
