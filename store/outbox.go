package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

// OutKind is what an outgoing SMS is for; it sets the order of sending.
type OutKind string

// The kinds of outgoing SMS, in the order they are sent: replies to incoming
// SMS first, then reminders, then broadcasts.
const (
	KindReply     OutKind = "reply"
	KindNudge     OutKind = "nudge"
	KindBroadcast OutKind = "broadcast"
)

// priority returns the outbox priority of k (lower goes first), or -1 for an
// unknown kind.
func (k OutKind) priority() int {
	switch k {
	case KindReply:
		return 0
	case KindNudge:
		return 1
	case KindBroadcast:
		return 2
	}
	return -1
}

// Outbox statuses. A row being sent stays OutQueued: its lease (lease_owner,
// lease_until) is what keeps other dispatchers off it.
const (
	OutQueued     = "queued"
	OutAccepted   = "accepted"
	OutDelivered  = "delivered"
	OutFailed     = "failed"
	OutSuppressed = "suppressed"
	// OutUnconfirmed: the gateway answered 2xx but its answer could not be
	// read. The message was probably sent; it is never sent again.
	OutUnconfirmed = "unconfirmed"
	// OutExpired: retryable failures (or a pause) outlasted the message's
	// horizon; failure_reason keeps the last reason.
	OutExpired = "expired"
	// OutNotSent: no gateway was configured; the message never left.
	OutNotSent = "not_sent_no_gateway"
)

// ErrInvalidOutgoing is wrapped by Enqueue's error for a message with no
// dedupe key, phone or body, or an unknown kind.
var ErrInvalidOutgoing = errors.New("invalid outgoing SMS")

// Outgoing is one SMS to be sent.
type Outgoing struct {
	// DedupeKey makes enqueueing idempotent: a second message with the same
	// key is dropped. Derive it from the event, e.g. "in:"+gatewayID.
	DedupeKey string
	Kind      OutKind
	Phone     string // +254…
	Body      string
	// WorkerID and BroadcastID link the message to its worker and broadcast;
	// 0 means none.
	WorkerID, BroadcastID int64
	// SubCounty is the recipient's sub-county, which the SMS counts keep
	// (broadcast_counts, sms_daily); "" looks it up from WorkerID (and
	// Enqueue fills it in).
	SubCounty string
	// Urgent lets a broadcast or nudge go out during quiet hours.
	Urgent bool
	// NotBefore is the earliest send time; zero means now.
	NotBefore time.Time
	// Channel is ChannelSMS or ChannelWhatsApp; "" lets Enqueue choose:
	// nudges, broadcasts and replies to her channel (HerChannel) to a
	// worker go on her channel (WorkerChannel), everything else by SMS,
	// where the message it answers came from.
	Channel string
	// HerChannel sends a reply on her channel, as a nudge goes: it answers
	// no message of this moment but something she asked for earlier or
	// elsewhere (a mentor's or the helpdesk's answer to her question, a job
	// aid), which she reads where she chose to get them.
	HerChannel bool
	// GroupMessageID is the peer group message this is a copy of; 0 none.
	GroupMessageID int64
	// SMSBody is the message cut to go by SMS, where Body is longer than
	// the SMS form may be (a mentor's answer, whole on WhatsApp); "" sends
	// Body on either channel. A message that goes by SMS is queued with
	// it; one that goes on WhatsApp keeps it (outbox.sms_body) for the
	// fallback to SMS when WhatsApp cannot reach her.
	SMSBody string
	// WAContent is what Body holds on WhatsApp: text (WAText), or a menu or group invite, which have
	// no SMS form.
	WAContent WAContent
}

// enqueueChunk is the number of rows per INSERT: 17 binds a row keep a chunk
// well under SQLite's 32,766 and PostgreSQL's 65,535 bind limits.
const enqueueChunk = 1000

const sqlEnqueueHead = `INSERT INTO outbox (dedupe_key, kind, priority, urgent, phone, body, worker_id,
broadcast_id, not_before, segments, created_at, updated_at, sub_county, channel, group_message_id, sms_body, wa_content) VALUES `

// enqueueWidth is the number of columns sqlEnqueueHead names.
const enqueueWidth = 17

const sqlEnqueueTail = ` ON CONFLICT (dedupe_key) DO NOTHING`

// Enqueue writes msgs to the outbox through q, which should be the
// transaction of the event that causes them, so that the event and its SMS
// commit together. A message whose DedupeKey is already in the outbox is
// silently dropped; Enqueue returns how many were inserted. Large lists (a
// broadcast) go in multi-row INSERTs of enqueueChunk rows.
func (db *DB) Enqueue(ctx context.Context, q sqlx.ExtContext, msgs ...Outgoing) (int, error) {
	now := db.Now().UTC()
	total := 0
	for start := 0; start < len(msgs); start += enqueueChunk {
		chunk := slices.Clone(msgs[start:min(start+enqueueChunk, len(msgs))])
		if err := db.fillRecipients(ctx, q, chunk); err != nil {
			return total, fmt.Errorf("store: enqueue: %w", err)
		}
		args := make([]any, 0, enqueueWidth*len(chunk))
		for _, m := range chunk {
			row, err := enqueueArgs(m, now)
			if err != nil {
				return total, fmt.Errorf("store: enqueue: %w", err)
			}
			args = append(args, row...)
		}
		query := sqlEnqueueHead + rowBinds(len(chunk), enqueueWidth) + sqlEnqueueTail
		res, err := q.ExecContext(ctx, db.Rebind(query), args...)
		if err != nil {
			return total, fmt.Errorf("store: enqueue: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("store: enqueue: %w", err)
		}
		total += int(n)
	}
	if db.Dialect == Postgres && total >= analyzeAfter {
		if _, err := q.ExecContext(ctx, `ANALYZE outbox`); err != nil {
			return total, fmt.Errorf("store: enqueue: analyze: %w", err)
		}
	}
	return total, nil
}

// analyzeAfter is the number of rows queued at once (a broadcast) after
// which Enqueue has PostgreSQL analyze the outbox. Until the planner's
// statistics count the new rows it takes the queue for a few dozen rows and
// plans every claim as a scan of the whole queue and a sort (295 ms a claim
// of 1,000 at 30,000 queued, against 8.6 ms for the ordered scan of
// outbox_due it plans once it knows). Autovacuum's analyze comes a minute or
// more after a large insert, when the broadcast is mostly sent. No shape of
// the claim pins the plan: PostgreSQL has no hints, and every shape's plan
// follows the row estimate. The ANALYZE runs in the queuing transaction so
// the statistics are there when the rows commit, whoever commits them; it
// counts the transaction's own new rows, samples at most 30,000 rows
// whatever the outbox's size, and its lock blocks no read or write of the
// outbox, only another ANALYZE or VACUUM of it until the commit.
const analyzeAfter = 1000

// enqueueArgs checks m and returns its bind values in sqlEnqueueHead order.
func enqueueArgs(m Outgoing, now time.Time) ([]any, error) {
	prio := m.Kind.priority()
	switch {
	case prio < 0:
		return nil, fmt.Errorf("kind %q: %w", m.Kind, ErrInvalidOutgoing)
	case m.DedupeKey == "" || m.Phone == "" || m.Body == "":
		return nil, fmt.Errorf("dedupe key, phone and body are required: %w", ErrInvalidOutgoing)
	}
	notBefore := now
	if !m.NotBefore.IsZero() {
		notBefore = m.NotBefore.UTC()
	}
	body, smsBody := m.Body, any(nil)
	switch {
	case m.Channel != ChannelSMS && m.Channel != ChannelWhatsApp:
		return nil, fmt.Errorf("channel %q: %w", m.Channel, ErrInvalidOutgoing)
	case m.WAContent != WAText && m.Channel != ChannelWhatsApp:
		return nil, fmt.Errorf("%s by %s: %w", m.WAContent, m.Channel, ErrInvalidOutgoing)
	case m.SMSBody == "":
	case m.Channel == ChannelSMS:
		body = m.SMSBody
	default:
		smsBody = m.SMSBody
	}
	return []any{m.DedupeKey, string(m.Kind), prio, m.Urgent, m.Phone, body, nullID(m.WorkerID),
		nullID(m.BroadcastID), notBefore, 1, now, now, m.SubCounty, m.Channel, nullID(m.GroupMessageID), smsBody,
		string(m.WAContent)}, nil
}

// fillRecipients sets, from the workers' rows, the sub-county of the
// messages that carry none and the channel of those whose channel is left to
// Enqueue: one query a chunk, where a subquery a row would make SQLite
// compile a thousand of them.
func (db *DB) fillRecipients(ctx context.Context, q sqlx.ExtContext, msgs []Outgoing) error {
	var ids []any
	for _, m := range msgs {
		if (m.SubCounty == "" || m.Channel == "") && m.WorkerID != 0 {
			ids = append(ids, m.WorkerID)
		}
	}
	type recipient struct {
		ID        int64  `db:"id"`
		SubCounty string `db:"sub_county"`
		Channel   string `db:"channel"`
	}
	of := make(map[int64]recipient, len(ids))
	if len(ids) > 0 {
		var rows []recipient
		query, args, err := db.in(`SELECT w.id, COALESCE(f.sub_county, '') AS sub_county, `+sqlWorkerChannel+` AS channel
FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE w.id IN (?)`, ids)
		if err != nil {
			return err
		}
		if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
			return err
		}
		for _, r := range rows {
			of[r.ID] = r
		}
	}
	for i, m := range msgs {
		r := of[m.WorkerID]
		if m.SubCounty == "" {
			msgs[i].SubCounty = r.SubCounty
		}
		if m.Channel == "" {
			msgs[i].Channel = ChannelSMS
			if (m.Kind == KindNudge || m.Kind == KindBroadcast || m.HerChannel) && r.Channel == ChannelWhatsApp {
				msgs[i].Channel = ChannelWhatsApp
			}
		}
	}
	return nil
}

// nullID maps the id 0 to NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const sqlReleaseOwner = `UPDATE outbox SET lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE lease_owner = ? AND status = 'queued' AND (? = '' OR channel = ?)`

// Release ends owner's lease on every row of channel ("" for every
// channel, as ClaimOptions.Channel) it still holds unsent, so any dispatcher
// may claim them at once: a dispatcher calls it when it stops sending a
// lease early. An instance's SMS and WhatsApp dispatchers lease under the
// same owner, the process, so each gives back its own channel's rows only:
// the other's may be in flight. A dead process's rows are released by the
// others (ReapDead), so they need not wait for the lease to expire. No index
// covers the lease (that keeps a claim a HOT update), so Release reads the
// queued rows; it runs rarely.
func (db *DB) Release(ctx context.Context, owner, channel string) (int, error) {
	n, err := db.exec(ctx, sqlReleaseOwner, db.Now().UTC(), owner, channel, channel)
	if err != nil {
		return 0, fmt.Errorf("store: release outbox: %w", err)
	}
	return int(n), nil
}

// QueueSMS enqueues one message on its own and reports whether it is new:
// false when a message with its dedupe key was queued before.
func (db *DB) QueueSMS(ctx context.Context, m Outgoing) (bool, error) {
	n, err := db.Enqueue(ctx, db, m)
	return n == 1, err
}
