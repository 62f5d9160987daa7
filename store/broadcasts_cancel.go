package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// OutCancelled is the final status of a broadcast SMS cancelled before a
// dispatcher claimed it; it never goes.
const OutCancelled = "cancelled"

// ErrNothingToCancel is returned by CancelBroadcast when every SMS of the
// broadcast inside the scope is already sent, being sent or cancelled.
var ErrNothingToCancel = errors.New("nothing left to cancel: every SMS is sent or being sent")

// sqlCancelBroadcast cancels the broadcast's SMS that no dispatcher holds:
// the claim's own condition for a due row (no lease, or an expired one), so
// a row is either claimed or cancelled, never both. On PostgreSQL a row a
// claim has locked is waited for and then read again, and no longer
// matches; on SQLite there is one writer at a time.
const sqlCancelBroadcast = `UPDATE outbox SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE broadcast_id = ? AND status = 'queued' AND (lease_until IS NULL OR lease_until < ?) AND %s`

// CancelBroadcast cancels the SMS of the broadcast that are still waiting,
// inside the scope (a supervisor cancels her sub-counties' share of an
// admin's broadcast), and audits it; rows already claimed, sent or final
// are left as they are. It returns how many SMS were cancelled: none is
// ErrNothingToCancel, a broadcast outside the scope ErrNotFound.
func (db *DB) CancelBroadcast(ctx context.Context, sc Scope, userID, id int64) (int, error) {
	var n int
	err := db.Tx(ctx, func(tx *Tx) error {
		bs, err := db.broadcasts(ctx, sc, tx, "b.id = ?", []any{id}, 1)
		switch {
		case err != nil:
			return err
		case len(bs) == 0:
			return ErrNotFound
		}
		now := db.Now().UTC()
		where, args := sc.clause("sub_county")
		res, err := tx.ExecContext(ctx, db.Rebind(fmt.Sprintf(sqlCancelBroadcast, where)), append([]any{now, id, now}, args...)...)
		if err != nil {
			return err
		}
		affected, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n = int(affected); n == 0 {
			return ErrNothingToCancel
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(`UPDATE broadcasts SET cancelled_at = ? WHERE id = ?`), now, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "broadcast.cancel", fmt.Sprintf("broadcast:%d", id),
			fmt.Sprintf("%d SMS cancelled of %d; at %s", n, bs[0].Counts.Total(), now.Format(time.RFC3339)))
	})
	if err != nil {
		return 0, fmt.Errorf("store: cancel broadcast: %w", err)
	}
	return n, nil
}
