package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// RowClaim says who claims rows of a background worker's table (reminders,
// questions to escalate), how many and for how long. Claimed rows are the
// claimer's alone until it settles them or the lease runs out, so several
// instances share the work instead of racing for the same rows.
type RowClaim struct {
	// Owner is the claiming process's identity (NewProcessID).
	Owner string
	Limit int
	// Lease is how long the rows stay the owner's: a row it could not
	// settle (a failure, a nurse in a USSD session) waits that long before
	// any instance tries it again.
	Lease time.Duration
}

// sqlClaimRows leases up to a limit of the rows of table %[1]s that match
// %[3]s and are not leased, in the order %[4]s. On PostgreSQL concurrent
// claimers skip each other's rows (FOR UPDATE SKIP LOCKED, %[5]s); SQLite's
// writes are serial, and the lease written by the first claim keeps the
// second off the same rows: the same semantics.
const sqlClaimRows = `UPDATE %[1]s SET lease_owner = ?, lease_until = ?
WHERE id %[2]s (SELECT id FROM %[1]s WHERE %[3]s AND (lease_until IS NULL OR lease_until < ?)
             ORDER BY %[4]s LIMIT ? %[5]s)
RETURNING id`

// claimRows runs sqlClaimRows at now with cond's arguments and returns the
// ids claimed, in ascending order.
func (db *DB) claimRows(ctx context.Context, table, cond, order string, c RowClaim, now time.Time, condArgs ...any) ([]int64, error) {
	in, lock := "IN", ""
	if db.Dialect == Postgres {
		in, lock = "= ANY(ARRAY", "FOR UPDATE SKIP LOCKED)"
	}
	args := append(append([]any{c.Owner, now.Add(c.Lease)}, condArgs...), now, c.Limit)
	var ids []int64
	if err := db.SelectContext(ctx, &ids, db.Rebind(fmt.Sprintf(sqlClaimRows, table, in, cond, order, lock)), args...); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}
