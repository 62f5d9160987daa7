package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// CirclePost is a message of an SMS-only member to be posted in her circle's group.
type CirclePost struct {
	ID       int64  `db:"id"`
	CircleID int64  `db:"circle_id"`
	GroupID  string `db:"graph_group_id"`
	// Body is the text to post, her name already in front.
	Body     string       `db:"body"`
	LastIn   sql.NullTime `db:"last_in_at"` // the group's window
	Language string       `db:"language"`   // the sender's: the template's language
	// Attempts is how many tries failed before this one (since the last repost).
	Attempts  int       `db:"attempts"`
	CreatedAt time.Time `db:"created_at"` // her SMS
	// RepostedAt is when the console last queued the post again after it failed for good.
	RepostedAt sql.NullTime `db:"reposted_at"`
}

// Since is when the post's retries started: her SMS, or its last repost.
func (p CirclePost) Since() time.Time {
	if p.RepostedAt.Valid {
		return p.RepostedAt.Time
	}
	return p.CreatedAt
}

// QueueCirclePost keeps body (already prefixed with her name) to be posted in circle's group, once
// per key (the SMS it came in); false when key was queued before.
func (db *DB) QueueCirclePost(ctx context.Context, q sqlx.ExecerContext, circle, senderID int64, body, key string) (bool, error) {
	res, err := q.ExecContext(ctx, db.Rebind(`INSERT INTO circle_posts (circle_id, sender_id, body, dedupe_key, state, created_at)
VALUES (?, ?, ?, ?, 'queued', ?) ON CONFLICT (dedupe_key) DO NOTHING`), circle, senderID, body, key, db.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: queue circle post: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

const sqlClaimedCirclePosts = `SELECT p.id, p.circle_id, g.graph_group_id, p.body, g.last_in_at, w.language, p.attempts,
  p.created_at, p.reposted_at
FROM circle_posts p JOIN circle_groups g ON g.id = p.circle_id JOIN workers w ON w.id = p.sender_id
WHERE p.id IN (?) AND p.lease_owner = ? ORDER BY p.id`

// The claim of queued circle posts whose retry time has come, per dialect (claimRows).
const (
	sqlClaimCirclePostsSQLite = `UPDATE circle_posts SET lease_owner = ?, lease_until = ?
WHERE id IN (SELECT id FROM circle_posts WHERE state = 'queued' AND (not_before IS NULL OR not_before <= ?)
             AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?)
RETURNING id`
	sqlClaimCirclePostsPostgres = `UPDATE circle_posts SET lease_owner = ?, lease_until = ?
WHERE id = ANY(ARRAY(SELECT id FROM circle_posts WHERE state = 'queued' AND (not_before IS NULL OR not_before <= ?)
             AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED))
RETURNING id`
)

// ClaimCirclePosts leases to c.Owner up to c.Limit queued posts whose retry time has come, for
// c.Lease: no other process sends them meanwhile, and a post whose process died (its heartbeat
// stopped: ReapDead, or the lease ran out) is claimed again: only a request in flight then is sent
// twice.
func (db *DB) ClaimCirclePosts(ctx context.Context, c RowClaim) ([]CirclePost, error) {
	now := db.Now().UTC()
	ids, err := db.claimRows(ctx, sqlClaimCirclePostsSQLite, sqlClaimCirclePostsPostgres, c, now, now)
	if err != nil || len(ids) == 0 {
		if err != nil {
			return nil, fmt.Errorf("store: claim circle posts: %w", err)
		}
		return nil, nil
	}
	q, args, err := db.in(sqlClaimedCirclePosts, ids, c.Owner)
	if err != nil {
		return nil, fmt.Errorf("store: claim circle posts: %w", err)
	}
	var posts []CirclePost
	if err := db.SelectContext(ctx, &posts, q, args...); err != nil {
		return nil, fmt.Errorf("store: claim circle posts: %w", err)
	}
	return posts, nil
}

const sqlFinishCirclePost = `UPDATE circle_posts SET state = ?, wamid = ?, failure = ?, sent_at = ?, lease_owner = NULL, lease_until = NULL
WHERE id = ? AND lease_owner = ?`

// FinishCirclePost records how owner's send of post id ended: sent with its wamid, or failed for
// good with Meta's code and words (shown on the circle page).
func (db *DB) FinishCirclePost(ctx context.Context, owner string, id int64, wamid, failure string) error {
	state := "sent"
	if failure != "" {
		state = "failed"
	}
	if _, err := db.exec(ctx, sqlFinishCirclePost, state, wamid, failure, db.Now().UTC(), id, owner); err != nil {
		return fmt.Errorf("store: finish circle post %d: %w", id, err)
	}
	return nil
}

const sqlRetryCirclePost = `UPDATE circle_posts SET attempts = attempts + 1, failure = ?, not_before = ?, lease_owner = NULL, lease_until = NULL
WHERE id = ? AND lease_owner = ? AND state = 'queued'`

// RetryCirclePost puts owner's post id back in the queue after a failure that may pass (failure:
// its code and words), to be tried again from notBefore.
func (db *DB) RetryCirclePost(ctx context.Context, owner string, id int64, failure string, notBefore time.Time) error {
	if _, err := db.exec(ctx, sqlRetryCirclePost, failure, notBefore.UTC(), id, owner); err != nil {
		return fmt.Errorf("store: retry circle post %d: %w", id, err)
	}
	return nil
}

const sqlReleaseCirclePosts = `UPDATE circle_posts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`

// FailedCirclePost is an SMS member's message her circle's group never got, and why.
type FailedCirclePost struct {
	ID        int64     `db:"id"`
	Sender    string    `db:"sender"`
	Failure   string    `db:"failure"`
	CreatedAt time.Time `db:"created_at"`
}

const sqlFailedCirclePosts = `SELECT p.id, w.name AS sender, p.failure, p.created_at FROM circle_posts p JOIN workers w ON w.id = p.sender_id
WHERE p.circle_id = ? AND p.state = 'failed' ORDER BY p.id DESC LIMIT 20`

// FailedCirclePosts returns the last 20 posts of circle that failed for good, newest first: who
// sent each, when, and why, for the circle page.
func (db *DB) FailedCirclePosts(ctx context.Context, circle int64) ([]FailedCirclePost, error) {
	var out []FailedCirclePost
	if err := db.SelectContext(ctx, &out, db.Rebind(sqlFailedCirclePosts), circle); err != nil {
		return nil, fmt.Errorf("store: failed circle posts: %w", err)
	}
	return out, nil
}

const sqlRepostCirclePost = `UPDATE circle_posts SET state = 'queued', failure = '', attempts = 0, not_before = NULL, reposted_at = ?
WHERE id = ? AND state = 'failed' AND circle_id IN (SELECT id FROM circle_groups WHERE mentor_id = ?)`

// RepostCirclePost queues again post, which failed for good, of the mentor's circle: a console
// user whose scope holds the mentor (else ErrNotFound) asked, and it is audited. False when the
// post is not failed (a second click, or a second console, posts nothing twice).
func (db *DB) RepostCirclePost(ctx context.Context, sc Scope, userID, mentorID, post int64) (bool, error) {
	var done bool
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := workerInScope(ctx, tx, sc, mentorID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Rebind(sqlRepostCirclePost), db.Now().UTC(), post, mentorID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		done = true
		return db.Audit(ctx, tx, userID, "circle.post.repost", fmt.Sprintf("circle_post:%d", post), fmt.Sprintf("worker:%d", mentorID))
	})
	if err != nil {
		return false, fmt.Errorf("store: repost circle post %d: %w", post, err)
	}
	return done, nil
}

// StrangerState is where a stranger stands in a circle's group: joined by the link, left, or removed
// by the business (from the console).
type StrangerState string

// The states of a stranger in a circle's group.
const (
	StrangerJoined  StrangerState = "joined"
	StrangerLeft    StrangerState = "left"
	StrangerRemoved StrangerState = "removed"
)

// Stranger is a number in a circle's WhatsApp group that is neither the mentor nor a mentee: the
// link was passed on.
type Stranger struct {
	WAID      string        `db:"wa_id"` // her digits, without "+"
	State     StrangerState `db:"state"`
	ChangedAt time.Time     `db:"changed_at"`
}

// Phone is the stranger's number as Chanjo writes numbers (+254…).
func (s Stranger) Phone() string { return "+" + s.WAID }

const (
	sqlStrangerFirst = `INSERT INTO circle_strangers (circle_id, wa_id, state, changed_at) VALUES (?, ?, ?, ?)
ON CONFLICT (circle_id, wa_id) DO NOTHING`
	sqlStrangerState = `UPDATE circle_strangers SET state = ?, changed_at = ? WHERE circle_id = ? AND wa_id = ? AND state <> ?`
)

// SetStranger records, from a participants webhook, a stranger's state in circle's group; first is
// true when the number was never seen in the group before (the mentor is told then, once). A
// webhook delivered twice changes nothing.
func (db *DB) SetStranger(ctx context.Context, q sqlx.ExecerContext, circle int64, waID string, state StrangerState) (first bool, err error) {
	now := db.Now().UTC()
	if state == StrangerJoined {
		res, err := q.ExecContext(ctx, db.Rebind(sqlStrangerFirst), circle, waID, state, now)
		if err != nil {
			return false, fmt.Errorf("store: circle stranger: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return n > 0, err
		}
	}
	if _, err := q.ExecContext(ctx, db.Rebind(sqlStrangerState), state, now, circle, waID, state); err != nil {
		return false, fmt.Errorf("store: circle stranger: %w", err)
	}
	return false, nil
}

// CircleStrangers returns the strangers seen in circle's group, the latest change first.
func (db *DB) CircleStrangers(ctx context.Context, circle int64) ([]Stranger, error) {
	var out []Stranger
	err := db.SelectContext(ctx, &out, db.Rebind(`SELECT wa_id, state, changed_at FROM circle_strangers WHERE circle_id = ?
ORDER BY changed_at DESC, wa_id`), circle)
	if err != nil {
		return nil, fmt.Errorf("store: circle strangers: %w", err)
	}
	return out, nil
}

const sqlStrangerInCircle = `SELECT g.id, g.graph_group_id, s.state FROM circle_groups g
JOIN circle_strangers s ON s.circle_id = g.id WHERE g.mentor_id = ? AND s.wa_id = ?`

// StrangerInCircle returns the circle and WhatsApp group of the mentor's circle where the stranger
// waID was seen, and her state there; ErrNotFound when the mentor is outside the scope or the
// number was never in her group.
func (db *DB) StrangerInCircle(ctx context.Context, sc Scope, mentorID int64, waID string) (int64, string, StrangerState, error) {
	if _, err := workerInScope(ctx, db, sc, mentorID); err != nil {
		return 0, "", "", err
	}
	var row struct {
		ID    int64         `db:"id"`
		Group string        `db:"graph_group_id"`
		State StrangerState `db:"state"`
	}
	err := db.GetContext(ctx, &row, db.Rebind(sqlStrangerInCircle), mentorID, waID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", ErrNotFound
	}
	if err != nil {
		return 0, "", "", fmt.Errorf("store: stranger in circle: %w", err)
	}
	return row.ID, row.Group, row.State, nil
}

// RemovedStranger records that the console user removed the stranger waID from circle's group
// through the Graph API, and audits it.
func (db *DB) RemovedStranger(ctx context.Context, userID, circle int64, waID string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := db.SetStranger(ctx, tx, circle, waID, StrangerRemoved); err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "circle.stranger.remove", fmt.Sprintf("circle:%d", circle), "")
	})
	if err != nil {
		return fmt.Errorf("store: removed stranger: %w", err)
	}
	return nil
}
