package store

import (
	"context"
	"fmt"
	"time"
)

// sqlHold puts leased rows back in the queue until a later time, their
// attempts untouched: nothing was tried.
const sqlHold = `UPDATE outbox SET not_before = ?, failure_reason = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE lease_owner = ? AND status = 'queued' AND id IN (?)`

// Hold gives back the rows ids, leased to owner and not sent, to be claimed
// again from until, with reason saying why they wait (a number in a USSD
// session). It returns how many rows it held.
func (db *DB) Hold(ctx context.Context, owner string, ids []int64, until time.Time, reason string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	n, err := db.inExec(ctx, db, sqlHold, until.UTC(), reason, db.Now().UTC(), owner, ids)
	if err != nil {
		return 0, fmt.Errorf("store: hold outbox: %w", err)
	}
	return int(n), nil
}
