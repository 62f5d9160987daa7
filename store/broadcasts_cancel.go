package store

import (
	"cmp"
	"context"
	"database/sql"
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
WHERE broadcast_id = ? AND status = 'queued' AND (lease_until IS NULL OR lease_until < ?) AND (? OR sub_county IN (?))`

// CancelBroadcast cancels the SMS of the broadcast that are still waiting,
// inside the scope (a supervisor cancels her sub-counties' share of an
// admin's broadcast), and audits it; rows already claimed, sent or final
// are left as they are. It returns how many SMS were cancelled: none is
// ErrNothingToCancel, a broadcast outside the scope ErrNotFound.
func (db *DB) CancelBroadcast(ctx context.Context, sc Scope, userID, id int64) (int, error) {
	var n int
	err := db.Tx(ctx, func(tx *Tx) error {
		var err error
		n, err = db.cancelBroadcast(ctx, tx, sc, userID, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: cancel broadcast: %w", err)
	}
	return n, nil
}

// cancelBroadcast is CancelBroadcast inside the caller's transaction.
func (db *DB) cancelBroadcast(ctx context.Context, tx *Tx, sc Scope, userID, id int64) (int, error) {
	bs, err := db.broadcasts(ctx, sc, tx, id, 1)
	switch {
	case err != nil:
		return 0, err
	case len(bs) == 0:
		return 0, ErrNotFound
	}
	now := db.Now().UTC()
	admin, subCounties := sc.inArgs()
	affected, err := db.inExec(ctx, tx, sqlCancelBroadcast, now, id, now, admin, subCounties)
	if err != nil {
		return 0, err
	}
	n := int(affected)
	if n == 0 {
		return 0, ErrNothingToCancel
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(`UPDATE broadcasts SET cancelled_at = ? WHERE id = ?`), now, id); err != nil {
		return 0, err
	}
	return n, db.Audit(ctx, tx, userID, "broadcast.cancel", fmt.Sprintf("broadcast:%d", id),
		fmt.Sprintf("%d SMS cancelled of %d; at %s", n, bs[0].Counts.Total(), now.Format(time.RFC3339)))
}

// sqlLatestCancellable is the id of the user's newest broadcast with an SMS
// that no dispatcher holds (sqlCancelBroadcast's condition) inside the
// scope.
const sqlLatestCancellable = `SELECT b.id FROM broadcasts b WHERE b.user_id = ? AND EXISTS (
    SELECT 1 FROM outbox o WHERE o.broadcast_id = b.id AND o.status = 'queued'
    AND (o.lease_until IS NULL OR o.lease_until < ?) AND (? OR o.sub_county IN (?)))
ORDER BY b.id DESC LIMIT 1`

// CancelLatestBroadcast cancels, through q (the transaction of her BC
// CANCEL), the waiting SMS of the user's newest broadcast that still has
// some, and returns that broadcast as it was before and how many SMS were
// cancelled. With none it returns ErrNothingToCancel.
func (db *DB) CancelLatestBroadcast(ctx context.Context, q *Tx, sc Scope, userID int64) (Broadcast, int, error) {
	admin, subCounties := sc.inArgs()
	var id int64
	err := db.inGet(ctx, q, &id, sqlLatestCancellable, userID, db.Now().UTC(), admin, subCounties)
	if errors.Is(err, sql.ErrNoRows) {
		return Broadcast{}, 0, ErrNothingToCancel
	}
	if err != nil {
		return Broadcast{}, 0, fmt.Errorf("store: cancel latest broadcast: %w", err)
	}
	bs, err := db.broadcasts(ctx, sc, q, id, 1)
	if err != nil || len(bs) == 0 {
		return Broadcast{}, 0, fmt.Errorf("store: cancel latest broadcast: %w", cmp.Or(err, ErrNotFound))
	}
	n, err := db.cancelBroadcast(ctx, q, sc, userID, id)
	if err != nil {
		return Broadcast{}, 0, fmt.Errorf("store: cancel latest broadcast: %w", err)
	}
	return bs[0], n, nil
}
