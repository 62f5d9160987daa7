package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	total := 0
	for start := 0; start < len(msgs); start += enqueueChunk {
		chunk := msgs[start:min(start+enqueueChunk, len(msgs))]
		args := make([]any, 0, 12*len(chunk))
		for _, m := range chunk {
			row, err := enqueueArgs(m, now)
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
	return []any{m.DedupeKey, string(m.Kind), prio, m.Urgent, m.Phone, m.Body, nullID(m.WorkerID),
		nullID(m.BroadcastID), notBefore, 1, now, now}, nil
}

// nullID maps the id 0 to NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Claimed is an outbox row leased to a dispatcher for sending.
type Claimed struct {
	ID       int64   `db:"id"`
	Kind     OutKind `db:"kind"`
	Priority int     `db:"priority"`
	Phone    string  `db:"phone"`
	Body     string  `db:"body"`
	Segments int     `db:"segments"`
	// Attempts counts the earlier sends that failed retryably.
	Attempts int `db:"attempts"`
}

// ClaimOptions says who claims, how many rows and for how long.
type ClaimOptions struct {
	// Owner names the dispatcher instance; two running dispatchers must use
	// different owners.
	Owner string
	Limit int
	Lease time.Duration
	// Quiet holds nudges and non-urgent broadcasts back: only replies and
	// urgent rows are claimed.
	Quiet bool
}

// Lease is the result of a claim.
type Lease struct {
	Msgs []Claimed
	// Suppressed counts the claimed nudges and broadcasts to opted-out
	// numbers, marked suppressed instead of being handed out.
	Suppressed int
	// Until is when the lease expires and other dispatchers may take the rows.
	Until time.Time
}

const sqlReclaimExpired = `UPDATE outbox SET status = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE status = 'sending' AND lease_until < ?`

const sqlClaim = `UPDATE outbox SET status = 'sending', lease_owner = ?, lease_until = ?, updated_at = ?
WHERE id %s (SELECT id FROM outbox WHERE status = 'queued' AND not_before <= ? %s
             ORDER BY priority, not_before LIMIT ? %s)
RETURNING id, kind, priority, phone, body, segments, attempts`

// sqlSuppressOptedOut applies opt-outs at send time, so an opt-out stops
// everything queued before it; replies (to STOP itself, say) still go.
const sqlSuppressOptedOut = `UPDATE outbox SET status = 'suppressed', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE lease_owner = ? AND status = 'sending' AND kind <> 'reply'
  AND (EXISTS (SELECT 1 FROM workers w WHERE w.phone = outbox.phone AND w.opted_out)
       OR EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = outbox.phone))
RETURNING id`

// Claim leases up to opt.Limit due rows to opt.Owner, replies first, in one
// transaction: rows whose lease expired (a crashed dispatcher) are queued
// again first, and rows to opted-out numbers are suppressed. On PostgreSQL
// concurrent claimers skip each other's rows; SQLite's immediate transaction
// serialises them.
func (db *DB) Claim(ctx context.Context, opt ClaimOptions) (Lease, error) {
	now := db.Now().UTC()
	l := Lease{Until: now.Add(opt.Lease)}
	in, quiet, lock := "IN", "", ""
	if opt.Quiet {
		quiet = "AND (kind = 'reply' OR urgent)"
	}
	if db.Dialect == Postgres {
		// = ANY(ARRAY(...)) makes PostgreSQL look the few ids up by key;
		// with IN it may hash-join against a scan of the whole queue.
		in, lock = "= ANY(ARRAY", "FOR UPDATE SKIP LOCKED)"
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlReclaimExpired), now, now); err != nil {
			return err
		}
		var msgs []Claimed
		q := db.Rebind(fmt.Sprintf(sqlClaim, in, quiet, lock))
		if err := tx.SelectContext(ctx, &msgs, q, opt.Owner, l.Until, now, now, opt.Limit); err != nil {
			return err
		}
		var gone []int64
		if err := tx.SelectContext(ctx, &gone, db.Rebind(sqlSuppressOptedOut), now, opt.Owner); err != nil {
			return err
		}
		l.Msgs, l.Suppressed = without(msgs, gone), len(gone)
		return nil
	})
	if err != nil {
		return Lease{}, fmt.Errorf("store: claim outbox: %w", err)
	}
	return l, nil
}

// without returns msgs minus the ids in gone, in send order: RETURNING
// promises no order.
func without(msgs []Claimed, gone []int64) []Claimed {
	drop := make(map[int64]bool, len(gone))
	for _, id := range gone {
		drop[id] = true
	}
	out := msgs[:0]
	for _, m := range msgs {
		if !drop[m.ID] {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Claimed) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.ID, b.ID))
	})
	return out
}

const sqlReleaseOwner = `UPDATE outbox SET status = 'queued', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE lease_owner = ? AND status = 'sending'`

// Release queues again every row owner still holds unsent: a dispatcher
// calls it when it stops, and when it starts, for rows a crashed earlier run
// of the same instance left leased, so they need not wait for the lease to
// expire.
func (db *DB) Release(ctx context.Context, owner string) (int, error) {
	res, err := db.ExecContext(ctx, db.Rebind(sqlReleaseOwner), db.Now().UTC(), owner)
	if err != nil {
		return 0, fmt.Errorf("store: release outbox: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
