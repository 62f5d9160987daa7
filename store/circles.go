package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// MaxCircleMentees is the most mentees a mentor circle's WhatsApp group takes: a Cloud API group
// holds 8 participants and whether the business number counts among them is not settled
// (whatsapp-api.md §5.2), so the mentor, six mentees and the business are all that surely fit.
const MaxCircleMentees = 6

// CircleState is where the creation of a circle's WhatsApp group stands.
type CircleState string

// The states of a circle's group: being created (asked of the Graph API, whose group_create webhook
// makes it active; a second click waits for it), created with its invite link, or refused by Meta
// (a click tries again).
const (
	CircleCreating CircleState = "creating"
	CircleActive   CircleState = "active"
	CircleFailed   CircleState = "failed"
)

// JoinState is a circle member's place in the group, as the group webhooks report it.
type JoinState string

// The join states: invited (the link sent), joined, left (or removed), refused (the group was full).
const (
	JoinInvited JoinState = "invited"
	JoinJoined  JoinState = "joined"
	JoinLeft    JoinState = "left"
	JoinRefused JoinState = "refused"
)

// ErrCircleTooLarge is BeginCircleGroup's error for a mentor with more than MaxCircleMentees mentees.
var ErrCircleTooLarge = errors.New("store: the circle is larger than a WhatsApp group holds")

// CircleMember is a member of a mentor circle (the mentor or one of her mentees) and her join state.
type CircleMember struct {
	WorkerID int64  `db:"worker_id"`
	Name     string `db:"name"`
	Phone    string `db:"phone"`
	Language string `db:"language"`
	Mentor   bool   `db:"is_mentor"`
	// Channel is her channel in effect (ChannelSMS, ChannelWhatsApp).
	Channel string `db:"channel"`
	// State is "" before the group exists.
	State     JoinState    `db:"state"`
	Reason    string       `db:"reason"`
	ChangedAt sql.NullTime `db:"changed_at"`
}

// Circle is a mentor circle and its WhatsApp group (ID 0 before one was asked for).
type Circle struct {
	ID         int64        `db:"id"`
	MentorID   int64        `db:"mentor_id"`
	GroupID    string       `db:"graph_group_id"`
	InviteLink string       `db:"invite_link"`
	State      CircleState  `db:"state"`
	Failure    string       `db:"failure"`
	LastIn     sql.NullTime `db:"last_in_at"` // a member's last message in the group: its window
	CreatedAt  time.Time    `db:"created_at"`
	Members    []CircleMember
}

// WindowOpen reports whether free-form text may go to the group at now: a member wrote in the last
// window (any member's message opens it for the whole group, whatsapp-api.md §5.5).
func (c Circle) WindowOpen(now time.Time, window time.Duration) bool {
	return c.LastIn.Valid && now.Sub(c.LastIn.Time) < window
}

const sqlCircleMembers = `SELECT w.id AS worker_id, w.name, w.phone, w.language, CASE WHEN w.id = ? THEN 1 ELSE 0 END AS is_mentor,
  ` + sqlWorkerChannel + ` AS channel, COALESCE(cm.state, '') AS state, COALESCE(cm.reason, '') AS reason, cm.changed_at
FROM workers w LEFT JOIN circle_members cm ON cm.worker_id = w.id AND cm.circle_id = ?
WHERE w.id = ? OR w.id IN (SELECT mentee_id FROM mentor_pairs WHERE mentor_id = ?)
ORDER BY is_mentor DESC, w.name, w.id`

// circleMembers returns the mentor and her mentees, the mentor first, with their state in circle
// (0: none yet).
func (db *DB) circleMembers(ctx context.Context, q sqlx.QueryerContext, mentorID, circle int64) ([]CircleMember, error) {
	var ms []CircleMember
	if err := sqlx.SelectContext(ctx, q, &ms, db.Rebind(sqlCircleMembers), mentorID, circle, mentorID, mentorID); err != nil {
		return nil, fmt.Errorf("store: circle members: %w", err)
	}
	return ms, nil
}

const sqlCircleCols = `SELECT id, mentor_id, graph_group_id, invite_link, state, failure, last_in_at, created_at FROM circle_groups `

// circle reads the circle_groups row where col = v and its members, or ErrNotFound.
func (db *DB) circle(ctx context.Context, q sqlx.QueryerContext, where string, v any) (Circle, error) {
	var c Circle
	err := sqlx.GetContext(ctx, q, &c, db.Rebind(sqlCircleCols+where), v)
	if errors.Is(err, sql.ErrNoRows) {
		return Circle{}, ErrNotFound
	}
	if err != nil {
		return Circle{}, fmt.Errorf("store: circle: %w", err)
	}
	c.Members, err = db.circleMembers(ctx, q, c.MentorID, c.ID)
	return c, err
}

// CircleOfMentor returns the mentor's circle: its group, if one was asked for (ID 0 otherwise),
// and its members.
func (db *DB) CircleOfMentor(ctx context.Context, mentorID int64) (Circle, error) {
	c, err := db.circle(ctx, db, `WHERE mentor_id = ?`, mentorID)
	if errors.Is(err, ErrNotFound) {
		c = Circle{MentorID: mentorID}
		c.Members, err = db.circleMembers(ctx, db, mentorID, 0)
	}
	return c, err
}

// CircleByGroup returns the circle whose WhatsApp group is groupID, or ErrNotFound.
func (db *DB) CircleByGroup(ctx context.Context, q sqlx.QueryerContext, groupID string) (Circle, error) {
	if groupID == "" {
		return Circle{}, ErrNotFound
	}
	return db.circle(ctx, q, `WHERE graph_group_id = ?`, groupID)
}

const sqlCircleOfWorker = `WHERE state = 'active' AND (mentor_id = ? OR mentor_id IN (SELECT mentor_id FROM mentor_pairs WHERE mentee_id = ?))
ORDER BY CASE WHEN mentor_id = ? THEN 0 ELSE 1 END LIMIT 1`

// CircleOfWorker returns the circle with an active group that the worker belongs to (her own, for
// a mentor who is also a mentee), or ErrNotFound.
func (db *DB) CircleOfWorker(ctx context.Context, q sqlx.QueryerContext, workerID int64) (Circle, error) {
	var c Circle
	err := sqlx.GetContext(ctx, q, &c, db.Rebind(sqlCircleCols+sqlCircleOfWorker), workerID, workerID, workerID)
	if errors.Is(err, sql.ErrNoRows) {
		return Circle{}, ErrNotFound
	}
	if err != nil {
		return Circle{}, fmt.Errorf("store: circle of worker: %w", err)
	}
	c.Members, err = db.circleMembers(ctx, q, c.MentorID, c.ID)
	return c, err
}

const sqlBeginCircle = `INSERT INTO circle_groups (mentor_id, state, created_at, updated_at) VALUES (?, 'creating', ?, ?)
ON CONFLICT (mentor_id) DO UPDATE SET state = 'creating', failure = '', updated_at = excluded.updated_at
WHERE circle_groups.state = 'failed' RETURNING id`

// BeginCircleGroup claims the creation of the mentor's circle group and returns its row's id; false
// when the group exists or is being created (a second click creates no second group). The mentor
// must be a mentor inside the scope (else ErrNotFound) with at most MaxCircleMentees mentees
// (else ErrCircleTooLarge). A failed creation is claimed again.
func (db *DB) BeginCircleGroup(ctx context.Context, sc Scope, userID, mentorID int64) (int64, bool, error) {
	var id int64
	err := db.Tx(ctx, func(tx *Tx) error {
		m, err := workerInScope(ctx, tx, sc, mentorID)
		if err != nil {
			return err
		}
		if m.Role != RoleMentor {
			return ErrNotFound
		}
		members, err := db.circleMembers(ctx, tx, mentorID, 0)
		if err != nil {
			return err
		}
		if len(members)-1 > MaxCircleMentees {
			return ErrCircleTooLarge
		}
		now := db.Now().UTC()
		err = tx.GetContext(ctx, &id, db.Rebind(sqlBeginCircle), mentorID, now, now)
		if errors.Is(err, sql.ErrNoRows) {
			id = 0
			return nil
		}
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "circle.group.create", fmt.Sprintf("worker:%d", mentorID), "")
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: begin circle group of %d: %w", mentorID, err)
	}
	return id, id != 0, nil
}

// CircleAnswer is Meta's answer to a request for a group (the group_create webhook): the group and
// its invite link, or why Meta refused it.
type CircleAnswer struct {
	RequestID  string `db:"request_id"`
	GroupID    string `db:"group_id"`
	InviteLink string `db:"invite_link"`
	// Failure is Meta's code and words when it refused; "" when it created the group.
	Failure string `db:"failure"`
}

const sqlRecordCircleRequest = `INSERT INTO circle_requests (request_id, circle_id, created_at) VALUES (?, ?, ?)
ON CONFLICT (request_id) DO UPDATE SET circle_id = excluded.circle_id WHERE circle_requests.circle_id IS NULL
RETURNING answered, request_id, group_id, invite_link, failure`

// RecordCircleRequest keeps, in tx, that requestID (CreateGroup's answer) asks Meta for circle
// id's group, and returns Meta's answer when its group_create webhook came first (true), to be
// applied in tx; false when it is still to come (AnswerCircleRequest then finds the circle).
func (db *DB) RecordCircleRequest(ctx context.Context, tx *Tx, id int64, requestID string) (CircleAnswer, bool, error) {
	var row struct {
		Answered bool `db:"answered"`
		CircleAnswer
	}
	err := tx.GetContext(ctx, &row, db.Rebind(sqlRecordCircleRequest), requestID, id, db.Now().UTC())
	if errors.Is(err, sql.ErrNoRows) { // another circle made the request: Meta reused an id
		return CircleAnswer{}, false, fmt.Errorf("store: record circle request %q: made by another circle", requestID)
	}
	if err != nil {
		return CircleAnswer{}, false, fmt.Errorf("store: record circle request %q: %w", requestID, err)
	}
	return row.CircleAnswer, row.Answered, nil
}

const sqlAnswerCircleRequest = `INSERT INTO circle_requests (request_id, answered, group_id, invite_link, failure, created_at)
VALUES (?, TRUE, ?, ?, ?, ?)
ON CONFLICT (request_id) DO UPDATE SET answered = TRUE, group_id = excluded.group_id, invite_link = excluded.invite_link,
  failure = excluded.failure WHERE NOT circle_requests.answered
RETURNING COALESCE(circle_id, 0)`

// AnswerCircleRequest keeps, in tx, Meta's answer to a request for a group, and returns the circle
// that made the request, to apply it to (true). False when the request was answered before (a
// second webhook changes nothing) or no circle made it yet: it is kept, and RecordCircleRequest
// returns it if the create's answer comes after.
func (db *DB) AnswerCircleRequest(ctx context.Context, tx *Tx, a CircleAnswer) (Circle, bool, error) {
	var circle int64
	err := tx.GetContext(ctx, &circle, db.Rebind(sqlAnswerCircleRequest), a.RequestID, a.GroupID, a.InviteLink, a.Failure, db.Now().UTC())
	if errors.Is(err, sql.ErrNoRows) || (err == nil && circle == 0) {
		return Circle{}, false, nil
	}
	if err != nil {
		return Circle{}, false, fmt.Errorf("store: answer circle request %q: %w", a.RequestID, err)
	}
	c, err := db.circle(ctx, tx, `WHERE id = ?`, circle)
	return c, err == nil, err
}

const sqlActivateCircle = `UPDATE circle_groups SET state = 'active', graph_group_id = ?, invite_link = ?, updated_at = ?
WHERE id = ? AND state = 'creating'`

const sqlInviteCircleMember = `INSERT INTO circle_members (circle_id, worker_id, state, changed_at) VALUES (?, ?, 'invited', ?)
ON CONFLICT (circle_id, worker_id) DO NOTHING`

// ActivateCircleGroup records, in tx (the group_create webhook's), the group Meta created for
// circle id and its invite link, every member as invited, and queues invites (the member's
// invitation, on her channel): the invites go once the group is recorded, never for a group that
// is not. False when the circle is not being created (a second webhook for the request changes
// nothing).
func (db *DB) ActivateCircleGroup(ctx context.Context, tx *Tx, id int64, groupID, link string, members []int64, invites []Outgoing) (bool, error) {
	now := db.Now().UTC()
	res, err := tx.ExecContext(ctx, db.Rebind(sqlActivateCircle), groupID, link, now, id)
	if err != nil {
		return false, fmt.Errorf("store: activate circle group %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	for _, w := range members {
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlInviteCircleMember), id, w, now); err != nil {
			return false, fmt.Errorf("store: activate circle group %d: %w", id, err)
		}
	}
	if _, err := db.Enqueue(ctx, tx, invites...); err != nil {
		return false, fmt.Errorf("store: activate circle group %d: %w", id, err)
	}
	return true, nil
}

// FailCircleGroup records that Meta refused to create circle id's group (reason: its code and words,
// no phone number), at once or in the group_create webhook; the next click tries again. A circle
// no longer being created is left as it is.
func (db *DB) FailCircleGroup(ctx context.Context, q sqlx.ExecerContext, id int64, reason string) error {
	_, err := q.ExecContext(ctx, db.Rebind(`UPDATE circle_groups SET state = 'failed', failure = ?, updated_at = ? WHERE id = ? AND state = 'creating'`),
		reason, db.Now().UTC(), id)
	if err != nil {
		return fmt.Errorf("store: fail circle group %d: %w", id, err)
	}
	return nil
}

const sqlSetCircleMember = `UPDATE circle_members SET state = ?, reason = ?, changed_at = ?
WHERE circle_id = ? AND worker_id = ? AND (state <> ? OR reason <> ?)`

// SetCircleMemberState records a member's join state from a group webhook; false when she is no
// member of the circle or the state is already that one (a webhook delivered twice changes nothing).
func (db *DB) SetCircleMemberState(ctx context.Context, q sqlx.ExecerContext, circle, workerID int64, state JoinState, reason string) (bool, error) {
	res, err := q.ExecContext(ctx, db.Rebind(sqlSetCircleMember), state, reason, db.Now().UTC(), circle, workerID, state, reason)
	if err != nil {
		return false, fmt.Errorf("store: circle member state: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// TouchCircleWindow records a member's message in the group at at: the group's window is open.
func (db *DB) TouchCircleWindow(ctx context.Context, q sqlx.ExecerContext, circle int64, at time.Time) error {
	_, err := q.ExecContext(ctx, db.Rebind(`UPDATE circle_groups SET last_in_at = ? WHERE id = ? AND (last_in_at IS NULL OR last_in_at < ?)`),
		at.UTC(), circle, at.UTC())
	if err != nil {
		return fmt.Errorf("store: circle window: %w", err)
	}
	return nil
}

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
