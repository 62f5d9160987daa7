package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/gsm"
)

// FailedRecipient is an SMS of a broadcast that did not reach its
// recipient, with why.
type FailedRecipient struct {
	OutboxID  int64     `db:"id" json:"id"`
	WorkerID  int64     `db:"worker_id" json:"worker_id"` // 0: the worker is gone
	Name      string    `db:"name" json:"name"`
	Phone     string    `db:"phone" json:"phone"`
	Status    string    `db:"status" json:"status"` // failed | expired | not_sent_no_gateway
	Reason    string    `db:"failure_reason" json:"reason"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// sqlFailedStatuses are the final statuses of SMS that did not reach their
// recipient and may be sent again: not suppressed (opted out), not
// unconfirmed (probably sent), not cancelled.
const sqlFailedStatuses = `('failed', 'expired', 'not_sent_no_gateway')`

// sqlFailedPage pages the failed SMS of a broadcast by outbox id (the
// outbox_broadcast index on (broadcast_id, status) finds them) inside the
// scope.
const sqlFailedPage = `SELECT o.id, COALESCE(o.worker_id, 0) AS worker_id, COALESCE(w.name, '') AS name, o.phone, o.status,
    o.failure_reason, o.updated_at
FROM outbox o LEFT JOIN workers w ON w.id = o.worker_id
WHERE o.broadcast_id = ? AND o.status IN ` + sqlFailedStatuses + ` AND o.id > ? AND (? OR o.sub_county IN (?))
ORDER BY o.id LIMIT ?`

// FailedRecipients returns up to limit failed SMS of the broadcast inside
// the scope, after the outbox id after (0 for the first page), in id
// order. A broadcast outside the scope is ErrNotFound.
func (db *DB) FailedRecipients(ctx context.Context, sc Scope, broadcastID, after int64, limit int) ([]FailedRecipient, error) {
	if _, err := db.Broadcast(ctx, sc, broadcastID); err != nil {
		return nil, fmt.Errorf("store: failed recipients: %w", err)
	}
	admin, subCounties := sc.inArgs()
	var out []FailedRecipient
	if err := db.inSelect(ctx, db, &out, sqlFailedPage, broadcastID, after, admin, subCounties, limit); err != nil {
		return nil, fmt.Errorf("store: failed recipients: %w", err)
	}
	return out, nil
}

// sqlResendTo is the recipients of a resend: the workers of the failed SMS
// inside the scope who can still get SMS (sqlAudience's rule).
const sqlResendTo = `SELECT DISTINCT w.id, w.phone, COALESCE(o.sub_county, '') AS sub_county
FROM outbox o JOIN workers w ON w.id = o.worker_id
WHERE o.broadcast_id = ? AND o.status IN ` + sqlFailedStatuses + ` AND (? OR o.sub_county IN (?))
  AND w.status = 'active' AND NOT w.opted_out AND NOT EXISTS (SELECT 1 FROM sms_optouts x WHERE x.phone = w.phone)
ORDER BY w.id`

const sqlInsertResend = `INSERT INTO broadcasts (user_id, audience, body, urgent, send_at, recipients, segments, created_at, resend_of)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// ResendFailed sends the broadcast again, now, to its failed recipients
// inside the scope who can still get SMS, as a new broadcast, and returns
// it. It is idempotent: once a broadcast has a resend, ResendFailed returns
// that one (created false) and sends nothing; the failed SMS of the resend
// are resent from the resend. None to resend is ErrNoRecipients.
func (db *DB) ResendFailed(ctx context.Context, sc Scope, userID, id int64) (b Broadcast, created bool, err error) {
	var newID int64
	err = db.Tx(ctx, func(tx *Tx) error {
		// Taking the source's row lock makes racing resends wait for the
		// first to commit and then find its resend (SQLite: one writer).
		if _, err := tx.ExecContext(ctx, db.Rebind(`UPDATE broadcasts SET id = id WHERE id = ?`), id); err != nil {
			return err
		}
		bs, err := db.broadcasts(ctx, sc, tx, id, 1)
		switch {
		case err != nil:
			return err
		case len(bs) == 0:
			return ErrNotFound
		}
		err = tx.GetContext(ctx, &newID, db.Rebind(`SELECT id FROM broadcasts WHERE resend_of = ?`), id)
		if !errors.Is(err, sqlNoRows) {
			return err
		}
		created = true
		newID, err = db.resend(ctx, tx, sc, userID, bs[0])
		return err
	})
	if err != nil {
		return Broadcast{}, false, fmt.Errorf("store: resend failed: %w", err)
	}
	b, err = db.Broadcast(ctx, sc, newID)
	return b, created, err
}

// resend writes the resend of src inside the caller's transaction.
func (db *DB) resend(ctx context.Context, tx *Tx, sc Scope, userID int64, src Broadcast) (int64, error) {
	admin, subCounties := sc.inArgs()
	var rs []recipient
	if err := db.inSelect(ctx, tx, &rs, sqlResendTo, src.ID, admin, subCounties); err != nil {
		return 0, err
	}
	if len(rs) == 0 {
		return 0, ErrNoRecipients
	}
	now := db.Now().UTC()
	text := BroadcastText(src.Body)
	segs := gsm.Segments(text).Segments
	var id int64
	err := tx.GetContext(ctx, &id, db.Rebind(sqlInsertResend), nullID(userID), src.Audience, src.Body, src.Urgent, now, len(rs), segs, now, src.ID)
	if err != nil {
		return 0, err
	}
	msgs := make([]Outgoing, len(rs))
	for i, r := range rs {
		msgs[i] = Outgoing{DedupeKey: fmt.Sprintf("broadcast:%d:%d", id, r.ID), Kind: KindBroadcast, Phone: r.Phone,
			SubCounty: r.SubCounty, Body: text, WorkerID: r.ID, BroadcastID: id, Urgent: src.Urgent, NotBefore: now}
	}
	if _, err := db.Enqueue(ctx, tx, msgs...); err != nil {
		return 0, err
	}
	return id, db.Audit(ctx, tx, userID, "broadcast.resend", fmt.Sprintf("broadcast:%d", id),
		fmt.Sprintf("resend of broadcast %d to %d failed recipients", src.ID, len(rs)))
}
