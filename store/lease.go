package store

import (
	"context"
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

// claimRows runs a claim, written out per dialect: the SQLite statement or
// the PostgreSQL one, which both lease to c.Owner up to c.Limit rows that
// match their condition (with condArgs) and are not leased at now, in their
// order. On PostgreSQL concurrent claimers skip each other's rows (FOR
// UPDATE SKIP LOCKED); SQLite's writes are serial, and the lease written by
// the first claim keeps the second off the same rows: the same semantics.
// It returns the ids claimed, in ascending order.
func (db *DB) claimRows(ctx context.Context, sqlite, postgres string, c RowClaim, now time.Time, condArgs ...any) ([]int64, error) {
	query := sqlite
	if db.Dialect == Postgres {
		query = postgres
	}
	args := append(append([]any{c.Owner, now.Add(c.Lease)}, condArgs...), now, c.Limit)
	var ids []int64
	if err := db.SelectContext(ctx, &ids, db.Rebind(query), args...); err != nil {
		return nil, err
	}
	slices.Sort(ids)
	return ids, nil
}
