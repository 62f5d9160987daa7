package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Out is one outbox row as a test outside the store checks it: what was
// queued, to whom, and how far sending it got.
type Out struct {
	ID             int64          `db:"id"`
	DedupeKey      string         `db:"dedupe_key"`
	Kind           store.OutKind  `db:"kind"`
	Channel        string         `db:"channel"`
	Urgent         bool           `db:"urgent"`
	Phone          string         `db:"phone"`
	Body           string         `db:"body"`
	WorkerID       sql.NullInt64  `db:"worker_id"`
	BroadcastID    sql.NullInt64  `db:"broadcast_id"`
	GroupMessageID sql.NullInt64  `db:"group_message_id"`
	Status         string         `db:"status"`
	Attempts       int            `db:"attempts"`
	NotBefore      time.Time      `db:"not_before"`
	LeaseOwner     sql.NullString `db:"lease_owner"`
	Segments       int            `db:"segments"`
	Cost           float64        `db:"cost"`
	GatewayID      sql.NullString `db:"gateway_id"`
	GatewayStatus  string         `db:"gateway_status"`
	FailureReason  string         `db:"failure_reason"`
}

// Outbox returns every outgoing message, oldest first.
func Outbox(t testing.TB, db *store.DB) []Out {
	t.Helper()
	var out []Out
	if err := db.Select(&out, `SELECT id, dedupe_key, kind, channel, urgent, phone, body, worker_id, broadcast_id,
group_message_id, status, attempts, not_before, lease_owner, segments, cost, gateway_id, gateway_status, failure_reason
FROM outbox ORDER BY id`); err != nil {
		t.Fatalf("storetest: outbox: %v", err)
	}
	return out
}

// OutByKey returns the outgoing message with dedupe key key, or fails t.
func OutByKey(t testing.TB, db *store.DB, key string) Out {
	t.Helper()
	for _, o := range Outbox(t, db) {
		if o.DedupeKey == key {
			return o
		}
	}
	t.Fatalf("storetest: no outgoing message %q", key)
	return Out{}
}

// OutWhere returns the outgoing messages keep accepts, oldest first.
func OutWhere(t testing.TB, db *store.DB, keep func(Out) bool) []Out {
	t.Helper()
	var out []Out
	for _, o := range Outbox(t, db) {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// Bodies returns the bodies of msgs, in order.
func Bodies(msgs []Out) []string {
	var out []string
	for _, o := range msgs {
		out = append(out, o.Body)
	}
	return out
}

// MarkFailed marks the outgoing messages keyed keys failed, as a gateway's
// final refusal leaves them.
func MarkFailed(t testing.TB, db *store.DB, keys ...string) {
	t.Helper()
	for _, k := range keys {
		seed(t, db, `UPDATE outbox SET status = 'failed' WHERE dedupe_key = ?`, k)
	}
}
