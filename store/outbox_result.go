package store

import (
	"context"
	"fmt"
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
	// Segments is how many SMS segments the body takes (the dispatcher
	// counts them; the store knows no character sets).
	Segments int
}

const sqlFinishHead = `UPDATE outbox SET status = v.column2, gateway_id = v.column3, cost = v.column4,
  currency = v.column5, failure_reason = v.column6, not_before = v.column7, segments = v.column8, attempts = attempts + 1,
  sent_at = CASE WHEN v.column2 IN ('accepted', 'delivered') THEN ? ELSE sent_at END,
  delivered_at = CASE WHEN v.column2 = 'delivered' THEN ? ELSE delivered_at END,
  lease_owner = NULL, lease_until = NULL, updated_at = ?
FROM (VALUES %s) AS v
WHERE outbox.id = v.column1 AND outbox.lease_owner = ? AND outbox.status = 'sending'`

// Finish records the results of one send request in a single statement. Only
// rows still leased to owner change, so a dispatcher whose lease was taken
// over records nothing twice; an accepted row is never claimed again.
func (db *DB) Finish(ctx context.Context, owner string, rs []Result) error {
	if len(rs) == 0 {
		return nil
	}
	now := db.Now().UTC()
	real, ts := "REAL", "TEXT"
	if db.Dialect == Postgres {
		real, ts = "DOUBLE PRECISION", "TIMESTAMPTZ"
	}
	row := fmt.Sprintf("(CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS %s), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS %s), CAST(? AS INTEGER))", real, ts)
	args := []any{now, now, now}
	for _, r := range rs {
		var gw any
		if r.GatewayID != "" {
			gw = r.GatewayID
		}
		nb := r.NotBefore
		if nb.IsZero() {
			nb = now
		}
		args = append(args, r.ID, r.Status, gw, r.Cost, r.Currency, r.Reason, nb.UTC(), max(1, r.Segments))
	}
	args = append(args, owner)
	q := fmt.Sprintf(sqlFinishHead, strings.Repeat(row+",", len(rs)-1)+row)
	if _, err := db.ExecContext(ctx, db.Rebind(q), args...); err != nil {
		return fmt.Errorf("store: finish outbox: %w", err)
	}
	return nil
}

// Delivery is a delivery report for one sent message.
type Delivery struct {
	GatewayID     string
	GatewayStatus string
	// Status is OutDelivered or OutFailed for a final report, "" for an
	// intermediate one.
	Status string
	Reason string
}

const sqlDeliveryPending = `UPDATE outbox SET gateway_status = ?, updated_at = ?
WHERE gateway_id = ? AND status = 'accepted'`

const sqlDeliveryFinal = `UPDATE outbox SET status = ?, gateway_status = ?, failure_reason = ?,
  delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END, updated_at = ?
WHERE gateway_id = ? AND status = 'accepted'`

// RecordDelivery applies a delivery report and reports whether it changed
// the message. Reports arrive duplicated and out of order: only a message
// still waiting for its final status changes, so the first final status
// stands and a later intermediate one never overwrites it.
func (db *DB) RecordDelivery(ctx context.Context, d Delivery) (bool, error) {
	now := db.Now().UTC()
	var err error
	var n int64
	if d.Status == "" {
		n, err = db.exec(ctx, sqlDeliveryPending, d.GatewayStatus, now, d.GatewayID)
	} else {
		n, err = db.exec(ctx, sqlDeliveryFinal, d.Status, d.GatewayStatus, d.Reason, d.Status, now, now, d.GatewayID)
	}
	if err != nil {
		return false, fmt.Errorf("store: record delivery: %w", err)
	}
	return n > 0, nil
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

const sqlQueueOldest = `SELECT not_before FROM outbox WHERE status = 'queued' AND not_before <= ? %s
ORDER BY not_before LIMIT 1`

const sqlQueueDue = `SELECT COUNT(*) FROM outbox WHERE status = 'queued' AND not_before <= ? %s`

// QueueStats returns the due rows and the oldest of them, counting only
// replies and urgent rows during quiet hours, as Claim does.
func (db *DB) QueueStats(ctx context.Context, quiet bool) (QueueStats, error) {
	now := db.Now().UTC()
	cond := ""
	if quiet {
		cond = "AND (kind = 'reply' OR urgent)"
	}
	var s QueueStats
	if err := db.GetContext(ctx, &s.Due, db.Rebind(fmt.Sprintf(sqlQueueDue, cond)), now); err != nil {
		return s, fmt.Errorf("store: queue stats: %w", err)
	}
	if s.Due == 0 {
		return s, nil
	}
	if err := db.GetContext(ctx, &s.Oldest, db.Rebind(fmt.Sprintf(sqlQueueOldest, cond)), now); err != nil {
		return s, fmt.Errorf("store: queue stats: %w", err)
	}
	return s, nil
}
