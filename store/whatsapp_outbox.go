package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// sqlWorkerChannel is a worker w's channel in effect: WhatsApp when she chose
// it, has opted in on WhatsApp, and WhatsApp has not since reported her
// number unreachable; SMS otherwise.
const sqlWorkerChannel = `CASE WHEN w.channel = 'whatsapp' AND w.wa_opt_in_at IS NOT NULL AND w.wa_unreachable_at IS NULL
  THEN 'whatsapp' ELSE 'sms' END`

// WhatsApp opt-in: how a worker came to be reachable there.
const (
	// OptInWrote: she wrote to the programme's number.
	OptInWrote = "wrote"
	// OptInTemplateReply: she answered the opt-in template's button.
	OptInTemplateReply = "template_reply"
)

// Reasons the WhatsApp dispatcher and the status webhooks leave in a row's
// failure_reason, which the next attempt reads.
const (
	// ReasonOutsideWindow: Meta refused free-form text (131047); the next
	// attempt sends the template.
	ReasonOutsideWindow = "outside the 24-hour window"
	// ReasonNoAnswer: the send got no answer and may have been accepted.
	ReasonNoAnswer = "no answer"
	// ReasonNotOnWhatsApp: Meta cannot reach the number (131026); the row
	// went on by SMS.
	ReasonNotOnWhatsApp = "not on WhatsApp"
)

// ErrUnknownChannel is returned for a channel other than ChannelSMS and
// ChannelWhatsApp.
var ErrUnknownChannel = errors.New("store: unknown channel")

const sqlSetWorkerChannel = `UPDATE workers SET channel = ?, updated_at = ? WHERE id = ?`

// SetWorkerChannel records the channel the worker chose in her settings
// for her nudges, broadcasts, answers and job aids. WhatsApp takes effect
// only once she has opted in there (WorkerChannel).
func (db *DB) SetWorkerChannel(ctx context.Context, workerID int64, channel string) error {
	if channel != ChannelSMS && channel != ChannelWhatsApp {
		return fmt.Errorf("%w: %q", ErrUnknownChannel, channel)
	}
	res, err := db.ExecContext(ctx, db.Rebind(sqlSetWorkerChannel), channel, db.Now().UTC(), workerID)
	if err != nil {
		return fmt.Errorf("store: set worker channel: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}

// WorkerChannelState is a worker's channel as chosen and as in effect.
type WorkerChannelState struct {
	Chosen    string       `db:"chosen"`
	Effective string       `db:"effective"`
	OptInAt   sql.NullTime `db:"wa_opt_in_at"`
	OptInVia  string       `db:"wa_opt_in_via"`
	// UnreachableAt is when WhatsApp last reported her number unreachable
	// (131026), cleared when she writes there again.
	UnreachableAt sql.NullTime `db:"wa_unreachable_at"`
}

const sqlWorkerChannelState = `SELECT w.channel AS chosen, ` + sqlWorkerChannel + ` AS effective,
  w.wa_opt_in_at, w.wa_opt_in_via, w.wa_unreachable_at FROM workers w WHERE w.id = ?`

// WorkerChannel returns the worker's chosen and effective channel and her
// WhatsApp opt-in, or ErrNotFound.
func (db *DB) WorkerChannel(ctx context.Context, workerID int64) (WorkerChannelState, error) {
	var s WorkerChannelState
	err := db.GetContext(ctx, &s, db.Rebind(sqlWorkerChannelState), workerID)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("store: worker channel: %w", err)
	}
	return s, nil
}

// sqlRecordWhatsAppOptIn keeps the first opt-in and how it came; any message
// she writes shows her number reachable again.
const sqlRecordWhatsAppOptIn = `UPDATE workers SET
  wa_opt_in_via = CASE WHEN wa_opt_in_at IS NULL THEN ? ELSE wa_opt_in_via END,
  wa_opt_in_at = COALESCE(wa_opt_in_at, ?), wa_unreachable_at = NULL
WHERE phone = ?`

// WhatsAppRecipient is what the WhatsApp dispatcher needs about a number:
// her language (for a template) and when she last wrote (her window).
type WhatsAppRecipient struct {
	Language string
	// LastIn is when she last wrote; zero when she never did.
	LastIn time.Time
}

const sqlWhatsAppRecipient = `SELECT COALESCE((SELECT language FROM workers WHERE phone = ?), 'en') AS language,
  (SELECT MAX(sent_at) FROM whatsapp_messages WHERE phone = ?) AS last_in`

// WhatsAppRecipientOf returns the language and last message time of the
// number p (+254…).
func (db *DB) WhatsAppRecipientOf(ctx context.Context, p string) (WhatsAppRecipient, error) {
	var r struct {
		Language string  `db:"language"`
		LastIn   anyTime `db:"last_in"` // SQLite's MAX of a timestamp is text
	}
	if err := db.GetContext(ctx, &r, db.Rebind(sqlWhatsAppRecipient), p, p); err != nil {
		return WhatsAppRecipient{}, fmt.Errorf("store: whatsapp recipient: %w", err)
	}
	return WhatsAppRecipient{Language: r.Language, LastIn: time.Time(r.LastIn).UTC()}, nil
}

// A WhatsApp row turned into an SMS: while the dispatcher holds it (its
// send refused at once), or once sent, when a status says WhatsApp cannot
// reach the number; only text, as a menu or group invite has no SMS form.
// It goes as its SMS form (sms_body) when it has one: a whole answer is cut
// for SMS.
const (
	sqlLeasedToSMS = `UPDATE outbox SET channel = 'sms', body = COALESCE(sms_body, body), sms_body = NULL,
  status = 'queued', gateway_id = NULL, failure_reason = ?,
  not_before = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE id = ? AND channel = 'whatsapp' AND lease_owner = ? AND status = 'queued' AND wa_content = ''`
	sqlSentToSMS = `UPDATE outbox SET channel = 'sms', body = COALESCE(sms_body, body), sms_body = NULL,
  status = 'queued', gateway_id = NULL, failure_reason = ?,
  not_before = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE id = ? AND channel = 'whatsapp' AND status IN ('accepted', 'unconfirmed') AND gateway_id = ? AND wa_content = ''`
)

const sqlUnreachable = `UPDATE workers SET wa_unreachable_at = ? WHERE phone = ?`

// FallBackToSMS sends the row id, leased to owner, by SMS instead: WhatsApp
// cannot reach the number (131026), which is remembered so her next
// messages go by SMS at once, until she writes on WhatsApp again.
func (db *DB) FallBackToSMS(ctx context.Context, owner string, id int64, p string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		return db.toSMS(ctx, tx, id, p, sqlLeasedToSMS, owner)
	})
	if err != nil {
		return fmt.Errorf("store: fall back to sms: %w", err)
	}
	return nil
}

// toSMS runs stmt (sqlLeasedToSMS or sqlSentToSMS, with its own binds
// args) on the row id and remembers that WhatsApp cannot reach p.
func (db *DB) toSMS(ctx context.Context, tx *Tx, id int64, p, stmt string, args ...any) error {
	now := db.Now().UTC()
	all := append([]any{ReasonNotOnWhatsApp, now, now, id}, args...)
	if _, err := tx.ExecContext(ctx, db.Rebind(stmt), all...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, db.Rebind(sqlUnreachable), now, p)
	return err
}

// WAContent is what a WhatsApp outbox row's body holds: the dispatcher sends each kind its way.
type WAContent string

// The kinds of WhatsApp content. A menu and a group invite go only on WhatsApp: neither is ever
// turned into an SMS.
const (
	// WAText is text (or a job aid's name, sent as its document), or any SMS row.
	WAText WAContent = ""
	// WAMenu is a menu's list message or reply buttons: the screen (a ussd.Chat) as JSON, encoded
	// and read by the whatsapp package.
	WAMenu WAContent = "menu"
	// WAGroupInvite is the invite to a mentor circle's WhatsApp group: the body is the group's id,
	// which the group-invite template carries.
	WAGroupInvite WAContent = "group_invite"
)

// outboxOpaque is the biz_opaque_callback_data the WhatsApp dispatcher sends
// with a row: Meta echoes it in the statuses of every copy of the message.
const outboxOpaque = "outbox:"

// OutboxOpaque is the opaque callback data that names outbox row id.
func OutboxOpaque(id int64) string { return outboxOpaque + strconv.FormatInt(id, 10) }

// sqlSettleDelivered marks a row delivered by whichever copy of it was
// delivered first: a send retried after no answer may have reached her
// twice, and the copy that counts is the one whose wamid the row then keeps.
// A row leased for a send under way is left to that send.
const sqlSettleDelivered = `UPDATE outbox SET status = 'delivered', gateway_id = ?, gateway_status = ?,
  delivered_at = ?, updated_at = ?
WHERE id = ? AND channel = 'whatsapp'
  AND (status IN ('accepted', 'unconfirmed') OR (status = 'queued' AND (lease_until IS NULL OR lease_until < ?)))`

// sqlSettleWindow sends the row again as a template: Meta refused the
// free-form copy after accepting it (131047).
const sqlSettleWindow = `UPDATE outbox SET status = 'queued', gateway_id = NULL, failure_reason = ?, not_before = ?, updated_at = ?
WHERE id = ? AND channel = 'whatsapp' AND status IN ('accepted', 'unconfirmed') AND gateway_id = ?`

const sqlSettleFailed = `UPDATE outbox SET status = 'failed', gateway_status = ?, failure_reason = ?, updated_at = ?
WHERE id = ? AND channel = 'whatsapp' AND status IN ('accepted', 'unconfirmed') AND gateway_id = ?`

// sqlSettleFailedMenu fails a menu or group invite WhatsApp cannot deliver:
// neither has an SMS form (sqlSentToSMS leaves them).
const sqlSettleFailedMenu = `UPDATE outbox SET status = 'failed', gateway_status = ?, failure_reason = ?, updated_at = ?
WHERE id = ? AND channel = 'whatsapp' AND status IN ('accepted', 'unconfirmed') AND gateway_id = ? AND wa_content <> ''`

// Meta's error codes that the status webhooks settle a row by.
const (
	codeOutsideWindow = 131047
	codeUndeliverable = 131026
)

// settleOutbox applies a status of a message the WhatsApp dispatcher sent
// to its outbox row (named in s.Opaque): delivered or read by any copy
// marks it delivered; a failure of the copy the row counts sends it again
// as a template (131047), by SMS (131026), or fails it.
func (db *DB) settleOutbox(ctx context.Context, tx *Tx, s WhatsAppStatus) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(s.Opaque, outboxOpaque), 10, 64)
	if !strings.HasPrefix(s.Opaque, outboxOpaque) || err != nil {
		return nil
	}
	now := db.Now().UTC()
	switch {
	case s.Status == "delivered" || s.Status == "read" || s.Status == "played":
		_, err = tx.ExecContext(ctx, db.Rebind(sqlSettleDelivered), s.WAMID, s.Status, s.At.UTC(), now, id, now)
	case s.Status != "failed":
		return nil
	case s.ErrorCode == codeUndeliverable:
		// A menu answers what she wrote on WhatsApp, and a group invite is a WhatsApp template:
		// neither has an SMS form, so they fail.
		err = db.toSMS(ctx, tx, id, "+"+s.Recipient, sqlSentToSMS, s.WAMID)
		if err == nil {
			_, err = tx.ExecContext(ctx, db.Rebind(sqlSettleFailedMenu), s.Status, "code "+strconv.Itoa(s.ErrorCode), now, id, s.WAMID)
		}
	case s.ErrorCode == codeOutsideWindow:
		_, err = tx.ExecContext(ctx, db.Rebind(sqlSettleWindow), ReasonOutsideWindow, now, now, id, s.WAMID)
	default:
		_, err = tx.ExecContext(ctx, db.Rebind(sqlSettleFailed), s.Status, "code "+strconv.Itoa(s.ErrorCode), now, id, s.WAMID)
	}
	return err
}

const sqlLastWhatsAppStatusTo = `SELECT wamid, status, rank, recipient, opaque, COALESCE(error_code, 0) AS error_code, status_at
FROM whatsapp_statuses WHERE recipient = ? ORDER BY status_at DESC, wamid DESC LIMIT 1`

// LastWhatsAppStatusTo returns the latest status of the messages sent on
// WhatsApp to the number p (+254…): her reachability there. False when
// none was sent to her.
func (db *DB) LastWhatsAppStatusTo(ctx context.Context, p string) (WhatsAppStatus, bool, error) {
	var s WhatsAppStatus
	// Meta names the recipient by her digits, without the "+".
	err := db.GetContext(ctx, &s, db.Rebind(sqlLastWhatsAppStatusTo), strings.TrimPrefix(p, "+"))
	if errors.Is(err, sql.ErrNoRows) {
		return WhatsAppStatus{}, false, nil
	}
	if err != nil {
		return WhatsAppStatus{}, false, fmt.Errorf("store: last whatsapp status: %w", err)
	}
	return s, true, nil
}
