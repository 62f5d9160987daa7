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
	Recipients int       `db:"recipients"`
	Segments   int       `db:"segments"`
	CreatedAt  time.Time `db:"created_at"`
	// CancelledAt is when the broadcast was last cancelled; nil if never.
	CancelledAt *time.Time `db:"cancelled_at"`
	// ResendOf is the broadcast whose failed recipients this one resent.
	ResendOf *int64          `db:"resend_of"`
	Counts   BroadcastCounts `db:"-"`
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
	// Cancelled were cancelled before a dispatcher claimed them; they never
	// go and cost nothing.
	Cancelled int `db:"cancelled" json:"cancelled"`
}

// add counts n SMS of the outbox status. A new status is one case here
// (and a field above); the counters themselves know no statuses.
func (c *BroadcastCounts) add(status string, n int) {
	switch status {
	case OutQueued:
		c.Queued += n
	case OutAccepted:
		c.Accepted += n
	case OutDelivered:
		c.Delivered += n
	case OutFailed:
		c.Failed += n
	case OutSuppressed:
		c.Suppressed += n
	case OutUnconfirmed:
		c.Unconfirmed += n
	case OutExpired:
		c.Expired += n
	case OutNotSent:
		c.NotSent += n
	case OutCancelled:
		c.Cancelled += n
	}
}

// Total is the number of SMS counted, cancelled ones included: the
// broadcast's recipients.
func (c BroadcastCounts) Total() int {
	return c.Queued + c.Sending + c.Accepted + c.Delivered + c.Failed + c.Suppressed + c.Unconfirmed + c.Expired + c.NotSent + c.Cancelled
}

// Billable is the number of SMS that were or will be paid for: all but the
// cancelled ones.
func (c BroadcastCounts) Billable() int {
	return c.Total() - c.Cancelled
}

// Pending reports whether some SMS still wait for a final status, so a page
// showing the counts should refresh.
func (c BroadcastCounts) Pending() bool {
	return c.Queued+c.Sending+c.Accepted > 0
}

// sqlBroadcastPage selects the broadcasts inside the scope, newest first:
// the one with the id, or all when the id is 0. Their counts come from the
// counters (migration 0018), so a page costs the same at any size of the
// outbox. A broadcast is inside a supervisor's scope when some of its SMS,
// counted or not yet folded, went to her sub-counties; every broadcast is
// inside an admin's.
const sqlBroadcastPage = `SELECT b.id, COALESCE(u.name, '') AS user_name, b.audience, b.body, b.urgent, b.send_at,
    b.recipients, b.segments, b.created_at, b.cancelled_at, b.resend_of
FROM broadcasts b LEFT JOIN users u ON u.id = b.user_id
WHERE (? = 0 OR b.id = ?)
  AND (? OR b.id IN (SELECT broadcast_id FROM broadcast_counts WHERE sub_county IN (?)
    UNION ALL SELECT broadcast_id FROM sms_count_deltas WHERE broadcast_id IS NOT NULL AND sub_county IN (?)))
ORDER BY b.id DESC LIMIT ?`

// sqlBroadcastCounts sums the counters of the broadcasts inside the scope,
// with the changes not yet folded.
const sqlBroadcastCounts = `SELECT broadcast_id, status, SUM(n) AS n FROM (
    SELECT broadcast_id, sub_county, status, n FROM broadcast_counts WHERE broadcast_id IN (?)
    UNION ALL SELECT broadcast_id, sub_county, status, n FROM sms_count_deltas WHERE broadcast_id IN (?)
) c WHERE (? OR sub_county IN (?)) GROUP BY broadcast_id, status`

// sqlBroadcastSending counts the queued SMS of the broadcasts that are
// leased to a dispatcher: being sent. The counters do not follow leases (a
// claim writes no counter), so this reads the outbox, the queued rows of
// the few broadcasts still sending.
const sqlBroadcastSending = `SELECT broadcast_id, COUNT(*) AS n FROM outbox
WHERE broadcast_id IN (?) AND status = 'queued' AND lease_owner IS NOT NULL AND (? OR sub_county IN (?))
GROUP BY broadcast_id`

// Broadcast returns the broadcast with the id and its counts inside the
// scope, or ErrNotFound when there is none or none of its SMS went inside
// the scope.
func (db *DB) Broadcast(ctx context.Context, sc Scope, id int64) (Broadcast, error) {
	bs, err := db.broadcasts(ctx, sc, db, id, 1)
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
	bs, err := db.broadcasts(ctx, sc, db, 0, limit)
	if err != nil {
		return nil, fmt.Errorf("store: broadcasts: %w", err)
	}
	return bs, nil
}

// broadcasts reads through q the page of broadcasts inside the scope (the
// one with the id, or all for id 0), then their counts.
func (db *DB) broadcasts(ctx context.Context, sc Scope, q sqlx.QueryerContext, id int64, limit int) ([]Broadcast, error) {
	if sc.none() {
		return nil, nil
	}
	admin, subCounties := sc.inArgs()
	query, args, err := db.in(sqlBroadcastPage, id, id, admin, subCounties, subCounties, limit)
	if err != nil {
		return nil, err
	}
	var out []Broadcast
	if err := sqlx.SelectContext(ctx, q, &out, query, args...); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := db.broadcastCounts(ctx, sc, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// broadcastCounts fills in the counts of bs inside the scope.
func (db *DB) broadcastCounts(ctx context.Context, sc Scope, q sqlx.QueryerContext, bs []Broadcast) error {
	byID := make(map[int64]*BroadcastCounts, len(bs))
	ids := make([]int64, len(bs))
	for i := range bs {
		byID[bs[i].ID], ids[i] = &bs[i].Counts, bs[i].ID
	}
	admin, subCounties := sc.inArgs()
	var rows []struct {
		ID     int64  `db:"broadcast_id"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	query, args, err := db.in(sqlBroadcastCounts, ids, ids, admin, subCounties)
	if err != nil {
		return err
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return err
	}
	var sending []int64
	for _, r := range rows {
		byID[r.ID].add(r.Status, r.N)
		if r.Status == OutQueued && r.N > 0 {
			sending = append(sending, r.ID)
		}
	}
	if len(sending) == 0 {
		return nil
	}
	rows = rows[:0]
	if query, args, err = db.in(sqlBroadcastSending, sending, admin, subCounties); err != nil {
		return err
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return err
	}
	for _, r := range rows {
		c := byID[r.ID]
		c.Queued, c.Sending = c.Queued-r.N, c.Sending+r.N
	}
	return nil
}

// AudienceChoices are the values a broadcast form offers.
type AudienceChoices struct {
	SubCounties []string
	Groups      []string
}

const sqlChoiceSubCounties = `SELECT DISTINCT f.sub_county FROM facilities f
WHERE (? OR f.sub_county IN (?)) AND f.sub_county <> '' ORDER BY f.sub_county`

const sqlChoiceGroups = `SELECT DISTINCT g.name FROM groups g JOIN group_members gm ON gm.group_id = g.id
JOIN workers w ON w.id = gm.worker_id LEFT JOIN facilities f ON f.id = w.facility_id WHERE (? OR f.sub_county IN (?)) ORDER BY g.name`

// AudienceChoices returns the sub-counties inside the scope and the groups
// with a member inside it.
func (db *DB) AudienceChoices(ctx context.Context, sc Scope) (AudienceChoices, error) {
	var ch AudienceChoices
	if sc.none() {
		return ch, nil
	}
	admin, subCounties := sc.inArgs()
	for _, c := range []struct {
		dst   *[]string
		query string
	}{{&ch.SubCounties, sqlChoiceSubCounties}, {&ch.Groups, sqlChoiceGroups}} {
		query, args, err := db.in(c.query, admin, subCounties)
		if err == nil {
			err = db.SelectContext(ctx, c.dst, query, args...)
		}
		if err != nil {
			return ch, fmt.Errorf("store: audience choices: %w", err)
		}
	}
	return ch, nil
}
