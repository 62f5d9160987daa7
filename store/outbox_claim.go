package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Claimed is an outbox row leased to a dispatcher for sending.
type Claimed struct {
	ID       int64   `db:"id"`
	Kind     OutKind `db:"kind"`
	Priority int     `db:"priority"`
	Phone    string  `db:"phone"`
	Body     string  `db:"body"`
	// SMSBody is the message's SMS form where Body is longer (a whole
	// answer on WhatsApp, Outgoing.SMSBody); "" when it has none.
	SMSBody  string `db:"sms_body"`
	Segments int    `db:"segments"`
	// Attempts counts the earlier sends that failed retryably.
	Attempts int `db:"attempts"`
	// LastReason is why the last attempt failed, "" before any.
	LastReason string `db:"failure_reason"`
	// Channel is ChannelSMS or ChannelWhatsApp.
	Channel string `db:"channel"`
	// GroupMessageID is the peer group message this is a copy of; 0 none.
	GroupMessageID int64 `db:"group_message_id"`
	// WAContent is what Body holds on WhatsApp (Outgoing.WAContent).
	WAContent WAContent `db:"wa_content"`
	// Due is when the message was first due: when it was queued, or the
	// send time of a scheduled broadcast. Retry horizons count from it.
	Due time.Time `db:"-"`
}

// ClaimOptions says who claims, how many rows and for how long.
type ClaimOptions struct {
	// Owner names the claiming process (NewProcessID); two running
	// dispatchers must use different owners.
	Owner string
	Limit int
	Lease time.Duration
	// Quiet holds nudges and non-urgent broadcasts back: only replies and
	// urgent rows are claimed.
	Quiet bool
	// Channel claims only that channel's rows; "" claims every channel's
	// (an SMS dispatcher without WhatsApp configured sends them all by SMS).
	Channel string
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

// sqlDue is the condition of a row a dispatcher may send now: queued, its
// time come, and leased to nobody (or its lease expired: a crashed
// dispatcher). Its binds are now, now, and true outside quiet hours (during
// them only replies and urgent broadcasts are due). Migration 0009's partial
// index covers its first term.
const sqlDue = `status = 'queued' AND not_before <= ? AND (lease_until IS NULL OR lease_until < ?)
  AND (? OR kind = 'reply' OR urgent)`

// sqlClaimSQLite leases due rows of a channel ("" for every channel: its
// binds are the channel twice) in place: it writes only lease_owner,
// lease_until and updated_at. A row whose lease expired (a crashed
// dispatcher) is due again (sqlDue). Opt-outs are read
// in the same statement: an opt-out stops everything queued before it;
// replies (to STOP itself, say) still go. SQLite has one writer at a time,
// so claimers cannot take the same row.
const sqlClaimSQLite = `UPDATE outbox SET lease_owner = ?, lease_until = ?, updated_at = ?
WHERE id IN (SELECT id FROM outbox WHERE ` + sqlDue + ` AND (? = '' OR channel = ?)
             ORDER BY priority, not_before LIMIT ?)
RETURNING id, kind, priority, phone, body, COALESCE(sms_body, '') AS sms_body, segments, attempts, failure_reason,
  created_at, channel, COALESCE(group_message_id, 0) AS group_message_id, wa_content,
  COALESCE(broadcast_id, 0) AS broadcast_id,
  kind <> 'reply' AND (EXISTS (SELECT 1 FROM workers w WHERE w.phone = outbox.phone AND w.opted_out)
                       OR EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = outbox.phone)) AS opted_out`

// sqlClaimPostgres is sqlClaimSQLite for PostgreSQL. Concurrent claimers
// skip each other's rows (FOR UPDATE SKIP LOCKED), and = ANY(ARRAY(...))
// makes PostgreSQL look the few ids up by key, where with IN it may
// hash-join against a scan of the whole queue. The columns it writes are
// covered by no index, so the update is HOT (heap-only, no index entry
// written; migration 0009 leaves free space in the table's pages for it).
//
// It tells the outbox's count trigger (migration 0055) that it changes only
// lease columns, which no count keeps, so the trigger returns at once
// instead of summing a thousand rows' old and new buckets to find no change.
// set_config(…, true) lasts until the end of the statement's own
// transaction, and the trigger fires at the end of the statement; were the
// setting missed, the trigger would still write nothing (the sums cancel),
// only slower. One statement, where SET LOCAL needed a transaction of its
// own: three round trips fewer a claim.
const sqlClaimPostgres = `WITH lease_only AS (SELECT set_config('chanjo.lease_only', 'on', true))
UPDATE outbox SET lease_owner = ?, lease_until = ?, updated_at = ?
WHERE id = ANY(ARRAY(SELECT id FROM outbox WHERE ` + sqlDue + ` AND (? = '' OR channel = ?)
             ORDER BY priority, not_before LIMIT ? FOR UPDATE SKIP LOCKED))
  AND EXISTS (SELECT FROM lease_only)
RETURNING id, kind, priority, phone, body, COALESCE(sms_body, '') AS sms_body, segments, attempts, failure_reason,
  created_at, channel, COALESCE(group_message_id, 0) AS group_message_id, wa_content,
  COALESCE(broadcast_id, 0) AS broadcast_id,
  kind <> 'reply' AND (EXISTS (SELECT 1 FROM workers w WHERE w.phone = outbox.phone AND w.opted_out)
                       OR EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = outbox.phone)) AS opted_out`

// claimedRow is a row of sqlClaimSQLite and sqlClaimPostgres (scanClaim).
type claimedRow struct {
	Claimed
	CreatedAt   time.Time `db:"created_at"`
	BroadcastID int64     `db:"broadcast_id"`
	OptedOut    bool      `db:"opted_out"`
}

// scanClaim runs the claim statement q and appends its rows to dst,
// scanned by hand in the order of its RETURNING: sqlx maps each row's columns
// to fields by reflection, which at 1,000 rows a claim was a third of the
// dispatcher's own time in a claim (docs/performance.md).
func (db *DB) scanClaim(ctx context.Context, dst []claimedRow, q string, args []any) ([]claimedRow, error) {
	rows, err := db.QueryContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r claimedRow
		err := rows.Scan(&r.ID, &r.Kind, &r.Priority, &r.Phone, &r.Body, &r.SMSBody, &r.Segments, &r.Attempts,
			&r.LastReason, &r.CreatedAt, &r.Channel, &r.GroupMessageID, &r.WAContent, &r.BroadcastID, &r.OptedOut)
		if err != nil {
			return nil, err
		}
		dst = append(dst, r)
	}
	return dst, rows.Err()
}

const sqlSendTimes = `SELECT id, send_at FROM broadcasts WHERE id IN (?)`

// sendTimes returns the send time of each broadcast of rows. One query a
// claim: a lookup a row in the claim itself took a sixth of a claim's time
// on PostgreSQL, for the one or two broadcasts a lease belongs to.
func (db *DB) sendTimes(ctx context.Context, rows []claimedRow) (map[int64]time.Time, error) {
	var ids []int64
	for _, r := range rows {
		if r.BroadcastID != 0 && !slices.Contains(ids, r.BroadcastID) {
			ids = append(ids, r.BroadcastID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	q, args, err := db.in(sqlSendTimes, ids)
	if err != nil {
		return nil, err
	}
	var bs []struct {
		ID     int64   `db:"id"`
		SendAt anyTime `db:"send_at"`
	}
	if err := db.SelectContext(ctx, &bs, q, args...); err != nil {
		return nil, err
	}
	at := make(map[int64]time.Time, len(bs))
	for _, b := range bs {
		at[b.ID] = time.Time(b.SendAt)
	}
	return at, nil
}

// Claim leases up to opt.Limit due rows to opt.Owner, replies first, and
// marks the claimed nudges and broadcasts to opted-out numbers suppressed.
// On PostgreSQL concurrent claimers skip each other's rows (FOR UPDATE SKIP
// LOCKED); on SQLite one writer at a time is the rule. A crash between the
// claim and the suppression leaves the rows leased, to be claimed (and
// checked) again.
func (db *DB) Claim(ctx context.Context, opt ClaimOptions) (Lease, error) {
	now := db.Now().UTC()
	l := Lease{Until: now.Add(opt.Lease)}
	args := []any{opt.Owner, l.Until, now, now, now, !opt.Quiet, opt.Channel, opt.Channel, opt.Limit}
	// The rows and the lease are sized once: grown by appending, the slices
	// were a third of what the dispatcher allocated (docs/performance.md).
	rows := make([]claimedRow, 0, opt.Limit)
	q := sqlClaimSQLite
	if db.Dialect == Postgres {
		q = sqlClaimPostgres
	}
	rows, err := db.scanClaim(ctx, rows, q, args)
	if err != nil {
		return Lease{}, fmt.Errorf("store: claim outbox: %w", err)
	}
	sendAt, err := db.sendTimes(ctx, rows)
	if err != nil {
		return Lease{}, fmt.Errorf("store: claim outbox: %w", err)
	}
	var gone []int64
	if len(rows) > 0 {
		l.Msgs = make([]Claimed, 0, len(rows))
	}
	for _, r := range rows {
		if r.OptedOut {
			gone = append(gone, r.ID)
		} else {
			r.Due = r.CreatedAt
			if t := sendAt[r.BroadcastID]; t.After(r.Due) {
				r.Due = t
			}
			l.Msgs = append(l.Msgs, r.Claimed)
		}
	}
	if err := db.suppress(ctx, opt.Owner, gone, now); err != nil {
		return Lease{}, fmt.Errorf("store: claim outbox: %w", err)
	}
	l.Suppressed = len(gone)
	// RETURNING promises no order.
	slices.SortFunc(l.Msgs, func(a, b Claimed) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.ID, b.ID))
	})
	return l, nil
}

const sqlSuppress = `UPDATE outbox SET status = 'suppressed', lease_owner = NULL, lease_until = NULL, updated_at = ?
WHERE lease_owner = ? AND status = 'queued' AND id IN (?)`

// suppress marks the rows ids, leased to owner, suppressed.
func (db *DB) suppress(ctx context.Context, owner string, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	q, args, err := db.in(sqlSuppress, now, owner, ids)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, q, args...)
	return err
}
