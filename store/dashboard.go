package store

import (
	"context"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/percent"
)

// Dashboard is the console's first page: what is happening in the scope.
type Dashboard struct {
	ActiveThisWeek   int // workers who dialled in the last 7 days
	Pending          int // registrations waiting for approval
	LessonsCompleted int
	Quiz             []TopicScore // practice quizzes, by topic
	SMS              SMSMonth
	WhatsApp         WhatsAppMonth
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

// SMSMonth counts the month's SMS (WhatsApp messages apart) by what
// became of them.
type SMSMonth struct {
	Queued int `db:"queued"`
	Sent   int `db:"sent"`
	// Parts are the SMS parts (segments) sent: the gateway charges each.
	Parts     int     `db:"parts"`
	Delivered int     `db:"delivered"`
	Failed    int     `db:"failed"`
	Cost      float64 `db:"cost"`
	Currency  string  `db:"currency"`
}

// sqlDashboardWorkers counts the workers who dialled since ? and those
// pending, in one pass over the scope's workers: at national size each
// pass reads 100,000 rows.
const sqlDashboardWorkers = `SELECT COALESCE(SUM(CASE WHEN w.last_dial_at >= ? THEN 1 ELSE 0 END), 0) AS active,
    COALESCE(SUM(CASE WHEN w.status = 'pending' THEN 1 ELSE 0 END), 0) AS pending
FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE (? OR f.sub_county IN (?))`

// Dashboard counts, inside the scope, the week up to now and the month from
// monthStart (the caller's local month, in UTC).
func (db *DB) Dashboard(ctx context.Context, sc Scope, monthStart time.Time) (Dashboard, error) {
	var d Dashboard
	if sc.none() {
		return d, nil
	}
	admin, subCounties := sc.inArgs()
	var w struct {
		Active  int `db:"active"`
		Pending int `db:"pending"`
	}
	weekAgo := db.Now().Add(-7 * 24 * time.Hour)
	if err := db.inGet(ctx, db, &w, sqlDashboardWorkers, weekAgo, admin, subCounties); err != nil {
		return Dashboard{}, fmt.Errorf("store: dashboard: %w", err)
	}
	d.ActiveThisWeek, d.Pending = w.Active, w.Pending
	var err error
	if d.LessonsCompleted, d.Quiz, err = db.learningCounts(ctx, sc); err != nil {
		return Dashboard{}, err
	}
	if d.SMS, err = db.smsMonth(ctx, sc, monthStart); err != nil {
		return Dashboard{}, err
	}
	d.WhatsApp, err = db.whatsAppMonth(ctx, sc, monthStart)
	return d, err
}

// sqlLearningCounts sums the learning counters (learning_counts, and the
// changes not yet folded) by topic inside the scope.
const sqlLearningCounts = `SELECT topic, SUM(lessons) AS lessons, SUM(quizzes) AS attempts, SUM(score) AS score, SUM(total) AS total
FROM (SELECT sub_county, topic, lessons, quizzes, score, total FROM learning_counts
      UNION ALL SELECT sub_county, topic, lessons, quizzes, score, total FROM learning_count_deltas) c
WHERE (? OR sub_county IN (?)) GROUP BY topic ORDER BY topic`

// learningCounts returns the lessons completed and the practice quizzes'
// scores by topic of the workers inside the scope, from the counters the
// learning tables' triggers keep (migration 0043): counting the rows
// themselves took most of an admin's dashboard at national size.
func (db *DB) learningCounts(ctx context.Context, sc Scope) (int, []TopicScore, error) {
	admin, subCounties := sc.inArgs()
	var rows []struct {
		TopicScore
		Lessons int `db:"lessons"`
	}
	if err := db.inSelect(ctx, db, &rows, sqlLearningCounts, admin, subCounties); err != nil {
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
// folded) of the UTC days from the first ? on, inside the scope: the rows
// that went by SMS (sms_n; n counts WhatsApp's too) and their parts.
const sqlSMSDays = `SELECT
    COALESCE(SUM(CASE WHEN status = 'queued' THEN sms_n ELSE 0 END), 0) AS queued,
    COALESCE(SUM(CASE WHEN sent THEN sms_n ELSE 0 END), 0) AS sent,
    COALESCE(SUM(CASE WHEN sent THEN parts ELSE 0 END), 0) AS parts,
    COALESCE(SUM(CASE WHEN status = 'delivered' THEN sms_n ELSE 0 END), 0) AS delivered,
    COALESCE(SUM(CASE WHEN status = 'failed' THEN sms_n ELSE 0 END), 0) AS failed,
    COALESCE(SUM(cost), 0) AS cost, COALESCE(MAX(currency), '') AS currency
FROM (SELECT sub_county, status, sent, currency, cost, sms_n, parts FROM sms_daily WHERE day >= ?
      UNION ALL SELECT sub_county, status, sent, currency, cost, sms_n, parts FROM sms_count_deltas WHERE day >= ?) c
WHERE (? OR sub_county IN (?))`

// sqlSMSHours counts the SMS rows of the outbox created in [?, ?) inside
// the scope, read by id inside the ranges of their hours (sqlHourIDs): the
// hours of a month's first UTC day that belong to the month.
const sqlSMSHours = `WITH h AS (SELECT MIN(first_id) AS lo, MAX(last_id) AS hi FROM (` + sqlHourIDs + `) r)
SELECT
    COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
    COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent,
    COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN segments ELSE 0 END), 0) AS parts,
    COALESCE(SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END), 0) AS delivered,
    COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
    COALESCE(SUM(cost), 0) AS cost, COALESCE(MAX(currency), '') AS currency
FROM outbox WHERE id >= (SELECT lo FROM h) AND id <= (SELECT hi FROM h)
  AND created_at >= ? AND created_at < ? AND channel = 'sms' AND (? OR sub_county IN (?))`

// smsMonth counts the SMS created since monthStart, by the sub-county of
// their recipient when they were queued. An admin also sees messages to
// numbers that are no worker's (replies to strangers). Whole UTC days come
// from the counters; when the month starts inside a UTC day (a local
// midnight east of Greenwich), that day's hours in the month come from the
// outbox, found by their hours' id ranges, which retention never reaches.
func (db *DB) smsMonth(ctx context.Context, sc Scope, monthStart time.Time) (SMSMonth, error) {
	admin, subCounties := sc.inArgs()
	start := monthStart.UTC()
	fullFrom := start.Truncate(24 * time.Hour)
	var part SMSMonth
	if !fullFrom.Equal(start) {
		fullFrom = fullFrom.Add(24 * time.Hour)
		first, last := hour(start), hour(fullFrom.Add(-time.Nanosecond))
		err := db.inGet(ctx, db, &part, sqlSMSHours, first, last, first, last, start, fullFrom,
			admin, subCounties)
		if err != nil {
			return SMSMonth{}, fmt.Errorf("store: dashboard sms: %w", err)
		}
	}
	var m SMSMonth
	day := fullFrom.Format(time.DateOnly)
	if err := db.inGet(ctx, db, &m, sqlSMSDays, day, day, admin, subCounties); err != nil {
		return SMSMonth{}, fmt.Errorf("store: dashboard sms: %w", err)
	}
	m.Queued, m.Sent, m.Delivered, m.Failed = m.Queued+part.Queued, m.Sent+part.Sent, m.Delivered+part.Delivered, m.Failed+part.Failed
	m.Parts += part.Parts
	m.Cost, m.Currency = m.Cost+part.Cost, max(m.Currency, part.Currency)
	return m, nil
}
