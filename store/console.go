package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/chanjo-health/chanjo/percent"
)

// Scope is what a console user or API token may see and change: everything
// for an admin, the facilities of her sub-counties for a supervisor.
type Scope struct {
	Admin       bool
	SubCounties []string
}

// Allows reports whether a facility of the sub-county is inside the scope.
func (s Scope) Allows(subCounty string) bool {
	return s.Admin || slices.Contains(s.SubCounties, subCounty)
}

// clause returns the SQL condition that keeps rows whose sub-county column
// col is inside the scope, and its arguments. A supervisor without a
// sub-county sees nothing.
func (s Scope) clause(col string) (string, []any) {
	if s.Admin {
		return "1 = 1", nil
	}
	if len(s.SubCounties) == 0 {
		return "1 = 0", nil
	}
	list, args := binds(s.SubCounties)
	return col + " IN (" + list + ")", args
}

// none reports whether the scope holds no sub-county: a supervisor without
// one sees nothing, so a scoped read returns nothing without asking the
// database.
func (s Scope) none() bool { return !s.Admin && len(s.SubCounties) == 0 }

// inArgs returns the two binds of a statement's scope condition, written out
// in full as "(? OR col IN (?))": whether the scope is an admin's, and its
// sub-counties for db.in to expand (an admin's is a stand-in the OR never
// needs). Callers first return nothing for a scope that holds none.
func (s Scope) inArgs() (bool, []string) {
	if s.Admin {
		return true, []string{""}
	}
	return false, s.SubCounties
}

// Session is a logged-in console session. The cookie holds a random id;
// the store knows only its hash.
type Session struct {
	IDHash    string    `db:"id_hash"`
	UserID    int64     `db:"user_id"`
	CSRF      string    `db:"csrf"`
	Flash     string    `db:"flash"`
	CreatedAt time.Time `db:"created_at"`
	ExpiresAt time.Time `db:"expires_at"`
}

// CreateSession stores a new session and forgets expired ones.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM console_sessions WHERE expires_at < ?`), db.Now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO console_sessions (id_hash, user_id, csrf, flash, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?)`), s.IDHash, s.UserID, s.CSRF, s.Flash, s.CreatedAt, s.ExpiresAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByHash returns the unexpired session whose id hashes to idHash, or
// ErrNotFound.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (Session, error) {
	var s Session
	err := db.GetContext(ctx, &s, db.Rebind(`SELECT id_hash, user_id, csrf, flash, created_at, expires_at
FROM console_sessions WHERE id_hash = ? AND expires_at > ?`), idHash, db.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	return s, nil
}

// SetFlash keeps msg to show once on the session's next page; "" clears it.
func (db *DB) SetFlash(ctx context.Context, idHash, msg string) error {
	_, err := db.ExecContext(ctx, db.Rebind(`UPDATE console_sessions SET flash = ? WHERE id_hash = ?`), msg, idHash)
	if err != nil {
		return fmt.Errorf("store: set flash: %w", err)
	}
	return nil
}

// DeleteSession ends the session (logout).
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.ExecContext(ctx, db.Rebind(`DELETE FROM console_sessions WHERE id_hash = ?`), idHash)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// Dashboard is the console's first page: what is happening in the scope.
type Dashboard struct {
	ActiveThisWeek   int // workers who dialled in the last 7 days
	Pending          int // registrations waiting for approval
	LessonsCompleted int
	Quiz             []TopicScore // practice quizzes, by topic
	SMS              SMSMonth
}

// TopicScore is the average score of finished practice quizzes of a topic.
type TopicScore struct {
	Topic    string `db:"topic"`
	Attempts int    `db:"attempts"`
	Score    int    `db:"score"`
	Total    int    `db:"total"`
}

// Percent is the average score in percent, 0 without answers.
func (t TopicScore) Percent() float64 { return percent.Of(t.Score, t.Total) }

// SMSMonth counts the month's SMS by what became of them.
type SMSMonth struct {
	Queued    int     `db:"queued"`
	Sent      int     `db:"sent"`
	Delivered int     `db:"delivered"`
	Failed    int     `db:"failed"`
	Cost      float64 `db:"cost"`
	Currency  string  `db:"currency"`
}

// sqlDashboardWorkers counts the workers who dialled since ? and those
// pending, in one pass over the scope's workers (continued by the scope's
// condition): at national size each pass reads 100,000 rows.
const sqlDashboardWorkers = `SELECT COALESCE(SUM(CASE WHEN w.last_dial_at >= ? THEN 1 ELSE 0 END), 0) AS active,
    COALESCE(SUM(CASE WHEN w.status = 'pending' THEN 1 ELSE 0 END), 0) AS pending
FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE `

// Dashboard counts, inside the scope, the week up to now and the month from
// monthStart (the caller's local month, in UTC).
func (db *DB) Dashboard(ctx context.Context, sc Scope, monthStart time.Time) (Dashboard, error) {
	var d Dashboard
	where, args := sc.clause("f.sub_county")
	var w struct {
		Active  int `db:"active"`
		Pending int `db:"pending"`
	}
	query := sqlDashboardWorkers + where
	weekAgo := db.Now().Add(-7 * 24 * time.Hour)
	if err := db.GetContext(ctx, &w, db.Rebind(query), append([]any{weekAgo}, args...)...); err != nil {
		return Dashboard{}, fmt.Errorf("store: dashboard: %w", err)
	}
	d.ActiveThisWeek, d.Pending = w.Active, w.Pending
	var err error
	if d.LessonsCompleted, d.Quiz, err = db.learningCounts(ctx, sc); err != nil {
		return Dashboard{}, err
	}
	d.SMS, err = db.smsMonth(ctx, sc, monthStart)
	return d, err
}

// sqlLearningCounts sums the learning counters (learning_counts, and the
// changes not yet folded) by topic inside the scope (%s).
const sqlLearningCounts = `SELECT topic, SUM(lessons) AS lessons, SUM(quizzes) AS attempts, SUM(score) AS score, SUM(total) AS total
FROM (SELECT sub_county, topic, lessons, quizzes, score, total FROM learning_counts
      UNION ALL SELECT sub_county, topic, lessons, quizzes, score, total FROM learning_count_deltas) c
WHERE %s GROUP BY topic ORDER BY topic`

// learningCounts returns the lessons completed and the practice quizzes'
// scores by topic of the workers inside the scope, from the counters the
// learning tables' triggers keep (migration 0043): counting the rows
// themselves took most of an admin's dashboard at national size.
func (db *DB) learningCounts(ctx context.Context, sc Scope) (int, []TopicScore, error) {
	where, args := sc.clause("sub_county")
	var rows []struct {
		TopicScore
		Lessons int `db:"lessons"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(fmt.Sprintf(sqlLearningCounts, where)), args...); err != nil {
		return 0, nil, fmt.Errorf("store: dashboard learning: %w", err)
	}
	lessons, quiz := 0, []TopicScore(nil)
	for _, r := range rows {
		lessons += r.Lessons
		if r.Attempts > 0 {
			quiz = append(quiz, r.TopicScore)
		}
	}
	return lessons, quiz, nil
}

// sqlSMSDays sums the SMS counters (sms_daily, and the changes not yet
// folded) of the UTC days from the first ? on, inside the scope (%s).
const sqlSMSDays = `SELECT
    COALESCE(SUM(CASE WHEN status = 'queued' THEN n ELSE 0 END), 0) AS queued,
    COALESCE(SUM(CASE WHEN sent THEN n ELSE 0 END), 0) AS sent,
    COALESCE(SUM(CASE WHEN status = 'delivered' THEN n ELSE 0 END), 0) AS delivered,
    COALESCE(SUM(CASE WHEN status = 'failed' THEN n ELSE 0 END), 0) AS failed,
    COALESCE(SUM(cost), 0) AS cost, COALESCE(MAX(currency), '') AS currency
FROM (SELECT sub_county, status, sent, currency, n, cost FROM sms_daily WHERE day >= ?
      UNION ALL SELECT sub_county, status, sent, currency, n, cost FROM sms_count_deltas WHERE day >= ?) c
WHERE %s`

// sqlSMSHours counts the outbox rows created in [?, ?) inside the scope
// (%s): the hours of a month's first UTC day that belong to the month.
const sqlSMSHours = `SELECT
    COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
    COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent,
    COALESCE(SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), 0) AS delivered,
    COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
    COALESCE(SUM(cost), 0) AS cost, COALESCE(MAX(currency), '') AS currency
FROM outbox WHERE created_at >= ? AND created_at < ? AND %s`

// smsMonth counts the SMS created since monthStart, by the sub-county of
// their recipient when they were queued. An admin also sees messages to
// numbers that are no worker's (replies to strangers). Whole UTC days come
// from the counters; when the month starts inside a UTC day (a local
// midnight east of Greenwich), that day's hours in the month come from the
// outbox, indexed on created_at, which retention never reaches.
func (db *DB) smsMonth(ctx context.Context, sc Scope, monthStart time.Time) (SMSMonth, error) {
	where, args := sc.clause("sub_county")
	start := monthStart.UTC()
	fullFrom := start.Truncate(24 * time.Hour)
	var part SMSMonth
	if !fullFrom.Equal(start) {
		fullFrom = fullFrom.Add(24 * time.Hour)
		err := db.GetContext(ctx, &part, db.Rebind(fmt.Sprintf(sqlSMSHours, where)), append([]any{start, fullFrom}, args...)...)
		if err != nil {
			return SMSMonth{}, fmt.Errorf("store: dashboard sms: %w", err)
		}
	}
	var m SMSMonth
	day := fullFrom.Format(time.DateOnly)
	if err := db.GetContext(ctx, &m, db.Rebind(fmt.Sprintf(sqlSMSDays, where)), append([]any{day, day}, args...)...); err != nil {
		return SMSMonth{}, fmt.Errorf("store: dashboard sms: %w", err)
	}
	m.Queued, m.Sent, m.Delivered, m.Failed = m.Queued+part.Queued, m.Sent+part.Sent, m.Delivered+part.Delivered, m.Failed+part.Failed
	m.Cost, m.Currency = m.Cost+part.Cost, max(m.Currency, part.Currency)
	return m, nil
}
