package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// RecentGroupMessages is how many of a group's messages its console page
// lists, newest first.
const RecentGroupMessages = 20

// GroupMessageRow is a group's message as the console lists it.
type GroupMessageRow struct {
	ID          int64        `db:"id"`
	GroupID     int64        `db:"group_id"`
	SenderID    int64        `db:"sender_id"`
	SenderName  string       `db:"sender_name"`
	SenderPhone string       `db:"sender_phone"`
	CreatedAt   time.Time    `db:"created_at"`
	WithdrawnAt sql.NullTime `db:"withdrawn_at"`
	// Readable reports whether the reader may read the text: the sender is
	// in one of her sub-counties (an administrator reads all). Body is ""
	// when she may not: it never leaves the database.
	Readable bool   `db:"readable"`
	Body     string `db:"body"`
	// Copies counts its copies by channel, SMS first.
	Copies []ChannelCopies
}

// ChannelCopies counts a group message's copies on one channel.
type ChannelCopies struct {
	Channel string
	// Sent went to the gateway or to Meta; Pending wait in the outbox
	// (quiet hours, the rate); Stopped will not go (withdrawn, failed).
	Sent, Pending, Stopped int
}

// sqlGroupMessages lists a group's newest messages (binds: the reader's
// scope twice, Scope.inArgs, the group, the limit) along the index
// group_messages_group.
const sqlGroupMessages = `SELECT gm.id, gm.group_id, gm.sender_id, w.name AS sender_name, w.phone AS sender_phone, gm.created_at, gm.withdrawn_at,
  CASE WHEN (? OR f.sub_county IN (?)) THEN 1 ELSE 0 END AS readable,
  CASE WHEN (? OR f.sub_county IN (?)) THEN gm.body ELSE '' END AS body
FROM group_messages gm JOIN workers w ON w.id = gm.sender_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE gm.group_id = ? ORDER BY gm.created_at DESC, gm.id DESC LIMIT ?`

// sqlGroupCopies counts the copies of group messages by channel and status
// along the index outbox_group_message.
const sqlGroupCopies = `SELECT group_message_id, channel, status, COUNT(*) AS n FROM outbox
WHERE group_message_id IN (?) GROUP BY group_message_id, channel, status ORDER BY group_message_id, channel`

// GroupMessages returns the group's RecentGroupMessages newest messages,
// with their copies by channel, for a reader whose scope sees the group
// (ErrNotFound otherwise); the text only of those she may read.
func (db *DB) GroupMessages(ctx context.Context, sc Scope, groupID int64) ([]GroupMessageRow, error) {
	if _, err := db.groupInScope(ctx, db, sc, groupID); err != nil {
		return nil, fmt.Errorf("store: group %d messages: %w", groupID, err)
	}
	admin, subCounties := sc.inArgs()
	q, args, err := db.in(sqlGroupMessages, admin, subCounties, admin, subCounties, groupID, RecentGroupMessages)
	if err != nil {
		return nil, fmt.Errorf("store: group %d messages: %w", groupID, err)
	}
	ms := []GroupMessageRow{}
	if err := db.SelectContext(ctx, &ms, q, args...); err != nil {
		return nil, fmt.Errorf("store: group %d messages: %w", groupID, err)
	}
	if err := db.groupCopies(ctx, db, ms); err != nil {
		return nil, fmt.Errorf("store: group %d messages: %w", groupID, err)
	}
	return ms, nil
}

// groupCopies fills in the copies of ms.
func (db *DB) groupCopies(ctx context.Context, q sqlx.QueryerContext, ms []GroupMessageRow) error {
	if len(ms) == 0 {
		return nil
	}
	at := make(map[int64]int, len(ms))
	ids := make([]int64, len(ms))
	for i, m := range ms {
		at[m.ID], ids[i] = i, m.ID
		ms[i].CreatedAt = m.CreatedAt.UTC()
	}
	query, args, err := db.in(sqlGroupCopies, ids)
	if err != nil {
		return err
	}
	var rows []struct {
		ID      int64  `db:"group_message_id"`
		Channel string `db:"channel"`
		Status  string `db:"status"`
		N       int    `db:"n"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query, args...); err != nil {
		return err
	}
	for _, r := range rows {
		m := &ms[at[r.ID]]
		if len(m.Copies) == 0 || m.Copies[len(m.Copies)-1].Channel != r.Channel {
			m.Copies = append(m.Copies, ChannelCopies{Channel: r.Channel})
		}
		c := &m.Copies[len(m.Copies)-1]
		switch r.Status {
		case OutQueued:
			c.Pending += r.N
		case OutSuppressed, OutFailed, OutExpired:
			c.Stopped += r.N
		default:
			c.Sent += r.N
		}
	}
	return nil
}

const sqlMessageOfGroup = `SELECT COUNT(*) FROM group_messages WHERE id = ? AND group_id = ?`

// WithdrawGroupMessageInScope withdraws message id of group groupID, for a
// console user whose scope sees the group (ErrNotFound otherwise), from the
// members who have not received it yet, audited in the same transaction;
// it returns how many copies it stopped. A mentor's withdrawal (SMS, USSD)
// is WithdrawGroupMessage.
func (db *DB) WithdrawGroupMessageInScope(ctx context.Context, sc Scope, userID, groupID, id int64) (int, error) {
	var n int
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := db.groupInScope(ctx, tx, sc, groupID); err != nil {
			return err
		}
		var found int
		if err := tx.GetContext(ctx, &found, db.Rebind(sqlMessageOfGroup), id, groupID); err != nil {
			return err
		}
		if found == 0 {
			return ErrNotFound
		}
		var err error
		if n, err = db.withdrawCopies(ctx, tx, nil, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "group.withdraw", fmt.Sprintf("group:%d", groupID), fmt.Sprintf("message:%d, %d copies stopped", id, n))
	})
	if err != nil {
		return 0, fmt.Errorf("store: withdraw group message %d: %w", id, err)
	}
	return n, nil
}

const sqlMuteMemberByID = `UPDATE group_members SET muted_until = ? WHERE group_id = ? AND worker_id = ?`

// MuteGroupMemberInScope mutes the worker in the group for d (a day), for
// a console user whose scope sees both (ErrNotFound otherwise, or when she
// is no member), audited in the same transaction. A mentor's mute (SMS,
// USSD) is MuteGroupMember.
func (db *DB) MuteGroupMemberInScope(ctx context.Context, sc Scope, userID, groupID, workerID int64, d time.Duration) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := db.groupInScope(ctx, tx, sc, groupID); err != nil {
			return err
		}
		if _, err := workerInScope(ctx, tx, sc, workerID); err != nil {
			return err
		}
		until := db.Now().UTC().Add(d)
		n, err := db.execIn(ctx, tx, sqlMuteMemberByID, until, groupID, workerID)
		if err != nil || n == 0 {
			return notFoundUnless(err)
		}
		return db.Audit(ctx, tx, userID, "group.mute", fmt.Sprintf("group:%d", groupID), fmt.Sprintf("worker:%d until %s", workerID, until.Format(time.RFC3339)))
	})
	if err != nil {
		return fmt.Errorf("store: mute worker %d in group %d: %w", workerID, groupID, err)
	}
	return nil
}

// GroupTraffic is what a group's relaying has carried: its messages and
// their copies by channel, SMS first.
type GroupTraffic struct {
	Messages int
	Channels []ChannelTraffic
}

// ChannelTraffic counts a group's copies on one channel.
type ChannelTraffic struct {
	Channel string `db:"channel"`
	Copies  int    `db:"copies"`
	// Parts are the SMS parts sent (a digest's are counted on the copy
	// that carried it); 0 on WhatsApp.
	Parts int `db:"parts"`
	// Free and Templates split the WhatsApp copies sent by form, Cost is
	// their estimated cost (WhatsAppCost); 0 on SMS.
	Free      int     `db:"free"`
	Templates int     `db:"templates"`
	Cost      float64 `db:"wa_cost"`
}

const sqlGroupMessageCount = `SELECT COUNT(*) FROM group_messages WHERE group_id = ?`

// sqlGroupTraffic counts a group's copies by channel along the indexes
// group_messages_group and outbox_group_message.
const sqlGroupTraffic = `SELECT o.channel, COUNT(*) AS copies,
  COALESCE(SUM(CASE WHEN o.channel = 'sms' AND o.status IN ('accepted', 'delivered', 'unconfirmed') THEN o.segments ELSE 0 END), 0) AS parts,
  COALESCE(SUM(CASE WHEN o.wa_form = 'free' THEN 1 ELSE 0 END), 0) AS free,
  COALESCE(SUM(CASE WHEN o.wa_form = 'template' THEN 1 ELSE 0 END), 0) AS templates,
  COALESCE(SUM(o.wa_cost), 0) AS wa_cost
FROM group_messages gm JOIN outbox o ON o.group_message_id = gm.id WHERE gm.group_id = ? GROUP BY o.channel ORDER BY o.channel DESC`

// GroupTraffic returns the group's traffic for a reader whose scope sees
// the group (ErrNotFound otherwise).
func (db *DB) GroupTraffic(ctx context.Context, sc Scope, groupID int64) (GroupTraffic, error) {
	if _, err := db.groupInScope(ctx, db, sc, groupID); err != nil {
		return GroupTraffic{}, fmt.Errorf("store: group %d traffic: %w", groupID, err)
	}
	var t GroupTraffic
	err := db.GetContext(ctx, &t.Messages, db.Rebind(sqlGroupMessageCount), groupID)
	if err == nil {
		err = db.SelectContext(ctx, &t.Channels, db.Rebind(sqlGroupTraffic), groupID)
	}
	if err != nil {
		return GroupTraffic{}, fmt.Errorf("store: group %d traffic: %w", groupID, err)
	}
	return t, nil
}

// sqlMentorGroups are the groups a worker is in that hold a message, by
// name.
const sqlMentorGroups = `SELECT g.id, g.name FROM groups g JOIN group_members m ON m.group_id = g.id
WHERE m.worker_id = ? AND EXISTS (SELECT 1 FROM group_messages gm WHERE gm.group_id = g.id) ORDER BY g.name, g.id`

// MentorGroup is a group a mentor moderates from her USSD menu.
type MentorGroup struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// MentorGroups returns the groups the worker is in that hold a message,
// by name: what a mentor moderates from her menu (the caller knows her
// role; the moderation itself checks it again).
func (db *DB) MentorGroups(ctx context.Context, workerID int64) ([]MentorGroup, error) {
	var gs []MentorGroup
	if err := db.SelectContext(ctx, &gs, db.Rebind(sqlMentorGroups), workerID); err != nil {
		return nil, fmt.Errorf("store: mentor groups: %w", err)
	}
	return gs, nil
}

// sqlMemberGroupMessages selects the messages of a group the reader is a
// member of (binds: the reader, then the condition's); every member reads
// them, she was sent them.
const sqlMemberGroupMessages = `SELECT gm.id, gm.group_id, gm.sender_id, w.name AS sender_name, w.phone AS sender_phone, gm.created_at,
  gm.withdrawn_at, 1 AS readable, gm.body
FROM group_messages gm JOIN workers w ON w.id = gm.sender_id
WHERE EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = gm.group_id AND m.worker_id = ?) AND `

const (
	sqlMentorGroupMessages = sqlMemberGroupMessages + `gm.group_id = ? ORDER BY gm.created_at DESC, gm.id DESC LIMIT ?`
	sqlMentorGroupMessage  = sqlMemberGroupMessages + `gm.id = ?`
)

// MentorGroupMessages returns the newest limit messages of a group the
// worker is in, with their copies by channel; none when she is not in it.
func (db *DB) MentorGroupMessages(ctx context.Context, workerID, groupID int64, limit int) ([]GroupMessageRow, error) {
	var ms []GroupMessageRow
	err := db.SelectContext(ctx, &ms, db.Rebind(sqlMentorGroupMessages), workerID, groupID, limit)
	if err == nil {
		err = db.groupCopies(ctx, db, ms)
	}
	if err != nil {
		return nil, fmt.Errorf("store: group %d messages: %w", groupID, err)
	}
	return ms, nil
}

// MentorGroupMessage returns message id of a group the worker is in, with
// its copies by channel; ErrNotFound when there is none.
func (db *DB) MentorGroupMessage(ctx context.Context, workerID, id int64) (GroupMessageRow, error) {
	ms := make([]GroupMessageRow, 1)
	err := db.GetContext(ctx, &ms[0], db.Rebind(sqlMentorGroupMessage), workerID, id)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err == nil {
		err = db.groupCopies(ctx, db, ms)
	}
	if err != nil {
		return GroupMessageRow{}, fmt.Errorf("store: group message %d: %w", id, err)
	}
	return ms[0], nil
}
