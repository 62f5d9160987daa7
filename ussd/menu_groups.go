package ussd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
)

// The states of a mentor's group messages: her groups, a group's newest
// messages, and one message with what she may do about it (the SMS
// commands G DEL, G MUTE, G REMOVE, with the same store calls).
const (
	StGroups   State = "grp"
	StGroupMsg State = "grp.msgs" // ID: the group
	StGroupOne State = "grp.one"  // ID: the message
)

// groupStore is what a mentor's group messages need of the database.
type groupStore interface {
	MentorGroups(ctx context.Context, workerID int64) ([]store.MentorGroup, error)
	MentorGroupMessages(ctx context.Context, workerID, groupID int64, limit int) ([]store.GroupMessageRow, error)
	MentorGroupMessage(ctx context.Context, workerID, id int64) (store.GroupMessageRow, error)
	Tx(ctx context.Context, fn func(*store.Tx) error) error
	WithdrawGroupMessage(ctx context.Context, tx *store.Tx, mentorID, id int64) (int, error)
	MuteGroupMember(ctx context.Context, tx *store.Tx, mentorID, groupID int64, p string, d time.Duration) (bool, error)
	RemoveGroupMemberByMentor(ctx context.Context, tx *store.Tx, mentorID, groupID int64, p string) (bool, error)
}

var groupTree = []Node{
	{State: StGroups, Show: showGroups},
	{State: StGroupMsg, Show: showGroupMessages},
	{State: StGroupOne, Show: showGroupMessage},
}

// groupMessages bounds the messages a group's screen lists; the renderer
// pages them with "98 More".
const groupMessages = 20

// groupsItem returns the main menu's "Group messages" for a mentor in a
// group that holds a message, and false for anyone else.
func groupsItem(c *Ctx) (Item, bool, error) {
	if c.S.Nurse.Role != store.RoleMentor {
		return Item{}, false, nil
	}
	gs, err := storeOf[groupStore](c).MentorGroups(c, c.S.Nurse.ID)
	if err != nil || len(gs) == 0 {
		return Item{}, false, err
	}
	return Item{Label: c.Say("mentor.groups_item"), To: Frame{State: StGroups}}, true, nil
}

func showGroups(c *Ctx) (Screen, error) {
	gs, err := storeOf[groupStore](c).MentorGroups(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	items := make([]Item, len(gs))
	for i, g := range gs {
		items[i] = Item{Label: cut(g.Name, 30), To: Frame{State: StGroupMsg, ID: g.ID}}
	}
	return Menu(c.Say("mentor.groups_title"), items...), nil
}

func showGroupMessages(c *Ctx) (Screen, error) {
	ms, err := storeOf[groupStore](c).MentorGroupMessages(c, c.S.Nurse.ID, c.S.Top().ID, groupMessages)
	if err != nil || len(ms) == 0 {
		return Menu(c.Say("mentor.group_empty")), err
	}
	items := make([]Item, len(ms))
	for i, m := range ms {
		label := fmt.Sprintf("#%d %s: %s", m.ID, cut(m.SenderName, 12), cut(m.Body, 18))
		if m.WithdrawnAt.Valid {
			label = fmt.Sprintf("#%d %s %s", m.ID, cut(m.SenderName, 12), c.Say("mentor.group_withdrawn_mark"))
		}
		items[i] = Item{Label: label, To: Frame{State: StGroupOne, ID: m.ID}}
	}
	return Menu(c.Say("mentor.group_messages_title"), items...), nil
}

// showGroupMessage shows one message, how many copies still wait, and
// what she may do: withdraw it while copies wait, mute or remove its
// sender (not herself).
func showGroupMessage(c *Ctx) (Screen, error) {
	m, err := storeOf[groupStore](c).MentorGroupMessage(c, c.S.Nurse.ID, c.S.Top().ID)
	if errors.Is(err, store.ErrNotFound) {
		return Menu(c.Say("mentor.group_empty")), nil
	}
	if err != nil {
		return Screen{}, err
	}
	pending := 0
	for _, ch := range m.Copies {
		pending += ch.Pending
	}
	text := c.Say("mentor.group_message", "msg", m.ID, "name", cut(m.SenderName, 20),
		"day", m.CreatedAt.In(c.zone()).Format("02/01"), "tally", pending) + "\n" + cut(m.Body, 60)
	var items []Item
	if pending > 0 && !m.WithdrawnAt.Valid {
		items = append(items, Item{Label: c.Say("mentor.group_withdraw"), Do: func(c *Ctx) (Move, error) { return withdrawGroupMessage(c, m) }})
	}
	if m.SenderID != c.S.Nurse.ID {
		items = append(items,
			Item{Label: c.Say("mentor.group_mute"), Do: func(c *Ctx) (Move, error) { return moderateMember(c, m, peer.Mute) }},
			Item{Label: c.Say("mentor.group_remove"), Do: func(c *Ctx) (Move, error) { return moderateMember(c, m, peer.Remove) }})
	}
	return Menu(text, items...), nil
}

// withdrawGroupMessage stops the copies of m not yet sent, as G DEL does.
func withdrawGroupMessage(c *Ctx, m store.GroupMessageRow) (Move, error) {
	db := storeOf[groupStore](c)
	var n int
	err := db.Tx(c, func(tx *store.Tx) error {
		var err error
		n, err = db.WithdrawGroupMessage(c, tx, c.S.Nurse.ID, m.ID)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotMentor):
		return Back().Say(c.Say("peer.not_mentor")), nil
	case err != nil:
		return Move{}, err
	}
	return Back().Say(c.Say("peer.withdrawn", "msg", m.ID, "count", n)), nil
}

// moderateMember mutes m's sender in its group for a day, or removes her,
// as G MUTE and G REMOVE do.
func moderateMember(c *Ctx, m store.GroupMessageRow, kind peer.Kind) (Move, error) {
	db := storeOf[groupStore](c)
	var member bool
	err := db.Tx(c, func(tx *store.Tx) error {
		var err error
		if kind == peer.Mute {
			member, err = db.MuteGroupMember(c, tx, c.S.Nurse.ID, m.GroupID, m.SenderPhone, peer.MuteFor)
		} else {
			member, err = db.RemoveGroupMemberByMentor(c, tx, c.S.Nurse.ID, m.GroupID, m.SenderPhone)
		}
		return err
	})
	name := cut(m.SenderName, 16)
	switch {
	case errors.Is(err, store.ErrNotMentor):
		return Back().Say(c.Say("peer.not_mentor")), nil
	case err != nil:
		return Move{}, err
	case !member:
		return Back().Say(c.Say("mentor.group_not_member", "member", name)), nil
	case kind == peer.Mute:
		return Back().Say(c.Say("mentor.group_muted", "member", name)), nil
	}
	return Back().Say(c.Say("mentor.group_removed", "member", name)), nil
}
