package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// OptOutReason is why a number opted out.
type OptOutReason string

// The reasons of an opt-out.
const (
	// OptOutKeyword: the person sent STOP.
	OptOutKeyword OptOutReason = "keyword"
	// OptOutGatewayBlacklist: the gateway refused a message to the number
	// (406 UserInBlacklist, or a delivery report failing with it): the
	// operator will never deliver to it.
	OptOutGatewayBlacklist OptOutReason = "gateway_blacklist"
	// OptOutGatewayCallback: the gateway's opt-out callback.
	OptOutGatewayCallback OptOutReason = "gateway_callback"
	// OptOutWhatsApp: the person blocked or left the WhatsApp channel.
	OptOutWhatsApp OptOutReason = "whatsapp"
)

// OptOut is the record of one number's opt-out: who, when, from which
// channel and why. Every channel writes it through RecordOptOut.
type OptOut struct {
	Phone string `db:"phone"`
	// WorkerID is the worker with that number when it opted out, 0 for none.
	WorkerID int64        `db:"worker_id"`
	Channel  string       `db:"channel"`
	Reason   OptOutReason `db:"reason"`
	// Detail says more for the console: the gateway's status, a sender id.
	Detail string    `db:"detail"`
	At     time.Time `db:"opted_out_at"`
}

const sqlRecordOptOut = `INSERT INTO opt_outs (phone, worker_id, channel, reason, detail, opted_out_at)
VALUES (?, (SELECT id FROM workers WHERE phone = ?), ?, ?, ?, ?)
ON CONFLICT (phone) DO UPDATE SET worker_id = excluded.worker_id, channel = excluded.channel,
    reason = excluded.reason, detail = excluded.detail, opted_out_at = excluded.opted_out_at`

// RecordOptOut opts o.Phone out of nudges and broadcasts through q and keeps
// why: the latest opt-out's record replaces an earlier one. o.At and
// o.WorkerID are set by the store.
func (db *DB) RecordOptOut(ctx context.Context, q sqlx.ExtContext, o OptOut) error {
	if err := db.setOptOutFlag(ctx, q, o.Phone, true, string(o.Reason)); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, db.Rebind(sqlRecordOptOut), o.Phone, o.Phone, o.Channel, string(o.Reason), o.Detail, db.Now().UTC())
	if err != nil {
		return fmt.Errorf("store: record opt-out: %w", err)
	}
	return nil
}

const sqlDropOptOut = `DELETE FROM opt_outs WHERE phone = ?`

// OptIn takes the number p back into nudges and broadcasts through q (the
// person sent START) and forgets its opt-out record.
func (db *DB) OptIn(ctx context.Context, q sqlx.ExtContext, p string) error {
	if err := db.setOptOutFlag(ctx, q, p, false, ""); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, db.Rebind(sqlDropOptOut), p); err != nil {
		return fmt.Errorf("store: opt in: %w", err)
	}
	return nil
}

const sqlOptOutOf = `SELECT phone, COALESCE(worker_id, 0) AS worker_id, channel, reason, detail, opted_out_at
FROM opt_outs WHERE phone = ?`

// OptOutOf returns the opt-out record of the number p; ok is false when it
// has none.
func (db *DB) OptOutOf(ctx context.Context, p string) (o OptOut, ok bool, err error) {
	err = db.GetContext(ctx, &o, db.Rebind(sqlOptOutOf), p)
	switch {
	case errors.Is(err, sqlNoRows):
		return OptOut{}, false, nil
	case err != nil:
		return OptOut{}, false, fmt.Errorf("store: opt-out of: %w", err)
	}
	return o, true, nil
}
