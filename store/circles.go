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
