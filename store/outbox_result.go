package store

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"time"
)

// Result is what became of one claimed row's send.
type Result struct {
	ID int64
	// Status is OutAccepted (the gateway took it), OutDelivered (no gateway:
	// printed locally), OutQueued (retry at NotBefore) or OutFailed.
	Status    string
	GatewayID string
	Cost      float64
	Currency  string
	// Reason says why a send failed or will be retried.
	Reason    string
	NotBefore time.Time
	// Segments is how many SMS parts the send took (the dispatcher counts
	// them; the store knows no character sets): 0 for none of its own (a
	// WhatsApp message, a group copy riding in another's digest), which the
	// SMS counters' parts then leave out.
	Segments int
}

// sqlFinishPostgres records results, given as one array a column, for the
// rows still leased to the owner.
const sqlFinishPostgres = `UPDATE outbox SET status = v.status, gateway_id = v.gateway_id, cost = v.cost,
  currency = v.currency, failure_reason = v.reason, not_before = v.not_before, segments = v.segments,
  attempts = attempts + 1,
  sent_at = CASE WHEN v.status IN ('accepted', 'delivered') THEN ? ELSE sent_at END,
  delivered_at = CASE WHEN v.status = 'delivered' THEN ? ELSE delivered_at END,
  lease_owner = NULL, lease_until = NULL, updated_at = ?
FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS DOUBLE PRECISION[]),
  CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TIMESTAMPTZ[]), CAST(? AS INTEGER[]))
  AS v (id, status, gateway_id, cost, currency, reason, not_before, segments)
WHERE outbox.id = v.id AND outbox.lease_owner = ? AND outbox.status = 'queued'`

// sqlFinishSQLite is sqlFinishPostgres on SQLite, which has no arrays: the
// results are a VALUES list (%s) of sqlFinishRow each, whose length is a
// bulk size (finishSQLite), the one part of the statement not written here.
const sqlFinishSQLite = `UPDATE outbox SET status = v.status, gateway_id = v.gateway_id, cost = v.cost,
  currency = v.currency, failure_reason = v.reason, not_before = v.not_before, segments = v.segments,
  attempts = attempts + 1,
  sent_at = CASE WHEN v.status IN ('accepted', 'delivered') THEN ? ELSE sent_at END,
  delivered_at = CASE WHEN v.status = 'delivered' THEN ? ELSE delivered_at END,
  lease_owner = NULL, lease_until = NULL, updated_at = ?
FROM (SELECT column1 AS id, column2 AS status, column3 AS gateway_id, column4 AS cost,
  column5 AS currency, column6 AS reason, column7 AS not_before, column8 AS segments FROM (VALUES %s)) AS v
WHERE outbox.id = v.id AND outbox.lease_owner = ? AND outbox.status = 'queued'`

const sqlFinishRow = `(CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS REAL), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER))`

// ErrLeaseLost is wrapped by Finish's error when some results were not
// recorded because their rows are no longer leased to the owner (the lease
// expired and another dispatcher took them): the caller must stop sending
// the rest of its lease.
var ErrLeaseLost = errors.New("outbox lease lost")

// Finish records the results of one send request in a single statement. Only
// rows still leased to owner change, so a dispatcher whose lease was taken
// over records nothing twice; an accepted row is never claimed again. When
// some rows were no longer leased to owner, the error wraps ErrLeaseLost.
func (db *DB) Finish(ctx context.Context, owner string, rs []Result) error {
	if len(rs) == 0 {
		return nil
	}
	now := db.Now().UTC()
	var n int64
	var err error
	if db.Dialect == Postgres {
		args := append(append([]any{now, now, now}, finishArrays(rs, now)...), owner)
		n, err = db.exec(ctx, sqlFinishPostgres, args...)
	} else {
		n, err = db.finishSQLite(ctx, owner, rs, now)
	}
	if err != nil {
		return fmt.Errorf("store: finish outbox: %w", err)
	}
	if int(n) < len(rs) {
		return fmt.Errorf("store: finish outbox: %d of %d results not recorded: %w", len(rs)-int(n), len(rs), ErrLeaseLost)
	}
	return nil
}

// finishArrays returns rs as the eight arrays of sqlFinishPostgres: eight binds
// whatever the number of results, where VALUES would need eight a result.
func finishArrays(rs []Result, now time.Time) []any {
	ids, status, gw := make([]int64, len(rs)), make([]string, len(rs)), make([]*string, len(rs))
	cost, currency, reason := make([]float64, len(rs)), make([]string, len(rs)), make([]string, len(rs))
	notBefore, segments := make([]time.Time, len(rs)), make([]int32, len(rs))
	for i, r := range rs {
		ids[i], status[i], cost[i], currency[i], reason[i] = r.ID, r.Status, r.Cost, r.Currency, r.Reason
		if r.GatewayID != "" {
			gw[i] = &rs[i].GatewayID
		}
		notBefore[i], segments[i] = resultNotBefore(r, now), int32(r.Segments)
	}
	return []any{ids, status, gw, cost, currency, reason, notBefore, segments}
}

// finishSQLite runs sqlFinishSQLite and returns the rows it changed.
// SQLite parses a statement, and compiles the counter triggers it fires, at
// every prepare: for a request of 100 results that cost more than running
// it, and made dispatch slower than before the counters. So the statement
// is prepared once for each size, and the results are padded up to a power
// of two with rows whose id is NULL, which match no row: a handful of sizes
// for any batch.
func (db *DB) finishSQLite(ctx context.Context, owner string, rs []Result, now time.Time) (int64, error) {
	size := 1 << bits.Len(uint(len(rs)-1))
	// The VALUES list is the one part of the statement built here: its
	// length is the bulk size.
	q := fmt.Sprintf(sqlFinishSQLite, strings.Repeat(sqlFinishRow+", ", size-1)+sqlFinishRow)
	stmt, err := db.prepared(ctx, q)
	if err != nil {
		return 0, err
	}
	args := make([]any, 0, 4+8*size)
	args = append(args, now, now, now)
	for _, r := range rs {
		var gw any
		if r.GatewayID != "" {
			gw = r.GatewayID
		}
		args = append(args, r.ID, r.Status, gw, r.Cost, r.Currency, r.Reason, resultNotBefore(r, now), r.Segments)
	}
	args = append(args, make([]any, 8*(size-len(rs)))...)
	res, err := stmt.ExecContext(ctx, append(args, owner)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// resultNotBefore is r's next send time: now unless r is a retry.
func resultNotBefore(r Result, now time.Time) time.Time {
	if r.NotBefore.IsZero() {
		return now
	}
	return r.NotBefore.UTC()
}

// Delivery is a delivery report for one sent message.
type Delivery struct {
	GatewayID     string `db:"gateway_id"`
	GatewayStatus string `db:"gateway_status"`
	// Status is OutDelivered or OutFailed for a final report, "" for an
	// intermediate one.
	Status string `db:"status"`
	Reason string `db:"reason"`
}

const sqlDeliveryPending = `UPDATE outbox SET gateway_status = ?, updated_at = ?
WHERE gateway_id = ? AND status = 'accepted'`

const sqlDeliveryFinal = `UPDATE outbox SET status = ?, gateway_status = ?, failure_reason = ?,
  delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, updated_at = ?
WHERE gateway_id = ? AND status = 'accepted'`

// RecordDelivery applies a delivery report and reports whether it changed
// the message. Reports arrive duplicated and out of order: only a message
// still waiting for its final status changes, so the first final status
// stands and a later intermediate one never overwrites it. A report for a
// gateway id no message carries yet is kept until the dispatcher records
// the id (ApplyEarlyDeliveries), since the gateway may report a message
// before it answers the request that sent it.
func (db *DB) RecordDelivery(ctx context.Context, d Delivery) (bool, error) {
	// The second round covers a send whose result was recorded between
	// the update finding no message and the report being kept.
	for range 2 {
		n, err := db.applyDelivery(ctx, d)
		if err != nil || n > 0 {
			return n > 0, err
		}
		kept, err := db.exec(ctx, sqlKeepEarly, d.GatewayID, d.Status, d.GatewayStatus, d.Reason, db.Now().UTC(), d.GatewayID)
		if err != nil || kept > 0 {
			return false, err
		}
	}
	return false, nil
}

func (db *DB) applyDelivery(ctx context.Context, d Delivery) (int64, error) {
	now := db.Now().UTC()
	var err error
	var n int64
	if d.Status == "" {
		n, err = db.exec(ctx, sqlDeliveryPending, d.GatewayStatus, now, d.GatewayID)
	} else {
		n, err = db.exec(ctx, sqlDeliveryFinal, d.Status, d.GatewayStatus, d.Reason, d.Status, now, now, d.GatewayID)
	}
	if err != nil {
		return 0, fmt.Errorf("store: record delivery: %w", err)
	}
	return n, nil
}

// sqlKeepEarly keeps a report for a gateway id that no message carries; a
// final report replaces an intermediate one, never the reverse.
const sqlKeepEarly = `INSERT INTO delivery_early (gateway_id, status, gateway_status, reason, received_at)
SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE gateway_id = ?)
ON CONFLICT (gateway_id) DO UPDATE SET status = excluded.status, gateway_status = excluded.gateway_status,
    reason = excluded.reason, received_at = excluded.received_at
WHERE delivery_early.status = ''`

const sqlApplyEarlyFinal = `UPDATE outbox SET status = e.status, gateway_status = e.gateway_status,
    failure_reason = e.reason, delivered_at = CASE WHEN e.status = 'delivered' THEN e.received_at ELSE delivered_at END,
    updated_at = ?
FROM delivery_early e WHERE outbox.gateway_id = e.gateway_id AND outbox.status = 'accepted' AND e.status <> ''
RETURNING outbox.gateway_id AS gateway_id, outbox.gateway_status AS gateway_status, outbox.status AS status,
    outbox.failure_reason AS reason`

const sqlApplyEarlyPending = `UPDATE outbox SET gateway_status = e.gateway_status, updated_at = ?
FROM delivery_early e WHERE outbox.gateway_id = e.gateway_id AND outbox.status = 'accepted' AND e.status = ''`

const sqlDropEarly = `DELETE FROM delivery_early
WHERE received_at < ? OR EXISTS (SELECT 1 FROM outbox o WHERE o.gateway_id = delivery_early.gateway_id)`

// sqlApplyEarlyOnce is ApplyEarlyDeliveries on PostgreSQL: one statement, so
// one snapshot for what it applies and what it drops. Under READ COMMITTED
// each statement of a transaction sees the rows committed before it began,
// and three statements (apply, then drop the reports whose messages exist)
// lost reports: one stored after the first statement began, for a send
// recorded before the last, was dropped without being applied. Here a report
// is dropped only as the statement saw it: one stored later is not in
// "seen", and the only change a kept report undergoes, intermediate to final
// (sqlKeepEarly), fails "d.status = s.status" when the DELETE re-reads the
// row it waited for, so the final report stays for the next run. Row locks
// or a serializable retry loop would do the same with more round trips; the
// message rows themselves are guarded by status = 'accepted', re-read by the
// UPDATE after any concurrent change, so the first final status stands.
const sqlApplyEarlyOnce = `WITH seen AS (
    SELECT e.gateway_id, e.status, e.gateway_status, e.reason, e.received_at FROM delivery_early e
    WHERE e.received_at < $2 OR EXISTS (SELECT 1 FROM outbox o WHERE o.gateway_id = e.gateway_id)
), applied AS (
    UPDATE outbox SET status = CASE WHEN s.status <> '' THEN s.status ELSE outbox.status END,
        gateway_status = s.gateway_status,
        failure_reason = CASE WHEN s.status <> '' THEN s.reason ELSE outbox.failure_reason END,
        delivered_at = CASE WHEN s.status = 'delivered' THEN s.received_at ELSE outbox.delivered_at END,
        updated_at = $1
    FROM seen s WHERE outbox.gateway_id = s.gateway_id AND outbox.status = 'accepted'
    RETURNING outbox.gateway_id, outbox.gateway_status, outbox.status, outbox.failure_reason, s.status <> '' AS final
), dropped AS (
    DELETE FROM delivery_early d USING seen s WHERE d.gateway_id = s.gateway_id AND d.status = s.status
)
SELECT gateway_id, gateway_status, status, failure_reason AS reason FROM applied WHERE final`

// EarlyReportTTL is how long a report for an unknown gateway id is kept: a
// report for a message of another system, or of a row long gone, must not
// stay for ever.
const EarlyReportTTL = 48 * time.Hour

// ApplyEarlyDeliveries applies the kept reports whose gateway ids messages
// now carry and drops them and any older than EarlyReportTTL; a report kept
// while it runs waits for the next run, it is never dropped unapplied. It
// returns the final reports it applied (status and reason), for the metrics.
func (db *DB) ApplyEarlyDeliveries(ctx context.Context) ([]Delivery, error) {
	now := db.Now().UTC()
	var finals []Delivery
	var err error
	if db.Dialect == Postgres {
		err = db.SelectContext(ctx, &finals, sqlApplyEarlyOnce, now, now.Add(-EarlyReportTTL))
	} else {
		// SQLite takes the write lock at BEGIN (_txlock=immediate): no
		// report or send result can commit between these statements.
		err = db.Tx(ctx, func(tx *Tx) error {
			if err := tx.SelectContext(ctx, &finals, db.Rebind(sqlApplyEarlyFinal), now); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlApplyEarlyPending), now); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, db.Rebind(sqlDropEarly), now.Add(-EarlyReportTTL))
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("store: apply early deliveries: %w", err)
	}
	return finals, nil
}

// exec runs query (with ? binds) and returns the number of rows it changed.
func (db *DB) exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := db.ExecContext(ctx, db.Rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// QueueStats describes the messages waiting to be sent.
type QueueStats struct {
	// Due counts the rows a dispatcher could claim now.
	Due int
	// Oldest is the earliest send time among them; zero when none is due.
	Oldest time.Time
}

const sqlQueueOldest = `SELECT not_before FROM outbox WHERE ` + sqlDue + ` ORDER BY not_before LIMIT 1`

const sqlQueueDue = `SELECT COUNT(*) FROM outbox WHERE ` + sqlDue

// QueueStats returns the due rows and the oldest of them, counting only
// replies and urgent rows during quiet hours, as Claim does.
func (db *DB) QueueStats(ctx context.Context, quiet bool) (QueueStats, error) {
	now := db.Now().UTC()
	var s QueueStats
	if err := db.GetContext(ctx, &s.Due, db.Rebind(sqlQueueDue), now, now, !quiet); err != nil {
		return s, fmt.Errorf("store: queue stats: %w", err)
	}
	if s.Due == 0 {
		return s, nil
	}
	if err := db.GetContext(ctx, &s.Oldest, db.Rebind(sqlQueueOldest), now, now, !quiet); err != nil {
		return s, fmt.Errorf("store: queue stats: %w", err)
	}
	return s, nil
}
