package store

import (
	"context"
	"fmt"
	"time"
)

// VisitChange is what happened to a visit, as its notice says.
type VisitChange string

// The changes to a visit that its mentee and mentor are told of by SMS.
const (
	VisitWasScheduled VisitChange = "scheduled"
	VisitWasMoved     VisitChange = "moved"
	VisitWasCancelled VisitChange = "cancelled"
)

// VisitNotice is what the SMS that tells one person of a change to a visit
// says: the change, the visit as it is now (its old time for a move in
// From), and the person's side of it.
type VisitNotice struct {
	Change VisitChange
	Visit  Visit
	From   time.Time // a move's old time, UTC; zero otherwise
	// ToMentor is set for the mentor's SMS, which names the mentee; the
	// mentee's names the mentor.
	ToMentor bool
	Lang     string
}

// VisitNoticeFunc words a VisitNotice. The SMS package owns the wording;
// the store calls it in the transaction of the change, so the SMS is queued
// if and only if the change is made.
type VisitNoticeFunc func(VisitNotice) string

const sqlVisitPeople = `SELECT id, phone, language FROM workers WHERE id IN (?, ?) AND status = 'active' ORDER BY id`

// noticeVisit queues, in tx, one SMS to the mentee and one to the mentor of
// visit id telling them of change, worded by rules.Notice (none without
// it). A repeated request changes nothing and so sends nothing; the dedupe
// key names the change, its times and when it was made, so that a visit
// moved away and back and away again is told of each time.
func (db *DB) noticeVisit(ctx context.Context, tx *Tx, rules VisitRules, id int64, change VisitChange, from time.Time) error {
	if rules.Notice == nil {
		return nil
	}
	v, err := db.visit(ctx, tx, id)
	if err != nil {
		return err
	}
	var people []mentor
	if err := tx.SelectContext(ctx, &people, db.Rebind(sqlVisitPeople), v.MenteeID, v.MentorID); err != nil {
		return err
	}
	now := db.Now()
	msgs := make([]Outgoing, 0, len(people))
	for _, p := range people {
		n := VisitNotice{Change: change, Visit: v, From: from.UTC(), ToMentor: p.ID == v.MentorID, Lang: p.Language}
		msgs = append(msgs, Outgoing{
			DedupeKey: fmt.Sprintf("visit:%d:%s:%d-%d:%d:%d", id, change, from.Unix(), v.At.Unix(), now.UnixNano(), p.ID),
			Kind:      KindNudge, Phone: p.Phone, WorkerID: p.ID, Body: rules.Notice(n),
		})
	}
	_, err = db.Enqueue(ctx, tx, msgs...)
	return err
}
