package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// WhatsAppWebhook is one signed webhook POST as received, kept before it was answered.
type WhatsAppWebhook struct {
	ID   int64  `db:"id"`
	Body []byte `db:"body"`
}

// WhatsAppMessage is a message a user sent to the programme's WhatsApp number.
type WhatsAppMessage struct {
	WAMID string `db:"wamid"`
	Phone string `db:"phone"` // E.164 with "+"
	Kind  string `db:"kind"`  // Meta's type: text, interactive, button, image…
	// ReplyID is the id of the chosen list row or button, "" for a text.
	ReplyID string    `db:"reply_id"`
	Body    string    `db:"body"`
	SentAt  time.Time `db:"sent_at"`
}

// WhatsAppStatus is the latest status of a message sent on WhatsApp.
type WhatsAppStatus struct {
	WAMID     string `db:"wamid"`
	Status    string `db:"status"`
	Rank      int    `db:"rank"` // the caller's order of statuses: a status replaces only a lower rank
	Recipient string `db:"recipient"`
	Opaque    string `db:"opaque"`
	// ErrorCode is Meta's code of a failed message, 0 otherwise.
	ErrorCode int       `db:"error_code"`
	At        time.Time `db:"status_at"`
}

// sqlx repeats the VALUES row for each body of a joined write.
const sqlRecordWhatsAppWebhooks = `INSERT INTO whatsapp_inbox (body, received_at) VALUES (:body, :received_at)`

// webhookRow is one row of whatsapp_inbox as written.
type webhookRow struct {
	Body       []byte    `db:"body"`
	ReceivedAt time.Time `db:"received_at"`
}

// RecordWhatsAppWebhook keeps the raw body of a signed webhook POST and returns once it is committed.
// The webhook answers 200 only after this: Meta does not send a webhook again once it got a 200.
// The POSTs arriving at the same moment share one commit, one INSERT (groupCommit); like
// RecordAnswer it writes under its own deadline, so a client that hangs up cannot fail the others.
func (db *DB) RecordWhatsAppWebhook(ctx context.Context, body []byte) error {
	if err := db.webhooks.add(webhookRow{Body: body, ReceivedAt: db.Now().UTC()}); err != nil {
		return fmt.Errorf("store: record whatsapp webhook: %w", err)
	}
	return nil
}

// writeWebhooks is the joined write of RecordWhatsAppWebhook.
func (db *DB) writeWebhooks(ctx context.Context, rows []webhookRow) error {
	_, err := db.NamedExecContext(ctx, sqlRecordWhatsAppWebhooks, rows)
	return err
}

const sqlPendingWhatsAppWebhooks = `SELECT id, body FROM whatsapp_inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?`

// PendingWhatsAppWebhooks returns up to limit webhooks not yet applied, oldest first.
func (db *DB) PendingWhatsAppWebhooks(ctx context.Context, limit int) ([]WhatsAppWebhook, error) {
	var hooks []WhatsAppWebhook
	if err := db.SelectContext(ctx, &hooks, db.Rebind(sqlPendingWhatsAppWebhooks), limit); err != nil {
		return nil, fmt.Errorf("store: pending whatsapp webhooks: %w", err)
	}
	return hooks, nil
}

const sqlClaimWhatsAppWebhook = `UPDATE whatsapp_inbox SET processed_at = ? WHERE id = ? AND processed_at IS NULL`

const sqlInsertWhatsAppMessage = `INSERT INTO whatsapp_messages (wamid, phone, kind, reply_id, body, sent_at, received_at, inbox_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (wamid) DO NOTHING`

// sqlApplyWhatsAppStatus keeps, per message, the status of the highest rank: a duplicate or a
// status that arrives after a later one changes nothing.
const sqlApplyWhatsAppStatus = `INSERT INTO whatsapp_statuses (wamid, status, rank, recipient, opaque, error_code, status_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (wamid) DO UPDATE SET status = excluded.status, rank = excluded.rank, error_code = excluded.error_code,
    status_at = excluded.status_at, updated_at = excluded.updated_at,
    opaque = CASE WHEN excluded.opaque <> '' THEN excluded.opaque ELSE whatsapp_statuses.opaque END
WHERE whatsapp_statuses.rank < excluded.rank`

// ApplyWhatsAppWebhook marks webhook id applied and stores its messages and statuses, in one
// transaction, and returns the messages that are new (not a duplicate of one stored before). A
// webhook another instance applied first changes nothing and returns none. Each new message is
// handed to handle (nil: none), in the same transaction, so what it does happens exactly once;
// also (nil: nothing) runs once in it too, for what the webhook carries besides (group events).
func (db *DB) ApplyWhatsAppWebhook(ctx context.Context, id int64, msgs []WhatsAppMessage, statuses []WhatsAppStatus,
	handle func(tx *Tx, m WhatsAppMessage) error, also func(tx *Tx) error) ([]WhatsAppMessage, error) {
	var fresh []WhatsAppMessage
	err := db.Tx(ctx, func(tx *Tx) error {
		now := db.Now().UTC()
		res, err := tx.ExecContext(ctx, db.Rebind(sqlClaimWhatsAppWebhook), now, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		for _, m := range msgs {
			res, err := tx.ExecContext(ctx, db.Rebind(sqlInsertWhatsAppMessage), m.WAMID, m.Phone, m.Kind, m.ReplyID, m.Body,
				m.SentAt.UTC(), now, id)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return err
				}
				continue
			}
			fresh = append(fresh, m)
			// Writing to the number is her opt-in, recorded once.
			via := OptInWrote
			if m.Kind == "button" {
				via = OptInTemplateReply
			}
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlRecordWhatsAppOptIn), via, m.SentAt.UTC(), m.Phone); err != nil {
				return err
			}
			if handle != nil {
				if err := handle(tx, m); err != nil {
					return err
				}
			}
		}
		for _, s := range statuses {
			res, err := tx.ExecContext(ctx, db.Rebind(sqlApplyWhatsAppStatus), s.WAMID, s.Status, s.Rank, s.Recipient, s.Opaque,
				nullCode(s.ErrorCode), s.At.UTC(), now)
			if err != nil {
				return err
			}
			// Only a status that moved its message on settles the outbox
			// row: a duplicate or one overtaken by a later status does not.
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				if err != nil {
					return err
				}
				continue
			}
			if err := db.settleOutbox(ctx, tx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: apply whatsapp webhook: %w", err)
	}
	return fresh, nil
}

func nullCode(code int) any {
	if code == 0 {
		return nil
	}
	return code
}

const sqlWhatsAppStatus = `SELECT wamid, status, rank, recipient, opaque, COALESCE(error_code, 0) AS error_code, status_at
FROM whatsapp_statuses WHERE wamid = ?`

// WhatsAppStatusOf returns the latest status of the sent message wamid, and false when none came.
func (db *DB) WhatsAppStatusOf(ctx context.Context, wamid string) (WhatsAppStatus, bool, error) {
	var s WhatsAppStatus
	err := db.GetContext(ctx, &s, db.Rebind(sqlWhatsAppStatus), wamid)
	if errors.Is(err, sql.ErrNoRows) {
		return WhatsAppStatus{}, false, nil
	}
	if err != nil {
		return WhatsAppStatus{}, false, fmt.Errorf("store: whatsapp status: %w", err)
	}
	return s, true, nil
}

const sqlWhatsAppMessagesFrom = `SELECT wamid, phone, kind, reply_id, body, sent_at FROM whatsapp_messages WHERE phone = ? ORDER BY sent_at, wamid`

// WhatsAppMessagesFrom returns the messages stored from the number p (E.164), oldest first.
func (db *DB) WhatsAppMessagesFrom(ctx context.Context, p string) ([]WhatsAppMessage, error) {
	var msgs []WhatsAppMessage
	if err := db.SelectContext(ctx, &msgs, db.Rebind(sqlWhatsAppMessagesFrom), p); err != nil {
		return nil, fmt.Errorf("store: whatsapp messages: %w", err)
	}
	return msgs, nil
}

const sqlCountWhatsAppInbox = `SELECT COUNT(*) FROM whatsapp_inbox`

// CountWhatsAppWebhooks returns how many webhook POSTs are kept, applied or not.
func (db *DB) CountWhatsAppWebhooks(ctx context.Context) (int, error) {
	var n int
	if err := db.GetContext(ctx, &n, sqlCountWhatsAppInbox); err != nil {
		return 0, fmt.Errorf("store: count whatsapp webhooks: %w", err)
	}
	return n, nil
}

// whatsappAnswerKey is the outbox dedupe key of the answer to an inbound WhatsApp message: one
// answer a message, however often it is handled.
func whatsappAnswerKey(wamid string) string { return "wa:" + wamid }

// phoneLock is the first key of the PostgreSQL advisory lock that keeps one phone's WhatsApp
// messages from being answered at once (the second is the phone's hash).
const phoneLock = 7262529

const sqlUnansweredWhatsAppMessages = `SELECT wamid, phone, kind, reply_id, body, sent_at FROM whatsapp_messages m
WHERE received_at >= ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'wa:' || m.wamid)
ORDER BY received_at, sent_at, wamid LIMIT ? OFFSET ?`

// UnansweredWhatsAppMessages returns up to limit inbound messages received since since that have no
// answer in the outbox, oldest first, after the first skip of them: those stored since the last
// round, and those a crash left between storing and answering. Commands answered in the transaction
// that stored them do not appear; those that get no answer do, and the caller skips them (skip).
func (db *DB) UnansweredWhatsAppMessages(ctx context.Context, since time.Time, skip, limit int) ([]WhatsAppMessage, error) {
	var msgs []WhatsAppMessage
	if err := db.SelectContext(ctx, &msgs, db.Rebind(sqlUnansweredWhatsAppMessages), since.UTC(), limit, skip); err != nil {
		return nil, fmt.Errorf("store: unanswered whatsapp messages: %w", err)
	}
	return msgs, nil
}

// AnswerWhatsAppMessage queues the answer answer gives to m, unless m has one already, with one
// phone's messages answered one at a time: on PostgreSQL every instance takes the phone's advisory
// lock first; on SQLite (one instance) the process answers one message at a time. answer runs outside any
// transaction (it may write through its own, which SQLite's one write lock would block) and returns
// the message to queue, whose DedupeKey is set here; false queues nothing. A crash between answer
// and the queueing leaves m unanswered, to be answered again.
func (db *DB) AnswerWhatsAppMessage(ctx context.Context, m WhatsAppMessage, answer func() (Outgoing, bool)) error {
	key := whatsappAnswerKey(m.WAMID)
	queue := func(q sqlx.ExtContext) error {
		var n int
		if err := sqlx.GetContext(ctx, q, &n, db.Rebind(`SELECT COUNT(*) FROM outbox WHERE dedupe_key = ?`), key); err != nil || n > 0 {
			return err
		}
		out, ok := answer()
		if !ok {
			return nil
		}
		out.DedupeKey = key
		_, err := db.Enqueue(ctx, q, out)
		return err
	}
	var err error
	if db.Dialect == Postgres {
		err = db.Tx(ctx, func(tx *Tx) error {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, phoneLock, m.Phone); err != nil {
				return err
			}
			return queue(tx)
		})
	} else {
		db.waAnswering.Lock()
		err = queue(db)
		db.waAnswering.Unlock()
	}
	if err != nil {
		return fmt.Errorf("store: answer whatsapp message: %w", err)
	}
	return nil
}
