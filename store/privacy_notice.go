package store

import (
	"context"
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// noticeBatch is how many privacy notices one transaction queues.
const noticeBatch = 500

const sqlDueNotices = `SELECT w.id, w.phone, w.language FROM privacy_notices n JOIN workers w ON w.id = n.worker_id
WHERE n.notice_at IS NULL ORDER BY n.due_at, n.worker_id LIMIT ?`

const sqlNoticeQueued = `UPDATE privacy_notices SET notice_at = ? WHERE worker_id = ?`

// QueuePrivacyNotices queues the privacy notice (the pack's text, in every
// language) in each worker's language to every worker a roster enrolled who has not had it,
// and records when; it returns how many were queued. It is idempotent (the
// outbox dedupe key is privacy:<worker id>), so a caller that failed half-way
// simply calls it again. An opt-out still holds: the notice is a nudge.
func (db *DB) QueuePrivacyNotices(ctx context.Context, notice i18n.Text) (int, error) {
	total := 0
	for {
		n, err := db.queueNotices(ctx, notice)
		total += n
		if err != nil || n < noticeBatch {
			return total, err
		}
	}
}

func (db *DB) queueNotices(ctx context.Context, notice i18n.Text) (int, error) {
	var due []struct {
		ID       int64  `db:"id"`
		Phone    string `db:"phone"`
		Language string `db:"language"`
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		if err := tx.SelectContext(ctx, &due, db.Rebind(sqlDueNotices), noticeBatch); err != nil {
			return fmt.Errorf("store: queue privacy notices: %w", err)
		}
		now := db.Now()
		msgs := make([]Outgoing, 0, len(due))
		for _, w := range due {
			msgs = append(msgs, Outgoing{DedupeKey: fmt.Sprintf("privacy:%d", w.ID), Kind: KindNudge,
				Phone: w.Phone, Body: notice.In(w.Language), WorkerID: w.ID})
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlNoticeQueued), now, w.ID); err != nil {
				return fmt.Errorf("store: queue privacy notices: %w", err)
			}
		}
		if len(msgs) == 0 {
			return nil
		}
		_, err := db.Enqueue(ctx, tx, msgs...)
		return err
	})
	if err != nil {
		return 0, err
	}
	return len(due), nil
}
