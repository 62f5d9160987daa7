package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Broadcast is a sent or scheduled broadcast with what became of its SMS.
type Broadcast struct {
	ID       int64     `db:"id"`
	UserName string    `db:"user_name"` // "" when sent from the command line or the user is gone
	Audience Audience  `db:"audience"`
	Body     string    `db:"body"`
	Urgent   bool      `db:"urgent"`
	SendAt   time.Time `db:"send_at"`
	// Recipients is the number of SMS the broadcast queued, in every
	// sub-county; Counts covers only those inside the reader's scope.
	Recipients int             `db:"recipients"`
	Segments   int             `db:"segments"`
	CreatedAt  time.Time       `db:"created_at"`
	Counts     BroadcastCounts `db:"-"`
}

// BroadcastCounts counts a broadcast's SMS by outbox status; delivery
// reports move them from accepted to delivered or failed.
type BroadcastCounts struct {
	Queued     int `db:"queued" json:"queued"`
	Sending    int `db:"sending" json:"sending"`
	Accepted   int `db:"accepted" json:"accepted"`
	Delivered  int `db:"delivered" json:"delivered"`
	Failed     int `db:"failed" json:"failed"`
	Suppressed int `db:"suppressed" json:"suppressed"`
	// Unconfirmed were probably sent (the gateway's 2xx answer could not be
	// read) and are never sent again; Expired outlasted their retries;
	// NotSent had no gateway configured.
	Unconfirmed int `db:"unconfirmed" json:"unconfirmed"`
	Expired     int `db:"expired" json:"expired"`
	NotSent     int `db:"not_sent_no_gateway" json:"not_sent_no_gateway"`
}

// Total is the number of SMS counted.
func (c BroadcastCounts) Total() int {
	return c.Queued + c.Sending + c.Accepted + c.Delivered + c.Failed + c.Suppressed + c.Unconfirmed + c.Expired + c.NotSent
}

// Pending reports whether some SMS still wait for a final status, so a page
// showing the counts should refresh.
func (c BroadcastCounts) Pending() bool {
	return c.Queued+c.Sending+c.Accepted > 0
}

// broadcastRow is a row of sqlBroadcasts.
type broadcastRow struct {
	Broadcast
	BroadcastCounts
}

// sqlBroadcasts selects broadcasts with their counts. A message being sent
// is a queued row leased to a dispatcher. A broadcast is inside
// a supervisor's scope when some of its SMS went to her sub-counties; she
// sees the counts of those only.
const sqlBroadcasts = `SELECT b.id, COALESCE(u.name, '') AS user_name, b.audience, b.body, b.urgent, b.send_at,
    b.recipients, b.segments, b.created_at,
    SUM(CASE WHEN o.status = 'queued' AND o.lease_owner IS NULL THEN 1 ELSE 0 END) AS queued,
    SUM(CASE WHEN o.status = 'queued' AND o.lease_owner IS NOT NULL THEN 1 ELSE 0 END) AS sending,
    SUM(CASE WHEN o.status = 'accepted' THEN 1 ELSE 0 END) AS accepted,
    SUM(CASE WHEN o.status = 'delivered' THEN 1 ELSE 0 END) AS delivered,
    SUM(CASE WHEN o.status = 'failed' THEN 1 ELSE 0 END) AS failed,
    SUM(CASE WHEN o.status = 'suppressed' THEN 1 ELSE 0 END) AS suppressed,
    SUM(CASE WHEN o.status = 'unconfirmed' THEN 1 ELSE 0 END) AS unconfirmed,
    SUM(CASE WHEN o.status = 'expired' THEN 1 ELSE 0 END) AS expired,
    SUM(CASE WHEN o.status = 'not_sent_no_gateway' THEN 1 ELSE 0 END) AS not_sent_no_gateway
FROM broadcasts b LEFT JOIN users u ON u.id = b.user_id
JOIN outbox o ON o.broadcast_id = b.id
LEFT JOIN workers w ON w.id = o.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE %s
GROUP BY b.id, u.name, b.audience, b.body, b.urgent, b.send_at, b.recipients, b.segments, b.created_at
ORDER BY b.id DESC`

// Broadcast returns the broadcast with the id and its counts inside the
// scope, or ErrNotFound when there is none or none of its SMS went inside
// the scope.
func (db *DB) Broadcast(ctx context.Context, sc Scope, id int64) (Broadcast, error) {
	bs, err := db.broadcasts(ctx, sc, db, "b.id = ?", []any{id}, 1)
	if err != nil {
		return Broadcast{}, fmt.Errorf("store: broadcast: %w", err)
	}
	if len(bs) == 0 {
		return Broadcast{}, ErrNotFound
	}
	return bs[0], nil
}

// Broadcasts returns the newest limit broadcasts inside the scope, newest
// first, each with its counts inside the scope.
func (db *DB) Broadcasts(ctx context.Context, sc Scope, limit int) ([]Broadcast, error) {
	bs, err := db.broadcasts(ctx, sc, db, "1 = 1", nil, limit)
	if err != nil {
		return nil, fmt.Errorf("store: broadcasts: %w", err)
	}
	return bs, nil
}

// broadcasts runs sqlBroadcasts through q with the extra condition cond.
func (db *DB) broadcasts(ctx context.Context, sc Scope, q sqlx.QueryerContext, cond string, args []any, limit int) ([]Broadcast, error) {
	where, scArgs := sc.clause("f.sub_county")
	var rows []broadcastRow
	query := fmt.Sprintf(sqlBroadcasts, where+" AND "+cond) + ` LIMIT ?`
	if err := sqlx.SelectContext(ctx, q, &rows, db.Rebind(query), append(append(scArgs, args...), limit)...); err != nil {
		return nil, err
	}
	out := make([]Broadcast, len(rows))
	for i, r := range rows {
		out[i] = r.Broadcast
		out[i].Counts = r.BroadcastCounts
	}
	return out, nil
}

// AudienceChoices are the values a broadcast form offers.
type AudienceChoices struct {
	SubCounties []string
	Groups      []string
}

const sqlChoiceSubCounties = `SELECT DISTINCT f.sub_county FROM facilities f WHERE %s AND f.sub_county <> '' ORDER BY f.sub_county`

const sqlChoiceGroups = `SELECT DISTINCT g.name FROM groups g JOIN group_members gm ON gm.group_id = g.id
JOIN workers w ON w.id = gm.worker_id LEFT JOIN facilities f ON f.id = w.facility_id WHERE %s ORDER BY g.name`

// AudienceChoices returns the sub-counties inside the scope and the groups
// with a member inside it.
func (db *DB) AudienceChoices(ctx context.Context, sc Scope) (AudienceChoices, error) {
	where, args := sc.clause("f.sub_county")
	var ch AudienceChoices
	if err := db.SelectContext(ctx, &ch.SubCounties, db.Rebind(fmt.Sprintf(sqlChoiceSubCounties, where)), args...); err != nil {
		return ch, fmt.Errorf("store: audience choices: %w", err)
	}
	if err := db.SelectContext(ctx, &ch.Groups, db.Rebind(fmt.Sprintf(sqlChoiceGroups, where)), args...); err != nil {
		return ch, fmt.Errorf("store: audience choices: %w", err)
	}
	return ch, nil
}
