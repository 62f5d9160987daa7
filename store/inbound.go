package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// InboundSMS is an SMS a user sent to Chanjo.
type InboundSMS struct {
	GatewayID string
	Phone     string
	To        string
	Body      string
	LinkID    string
	// WorkerID is the sender's worker id, 0 for an unknown number.
	WorkerID int64
	// HandledAs says what Chanjo did with it: stop, start, help, question, unknown.
	HandledAs string
	SentAt    time.Time
}

const sqlRecordInbound = `INSERT INTO inbound_sms (gateway_id, phone, to_code, body, link_id, worker_id, handled_as, sent_at, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (gateway_id) DO NOTHING`

// RecordInbound stores in through q and reports whether it is new: the
// gateway re-posts an SMS until it gets a 200, and a repeat must change
// nothing, so callers act only on a new one, in the same transaction.
func (db *DB) RecordInbound(ctx context.Context, q sqlx.ExtContext, in InboundSMS) (bool, error) {
	res, err := q.ExecContext(ctx, db.Rebind(sqlRecordInbound), in.GatewayID, in.Phone, in.To, in.Body, in.LinkID,
		nullID(in.WorkerID), in.HandledAs, in.SentAt.UTC(), db.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: record inbound sms: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: record inbound sms: %w", err)
	}
	return n > 0, nil
}

const sqlOptOutWorker = `UPDATE workers SET opted_out = ?, opted_out_at = ?, updated_at = ? WHERE phone = ?`

const sqlOptOutOther = `INSERT INTO sms_optouts (phone, source, opted_out_at) VALUES (?, ?, ?) ON CONFLICT (phone) DO NOTHING`

const sqlOptInOther = `DELETE FROM sms_optouts WHERE phone = ?`

// setOptOutFlag opts the number p out of (or back into) nudges and
// broadcasts through q: a worker's flag when p is a worker's number, the
// sms_optouts list otherwise; these are what a claim reads. source is kept
// for a number that is not a worker's. RecordOptOut and OptIn call it with
// the opt-out record.
func (db *DB) setOptOutFlag(ctx context.Context, q sqlx.ExtContext, p string, out bool, source string) error {
	now := db.Now().UTC()
	var at any
	if out {
		at = now
	}
	res, err := q.ExecContext(ctx, db.Rebind(sqlOptOutWorker), out, at, now, p)
	if err != nil {
		return fmt.Errorf("store: set opt-out: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	if out {
		_, err = q.ExecContext(ctx, db.Rebind(sqlOptOutOther), p, source, now)
	} else {
		_, err = q.ExecContext(ctx, db.Rebind(sqlOptInOther), p)
	}
	if err != nil {
		return fmt.Errorf("store: set opt-out: %w", err)
	}
	return nil
}
