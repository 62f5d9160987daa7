package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"chanjo/gsm"
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

// Outbox statuses.
const (
	OutQueued     = "queued"
	OutSending    = "sending"
	OutAccepted   = "accepted"
	OutDelivered  = "delivered"
	OutFailed     = "failed"
	OutSuppressed = "suppressed"
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
	// Urgent lets a broadcast or nudge go out during quiet hours.
	Urgent bool
	// NotBefore is the earliest send time; zero means now.
	NotBefore time.Time
}

// enqueueChunk is the number of rows per INSERT: 12 binds a row keeps a chunk
// well under SQLite's 32,766 and PostgreSQL's 65,535 bind limits.
const enqueueChunk = 1000

const sqlEnqueueHead = `INSERT INTO outbox (dedupe_key, kind, priority, urgent, phone, body, worker_id,
broadcast_id, not_before, segments, created_at, updated_at) VALUES `

const sqlEnqueueRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const sqlEnqueueTail = ` ON CONFLICT (dedupe_key) DO NOTHING`

// Enqueue writes msgs to the outbox through q, which should be the
// transaction of the event that causes them, so that the event and its SMS
// commit together. A message whose DedupeKey is already in the outbox is
// silently dropped; Enqueue returns how many were inserted. Large lists (a
// broadcast) go in multi-row INSERTs of enqueueChunk rows.
func (db *DB) Enqueue(ctx context.Context, q sqlx.ExtContext, msgs ...Outgoing) (int, error) {
	now := db.Now().UTC()
	segs := map[string]int{}
	total := 0
	for start := 0; start < len(msgs); start += enqueueChunk {
		chunk := msgs[start:min(start+enqueueChunk, len(msgs))]
		args := make([]any, 0, 12*len(chunk))
		for _, m := range chunk {
			row, err := enqueueArgs(m, now, segs)
			if err != nil {
				return total, fmt.Errorf("store: enqueue: %w", err)
			}
			args = append(args, row...)
		}
		query := sqlEnqueueHead + strings.Repeat(sqlEnqueueRow+",", len(chunk)-1) + sqlEnqueueRow + sqlEnqueueTail
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
	return total, nil
}

// enqueueArgs checks m and returns its bind values in sqlEnqueueRow order.
// segs caches segment counts by body: a broadcast repeats one body.
func enqueueArgs(m Outgoing, now time.Time, segs map[string]int) ([]any, error) {
	prio := m.Kind.priority()
	switch {
	case prio < 0:
		return nil, fmt.Errorf("kind %q: %w", m.Kind, ErrInvalidOutgoing)
	case m.DedupeKey == "" || m.Phone == "" || m.Body == "":
		return nil, fmt.Errorf("dedupe key, phone and body are required: %w", ErrInvalidOutgoing)
	}
	n, ok := segs[m.Body]
	if !ok {
		n = gsm.Segments(m.Body).Segments
		segs[m.Body] = n
	}
	notBefore := now
	if !m.NotBefore.IsZero() {
		notBefore = m.NotBefore.UTC()
	}
	return []any{m.DedupeKey, string(m.Kind), prio, m.Urgent, m.Phone, m.Body, nullID(m.WorkerID),
		nullID(m.BroadcastID), notBefore, n, now, now}, nil
}

// nullID maps the id 0 to NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
