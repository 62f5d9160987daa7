package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

// RelayLimit is the largest group that relays its members' messages
// without the supervisor turning it on: one message to 200 members is 199
// SMS (docs/whatsapp.md, "Peer groups on both channels").
const RelayLimit = 30

// Group relay settings (groups.relay).
const (
	RelayAuto = "auto" // on up to RelayLimit members
	RelayOn   = "on"
	RelayOff  = "off"
)

// ErrRelayOff is returned when a message is posted to a group that does not
// relay: above RelayLimit members without the supervisor's consent, or
// turned off.
var ErrRelayOff = errors.New("store: group relay off")

// ErrInvalidRelay is returned for a relay setting other than RelayAuto,
// RelayOn and RelayOff.
var ErrInvalidRelay = errors.New("store: invalid group relay setting")

// ErrMuted is returned when a muted member posts to her group.
var ErrMuted = errors.New("store: member muted")

// ErrNotMentor is returned when someone other than a mentor of the group
// moderates it.
var ErrNotMentor = errors.New("store: not a mentor of the group")

// MemberGroup is one of a worker's groups as she sees it by SMS: G1, G2, …
// in this order.
type MemberGroup struct {
	ID      int64  `db:"id"`
	Name    string `db:"name"`
	Members int    `db:"members"`
	// Relays reports whether the group relays its members' messages.
	Relays     bool         `db:"relays"`
	MutedUntil sql.NullTime `db:"muted_until"`
}

const sqlMemberGroups = `SELECT g.id, g.name, m.muted_until,
  (SELECT COUNT(*) FROM group_members a WHERE a.group_id = g.id) AS members,
  g.relay = 'on' OR (g.relay = 'auto' AND (SELECT COUNT(*) FROM group_members a WHERE a.group_id = g.id) <= ?) AS relays
FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.worker_id = ? ORDER BY g.name, g.id`

// MemberGroups returns the worker's groups by name: her G1, G2, ….
func (db *DB) MemberGroups(ctx context.Context, q sqlx.QueryerContext, workerID int64) ([]MemberGroup, error) {
	var gs []MemberGroup
	if err := sqlx.SelectContext(ctx, q, &gs, db.Rebind(sqlMemberGroups), RelayLimit, workerID); err != nil {
		return nil, fmt.Errorf("store: member groups: %w", err)
	}
	return gs, nil
}

// GroupPost is a member's message to her group, as she sent it. The store
// keeps the data; the peer package words the copies members receive.
type GroupPost struct {
	Group  MemberGroup
	Sender Worker
	// Text is what she wrote.
	Text   string
	Source string // ChannelSMS or ChannelWhatsApp
	// Key names the message it came in ("sms:<gateway id>", "wa:<wamid>"):
	// the same message received twice is posted once.
	Key string
}

// GroupRecipient is a member a group message may be copied to.
type GroupRecipient struct {
	ID       int64  `db:"id"`
	Phone    string `db:"phone"`
	Language string `db:"language"`
}

// GroupCopy is the copy of a group message one member receives.
type GroupCopy struct {
	To   GroupRecipient
	Body string
}

const sqlInsertGroupMessage = `INSERT INTO group_messages (group_id, sender_id, body, source, inbound_key, recipients, created_at)
VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (inbound_key) DO NOTHING RETURNING id`

// sqlGroupRecipients are the other members who may receive the message:
// not opted out (STOP, from any channel), active.
const sqlGroupRecipients = `SELECT w.id, w.phone, w.language FROM group_members m JOIN workers w ON w.id = m.worker_id
WHERE m.group_id = ? AND w.id <> ? AND NOT w.opted_out AND w.status = 'active' ORDER BY w.id`

const sqlCountGroupMessage = `UPDATE group_messages SET recipients = recipients + ? WHERE id = ?`

// PostGroupMessage keeps p, in tx, and returns the message's number and
// the other members who may receive it (not opted out, active), whose
// copies QueueGroupCopies then queues in the same tx. A message posted
// before (the same Key) returns 0 and no one. A muted sender gets
// ErrMuted, a group that does not relay ErrRelayOff.
func (db *DB) PostGroupMessage(ctx context.Context, tx *Tx, p GroupPost) (int64, []GroupRecipient, error) {
	now := db.Now().UTC()
	switch {
	case p.Group.MutedUntil.Valid && p.Group.MutedUntil.Time.After(now):
		return 0, nil, ErrMuted
	case !p.Group.Relays:
		return 0, nil, ErrRelayOff
	}
	var id int64
	err := tx.GetContext(ctx, &id, db.Rebind(sqlInsertGroupMessage), p.Group.ID, p.Sender.ID, p.Text, p.Source, p.Key, now)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, fmt.Errorf("store: post group message: %w", err)
	}
	var rcpts []GroupRecipient
	if err := tx.SelectContext(ctx, &rcpts, db.Rebind(sqlGroupRecipients), p.Group.ID, p.Sender.ID); err != nil {
		return 0, nil, fmt.Errorf("store: post group message: %w", err)
	}
	return id, rcpts, nil
}

// QueueGroupCopies queues, in tx, the copies of group message id, each to
// its member on her channel (a nudge: quiet hours hold it, an opt-out stops
// it), and returns how many were queued; a copy queued before is not
// queued again.
func (db *DB) QueueGroupCopies(ctx context.Context, tx *Tx, id int64, copies []GroupCopy) (int, error) {
	key := "g" + strconv.FormatInt(id, 10) + ":"
	msgs := make([]Outgoing, len(copies))
	for i, c := range copies {
		msgs[i] = Outgoing{DedupeKey: key + strconv.FormatInt(c.To.ID, 10), Kind: KindNudge, Phone: c.To.Phone, Body: c.Body,
			WorkerID: c.To.ID, GroupMessageID: id}
	}
	n, err := db.Enqueue(ctx, tx, msgs...)
	if err != nil {
		return 0, fmt.Errorf("store: queue group message %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlCountGroupMessage), n, id); err != nil {
		return 0, fmt.Errorf("store: queue group message %d: %w", id, err)
	}
	return n, nil
}

const sqlMentorOfMessage = `SELECT gm.group_id FROM group_messages gm
JOIN group_members m ON m.group_id = gm.group_id AND m.worker_id = ?
JOIN workers w ON w.id = m.worker_id AND w.role = 'mentor' WHERE gm.id = ?`

const sqlWithdrawGroupMessage = `UPDATE group_messages SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL`

// sqlWithdrawCopies suppresses the copies not yet sent: queued and not
// leased to a dispatcher sending it now.
const sqlWithdrawCopies = `UPDATE outbox SET status = 'suppressed', failure_reason = 'withdrawn', updated_at = ?
WHERE group_message_id = ? AND status = 'queued' AND (lease_until IS NULL OR lease_until < ?)`

// WithdrawGroupMessage withdraws group message id, in tx, from the members
// who have not received it yet, for mentorID, a mentor of its group
// (ErrNotMentor otherwise), and returns how many copies it stopped.
func (db *DB) WithdrawGroupMessage(ctx context.Context, tx *Tx, mentorID, id int64) (int, error) {
	n, err := db.withdraw(ctx, tx, mentorID, id)
	if err != nil {
		return 0, fmt.Errorf("store: withdraw group message %d: %w", id, err)
	}
	return n, nil
}

func (db *DB) withdraw(ctx context.Context, tx *Tx, mentorID, id int64) (int, error) {
	var groupID int64
	err := tx.GetContext(ctx, &groupID, db.Rebind(sqlMentorOfMessage), mentorID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotMentor
	}
	if err != nil {
		return 0, err
	}
	return db.withdrawCopies(ctx, tx, mentorID, id)
}

// withdrawCopies marks message id withdrawn by the mentor (nil: from the
// console, which the audit log names) and suppresses its copies not yet
// sent, in tx; it returns how many it suppressed.
func (db *DB) withdrawCopies(ctx context.Context, tx *Tx, by any, id int64) (int, error) {
	now := db.Now().UTC()
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlWithdrawGroupMessage), now, by, id); err != nil {
		return 0, err
	}
	n, err := db.execIn(ctx, tx, sqlWithdrawCopies, now, id, now)
	return int(n), err
}

// execIn runs stmt in tx and returns the rows it changed.
func (db *DB) execIn(ctx context.Context, tx *Tx, stmt string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, db.Rebind(stmt), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

const sqlIsGroupMentor = `SELECT COUNT(*) FROM group_members m JOIN workers w ON w.id = m.worker_id
WHERE m.group_id = ? AND m.worker_id = ? AND w.role = 'mentor'`

const sqlMuteMember = `UPDATE group_members SET muted_until = ?
WHERE group_id = ? AND worker_id = (SELECT id FROM workers WHERE phone = ?)`

const sqlRemoveMember = `DELETE FROM group_members WHERE group_id = ? AND worker_id = (SELECT id FROM workers WHERE phone = ?)`

// MuteGroupMember mutes the member with number p in the group for d (a
// day), in tx, for mentorID, a mentor of the group; it reports whether she
// was a member.
func (db *DB) MuteGroupMember(ctx context.Context, tx *Tx, mentorID, groupID int64, p string, d time.Duration) (bool, error) {
	return db.moderate(ctx, tx, mentorID, groupID, sqlMuteMember, db.Now().UTC().Add(d), groupID, p)
}

// RemoveGroupMemberByMentor takes the member with number p out of the
// group, in tx, for mentorID, a mentor of the group; it reports whether she
// was a member.
func (db *DB) RemoveGroupMemberByMentor(ctx context.Context, tx *Tx, mentorID, groupID int64, p string) (bool, error) {
	return db.moderate(ctx, tx, mentorID, groupID, sqlRemoveMember, groupID, p)
}

func (db *DB) moderate(ctx context.Context, tx *Tx, mentorID, groupID int64, stmt string, args ...any) (bool, error) {
	var mentors int
	if err := tx.GetContext(ctx, &mentors, db.Rebind(sqlIsGroupMentor), groupID, mentorID); err != nil {
		return false, fmt.Errorf("store: moderate group %d: %w", groupID, err)
	}
	if mentors == 0 {
		return false, fmt.Errorf("store: moderate group %d: %w", groupID, ErrNotMentor)
	}
	n, err := db.execIn(ctx, tx, stmt, args...)
	if err != nil {
		return false, fmt.Errorf("store: moderate group %d: %w", groupID, err)
	}
	return n > 0, nil
}

const sqlSetGroupRelay = `UPDATE groups SET relay = ? WHERE id = ?`

// SetGroupRelay turns relaying of the group on, off, or back to the
// default (RelayAuto), for a supervisor who sees the group; audited.
func (db *DB) SetGroupRelay(ctx context.Context, sc Scope, userID, groupID int64, relay string) error {
	return db.Tx(ctx, func(tx *Tx) error {
		// A group outside her scope is not found, whatever she asked.
		if _, err := db.groupInScope(ctx, tx, sc, groupID); err != nil {
			return fmt.Errorf("store: group %d: %w", groupID, err)
		}
		if relay != RelayAuto && relay != RelayOn && relay != RelayOff {
			return fmt.Errorf("%w: %q", ErrInvalidRelay, relay)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlSetGroupRelay), relay, groupID); err != nil {
			return fmt.Errorf("store: group relay: %w", err)
		}
		return db.Audit(ctx, tx, userID, "group.relay", fmt.Sprintf("group:%d", groupID), relay)
	})
}

// LanguagesByPhone returns the language of each worker with one of the
// numbers: the dispatcher words a digest of group messages in it. A number
// that is no worker's is missing.
func (db *DB) LanguagesByPhone(ctx context.Context, phones []string) (map[string]string, error) {
	out := make(map[string]string, len(phones))
	if len(phones) == 0 {
		return out, nil
	}
	q, args, err := db.in(`SELECT phone, language FROM workers WHERE phone IN (?)`, phones)
	if err != nil {
		return nil, fmt.Errorf("store: languages by phone: %w", err)
	}
	var rows []struct {
		Phone    string `db:"phone"`
		Language string `db:"language"`
	}
	if err := db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: languages by phone: %w", err)
	}
	for _, r := range rows {
		out[r.Phone] = r.Language
	}
	return out, nil
}
