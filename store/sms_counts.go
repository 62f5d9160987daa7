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

// FoldCounts moves the changes not yet counted into the counters: the
// outbox's into the SMS counters (broadcast_counts, sms_daily), the
// learning tables' into learning_counts. It reports how many counter rows
// it wrote. Readers add the unfolded changes, so folding only keeps them
// few; it is safe on several instances at once (one folds, the others
// skip). On SQLite the triggers count directly and there is nothing to
// fold.
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
		for _, q := range []string{sqlFoldCounts, sqlFoldLearningCounts} {
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

// sqlDeleteOldSMSSQLite removes a batch of the oldest outbox rows created
// before ? that are no longer queued. Their counts stay: the counters have
// no DELETE trigger.
const sqlDeleteOldSMSSQLite = `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
WHERE created_at < ? AND status <> 'queued' ORDER BY created_at LIMIT ?)`

// sqlDeleteOldSMSPostgres is sqlDeleteOldSMSSQLite for PostgreSQL: rows
// another instance is deleting are skipped, so instances share the work.
const sqlDeleteOldSMSPostgres = `DELETE FROM outbox WHERE id = ANY(ARRAY(SELECT id FROM outbox
WHERE created_at < ? AND status <> 'queued' ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED))`

// DeleteOldSMS removes up to limit outbox rows created before before whose
// sending is over (any status but queued), and reports how many it
// removed. The SMS counts (broadcast lists, the dashboard) keep them.
func (db *DB) DeleteOldSMS(ctx context.Context, before time.Time, limit int) (int, error) {
	q := sqlDeleteOldSMSSQLite
	if db.Dialect == Postgres {
		q = sqlDeleteOldSMSPostgres
	}
	n, err := db.exec(ctx, q, before.UTC(), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete old sms: %w", err)
	}
	return int(n), nil
}
