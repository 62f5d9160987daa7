package store

import (
	"context"
	"fmt"
	"time"
)

// sqlFoldCounts moves the changes the PostgreSQL triggers appended
// (sms_count_deltas) into the counters, in one statement: the rows it
// deletes are exactly the rows it adds, so a change committed meanwhile is
// folded the next time, never lost or counted twice. Counter rows are
// written in key order, so two folds can only wait on each other, not
// deadlock.
const sqlFoldCounts = `WITH d AS (
    DELETE FROM sms_count_deltas RETURNING broadcast_id, day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts
), b AS (
    INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
    SELECT broadcast_id, sub_county, status, SUM(n) FROM d WHERE broadcast_id IS NOT NULL
    GROUP BY broadcast_id, sub_county, status ORDER BY broadcast_id, sub_county, status
    ON CONFLICT (broadcast_id, sub_county, status) DO UPDATE SET n = broadcast_counts.n + excluded.n
)
INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
SELECT day, kind, sub_county, status, sent, currency, SUM(n), SUM(cost), SUM(sms_n), SUM(parts) FROM d
GROUP BY day, kind, sub_county, status, sent, currency ORDER BY day, kind, sub_county, status, sent, currency
ON CONFLICT (day, kind, sub_county, status, sent, currency)
DO UPDATE SET n = sms_daily.n + excluded.n, cost = sms_daily.cost + excluded.cost, sms_n = sms_daily.sms_n + excluded.sms_n,
    parts = sms_daily.parts + excluded.parts`

// sqlFoldLearningCounts does for the learning counters (migration 0043)
// what sqlFoldCounts does for the SMS counters.
const sqlFoldLearningCounts = `WITH d AS (
    DELETE FROM learning_count_deltas RETURNING sub_county, topic, lessons, quizzes, score, total
)
INSERT INTO learning_counts (sub_county, topic, lessons, quizzes, score, total)
SELECT sub_county, topic, SUM(lessons), SUM(quizzes), SUM(score), SUM(total) FROM d
GROUP BY sub_county, topic ORDER BY sub_county, topic
ON CONFLICT (sub_county, topic) DO UPDATE SET lessons = learning_counts.lessons + excluded.lessons,
    quizzes = learning_counts.quizzes + excluded.quizzes, score = learning_counts.score + excluded.score,
    total = learning_counts.total + excluded.total`

// sqlFoldHours does for the outbox's hours (migration 0061) what
// sqlFoldCounts does for the SMS counters: an hour's range only widens.
const sqlFoldHours = `WITH d AS (
    DELETE FROM outbox_hour_deltas RETURNING hour, first_id, last_id
)
INSERT INTO outbox_hours (hour, first_id, last_id)
SELECT hour, MIN(first_id), MAX(last_id) FROM d GROUP BY hour ORDER BY hour
ON CONFLICT (hour) DO UPDATE SET first_id = LEAST(outbox_hours.first_id, excluded.first_id),
    last_id = GREATEST(outbox_hours.last_id, excluded.last_id)`

// FoldCounts moves the changes not yet counted into the counters: the
// outbox's into the SMS counters (broadcast_counts, sms_daily) and its
// hours (outbox_hours), the learning tables' into learning_counts. It
// reports how many counter rows it wrote. Readers add the unfolded changes,
// so folding only keeps them few; it is safe on several instances at once
// (one folds, the others skip). On SQLite the triggers count directly and
// there is nothing to fold.
func (db *DB) FoldCounts(ctx context.Context) (int, error) {
	if db.Dialect == SQLite {
		return 0, nil
	}
	var n int64
	err := db.Tx(ctx, func(tx *Tx) error {
		var mine bool
		if err := tx.GetContext(ctx, &mine, `SELECT pg_try_advisory_xact_lock(7262527)`); err != nil || !mine {
			return err
		}
		for _, q := range []string{sqlFoldCounts, sqlFoldHours, sqlFoldLearningCounts} {
			res, err := tx.ExecContext(ctx, q)
			if err != nil {
				return err
			}
			rows, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += rows
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: fold counts: %w", err)
	}
	return int(n), nil
}

// sqlHourIDs is the id range of each UTC hour, folded or not, as
// (first_id, last_id) rows: the outbox rows created in hours ? to ? (hours
// since the epoch, both included) have ids inside their hours' ranges, so the
// primary key finds them without an index on created_at (migration 0061).
const sqlHourIDs = `SELECT first_id, last_id FROM outbox_hours WHERE hour BETWEEN ? AND ?
UNION ALL SELECT first_id, last_id FROM outbox_hour_deltas WHERE hour BETWEEN ? AND ?`

// hour is t's hour since the epoch, as outbox_hours keys it.
func hour(t time.Time) int64 {
	return t.Unix() / 3600
}

// sqlDeleteOldSMSSQLite removes a batch of the oldest outbox rows created
// before ? that are no longer queued, read by id up to the last id of the
// hours before it. Their counts stay: the counters have no DELETE trigger.
const sqlDeleteOldSMSSQLite = `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
WHERE id <= (SELECT COALESCE(MAX(last_id), 0) FROM (` + sqlHourIDs + `) h)
  AND created_at < ? AND status <> 'queued' ORDER BY id LIMIT ?)`

// sqlDeleteOldSMSPostgres is sqlDeleteOldSMSSQLite for PostgreSQL: rows
// another instance is deleting are skipped, so instances share the work.
const sqlDeleteOldSMSPostgres = `DELETE FROM outbox WHERE id = ANY(ARRAY(SELECT id FROM outbox
WHERE id <= (SELECT COALESCE(MAX(last_id), 0) FROM (` + sqlHourIDs + `) h)
  AND created_at < ? AND status <> 'queued' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED))`

// DeleteOldSMS removes up to limit outbox rows created before before whose
// sending is over (any status but queued), the oldest first, and reports how
// many it removed. The SMS counts (broadcast lists, the dashboard) keep them.
func (db *DB) DeleteOldSMS(ctx context.Context, before time.Time, limit int) (int, error) {
	q := sqlDeleteOldSMSSQLite
	if db.Dialect == Postgres {
		q = sqlDeleteOldSMSPostgres
	}
	last := hour(before)
	n, err := db.exec(ctx, q, 0, last, 0, last, before.UTC(), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete old sms: %w", err)
	}
	return int(n), nil
}
