package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Visit statuses.
const (
	VisitScheduled = "scheduled"
	VisitDone      = "done"
	VisitCancelled = "cancelled"
)

// ErrVisitClosed is returned for a change to a visit that is already done or
// cancelled.
var ErrVisitClosed = errors.New("visit is done or cancelled")

// ErrInvalidVisit is wrapped by the error for a visit that cannot be: a
// mentor visiting herself, no time, a day already past.
var ErrInvalidVisit = errors.New("invalid visit")

// Visit is a mentorship visit: a mentor at a mentee's facility.
type Visit struct {
	ID         int64        `db:"id"`
	MentorID   int64        `db:"mentor_id"`
	MenteeID   int64        `db:"mentee_id"`
	MentorName string       `db:"mentor_name"`
	MenteeName string       `db:"mentee_name"`
	At         time.Time    `db:"scheduled_at"` // UTC
	Status     string       `db:"status"`
	DoneAt     sql.NullTime `db:"done_at"` // UTC
}

func (v *Visit) utc() {
	v.At = v.At.UTC()
	v.DoneAt.Time = v.DoneAt.Time.UTC()
}

// VisitRules says when a visit's reminders fire, from the content pack's
// rules visit-before and visit-review, in the zone TZ (CHANJO_TZ; nil is
// UTC). Every change to a visit recomputes its reminders with them, in the
// transaction of the change.
type VisitRules struct {
	TZ *time.Location
	// Before fires Days before the local date of the visit, to mentor and mentee.
	Before RuleTime
	// After fires Days after the local date the visit was done, to the mentee.
	After RuleTime
	// Notice words the SMS that tells the mentee and the mentor a visit was
	// scheduled, moved or cancelled; nil sends none.
	Notice VisitNoticeFunc
}

// RuleTime is a local time some whole days away from a date.
type RuleTime struct {
	Days, Hour, Minute int
}

func (r VisitRules) zone() *time.Location {
	if r.TZ == nil {
		return time.UTC
	}
	return r.TZ
}

// dayAt returns the UTC instant of the local date of t, moved by days, at
// hour:minute in loc.
func dayAt(t time.Time, loc *time.Location, days, hour, minute int) time.Time {
	d := t.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day()+days, hour, minute, 0, 0, loc).UTC()
}

const sqlVisit = `SELECT v.id, v.mentor_id, v.mentee_id, m.name AS mentor_name, e.name AS mentee_name,
       v.scheduled_at, v.status, v.done_at
FROM visits v JOIN workers m ON m.id = v.mentor_id JOIN workers e ON e.id = v.mentee_id`

// Visit returns the visit with id, or ErrNotFound.
func (db *DB) Visit(ctx context.Context, id int64) (Visit, error) {
	v, err := db.visit(ctx, db, id)
	if err != nil {
		return Visit{}, fmt.Errorf("store: visit %d: %w", id, err)
	}
	return v, nil
}

func (db *DB) visit(ctx context.Context, q sqlx.QueryerContext, id int64) (Visit, error) {
	var v Visit
	err := sqlx.GetContext(ctx, q, &v, db.Rebind(sqlVisit+` WHERE v.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Visit{}, ErrNotFound
	}
	v.utc()
	return v, err
}

// DefaultVisitTime is the local time ("15:04") of a visit scheduled without
// one: where the console's schedule form starts.
const DefaultVisitTime = "09:00"

// checkVisitTime rejects a visit with no time or on a local day already
// past; a visit earlier today is allowed (logged late).
func (db *DB) checkVisitTime(rules VisitRules, at time.Time) error {
	switch {
	case at.IsZero():
		return fmt.Errorf("no time: %w", ErrInvalidVisit)
	case at.Before(dayAt(db.Now(), rules.zone(), 0, 0, 0)):
		return fmt.Errorf("%s is in the past: %w", at.In(rules.zone()).Format(time.DateOnly), ErrInvalidVisit)
	}
	return nil
}

const sqlInsertVisit = `INSERT INTO visits (mentor_id, mentee_id, scheduled_at, status, created_at, updated_at)
VALUES (?, ?, ?, 'scheduled', ?, ?) RETURNING id`

// ScheduleVisit schedules a visit of the mentor to the mentee at the time at
// and, in the same transaction, its reminders. ErrNotFound when either
// worker does not exist.
func (db *DB) ScheduleVisit(ctx context.Context, rules VisitRules, mentorID, menteeID int64, at time.Time) (Visit, error) {
	if mentorID == menteeID {
		return Visit{}, fmt.Errorf("store: schedule visit: mentor and mentee are the same worker: %w", ErrInvalidVisit)
	}
	if err := db.checkVisitTime(rules, at); err != nil {
		return Visit{}, fmt.Errorf("store: schedule visit: %w", err)
	}
	now := db.Now().UTC()
	var id int64
	err := db.Tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, db.Rebind(`SELECT COUNT(*) FROM workers WHERE id IN (?, ?)`), mentorID, menteeID); err != nil {
			return err
		}
		if n != 2 {
			return ErrNotFound
		}
		if err := tx.GetContext(ctx, &id, db.Rebind(sqlInsertVisit), mentorID, menteeID, at.UTC(), now, now); err != nil {
			return err
		}
		if err := db.planVisit(ctx, tx, rules, id); err != nil {
			return err
		}
		return db.noticeVisit(ctx, tx, rules, id, VisitWasScheduled, time.Time{})
	})
	if err != nil {
		return Visit{}, fmt.Errorf("store: schedule visit: %w", err)
	}
	return db.Visit(ctx, id)
}

// RescheduleVisit moves a scheduled visit to the time at and its reminders
// with it, and tells the mentee and mentor unless it was already at that
// time. ErrVisitClosed for a visit done or cancelled.
func (db *DB) RescheduleVisit(ctx context.Context, rules VisitRules, id int64, at time.Time) (Visit, error) {
	if err := db.checkVisitTime(rules, at); err != nil {
		return Visit{}, fmt.Errorf("store: reschedule visit: %w", err)
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		before, err := db.visit(ctx, tx, id)
		if err != nil {
			return err
		}
		moved, err := db.closeVisit(ctx, tx, id, `scheduled_at = ?`, at.UTC())
		if err != nil || !moved {
			return db.unlessAlready(ctx, tx, id, err, "")
		}
		if err := db.planVisit(ctx, tx, rules, id); err != nil || before.At.Equal(at.UTC()) {
			return err
		}
		return db.noticeVisit(ctx, tx, rules, id, VisitWasMoved, before.At)
	})
	if err != nil {
		return Visit{}, fmt.Errorf("store: reschedule visit %d: %w", id, err)
	}
	return db.Visit(ctx, id)
}

// CancelVisit cancels a scheduled visit, removes its reminders still to be
// sent and tells the mentee and mentor (rules.Notice). Cancelling it again
// changes nothing; ErrVisitClosed for a visit done.
func (db *DB) CancelVisit(ctx context.Context, rules VisitRules, id int64) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		changed, err := db.closeVisit(ctx, tx, id, `status = 'cancelled'`)
		if err != nil || !changed {
			return db.unlessAlready(ctx, tx, id, err, VisitCancelled)
		}
		if err := db.planVisit(ctx, tx, rules, id); err != nil {
			return err
		}
		return db.noticeVisit(ctx, tx, rules, id, VisitWasCancelled, time.Time{})
	})
	if err != nil {
		return fmt.Errorf("store: cancel visit %d: %w", id, err)
	}
	return nil
}

// MarkVisitDone logs a scheduled visit as done at doneAt (zero: now) and
// schedules the mentee's review reminder in the same transaction. Marking it
// again changes nothing; ErrVisitClosed for a cancelled visit, ErrVisitAhead
// for one on a later local day than today.
func (db *DB) MarkVisitDone(ctx context.Context, rules VisitRules, id int64, doneAt time.Time) (Visit, error) {
	if doneAt.IsZero() {
		doneAt = db.Now()
	}
	if doneAt.After(db.Now()) {
		return Visit{}, fmt.Errorf("store: mark visit %d done: done in the future: %w", id, ErrInvalidVisit)
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		v, err := db.visit(ctx, tx, id)
		if err != nil {
			return err
		}
		if v.Status == VisitScheduled && !v.At.Before(dayAt(db.Now(), rules.zone(), 1, 0, 0)) {
			return ErrVisitAhead
		}
		changed, err := db.closeVisit(ctx, tx, id, `status = 'done', done_at = ?`, doneAt.UTC())
		if err != nil || !changed {
			return db.unlessAlready(ctx, tx, id, err, VisitDone)
		}
		return db.planVisit(ctx, tx, rules, id)
	})
	if err != nil {
		return Visit{}, fmt.Errorf("store: mark visit %d done: %w", id, err)
	}
	return db.Visit(ctx, id)
}

// closeVisit applies set to the visit if it is still scheduled, and reports
// whether it was.
func (db *DB) closeVisit(ctx context.Context, tx *Tx, id int64, set string, args ...any) (bool, error) {
	args = append(args, db.Now().UTC(), id)
	res, err := tx.ExecContext(ctx, db.Rebind(`UPDATE visits SET `+set+`, updated_at = ? WHERE id = ? AND status = 'scheduled'`), args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// unlessAlready explains why a visit did not change: err if there was one,
// nil if it already has status want (a repeated request), else ErrNotFound
// or ErrVisitClosed.
func (db *DB) unlessAlready(ctx context.Context, tx *Tx, id int64, err error, want string) error {
	if err != nil {
		return err
	}
	v, err := db.visit(ctx, tx, id)
	switch {
	case err != nil:
		return err
	case v.Status == want:
		return nil
	}
	return ErrVisitClosed
}

const sqlDropVisitReminders = `DELETE FROM reminders WHERE visit_id = ? AND status = 'scheduled'`

const sqlAddReminder = `INSERT INTO reminders (worker_id, rule, anchor, due_at, visit_id, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?) ON CONFLICT (worker_id, rule, anchor) DO NOTHING`

// beforeVisit returns when the reminder before a visit at "at" is due: b's
// time b.Days before the visit's local day, or, when that is already past
// (a visit set for tomorrow), b's time on the first later day that is still
// ahead and before the visit. Zero when there is none: the visit is too
// near, and the SMS that scheduled it is its reminder.
func beforeVisit(b RuleTime, at time.Time, loc *time.Location, now time.Time) time.Time {
	for days := b.Days; days >= 0; days-- {
		due := dayAt(at, loc, -days, b.Hour, b.Minute)
		if due.After(now) && due.Before(at) {
			return due
		}
	}
	return time.Time{}
}

// planVisit recomputes the reminders of visit id from its current state:
// those not yet sent are removed, and the ones its state calls for are added
// unless they would be in the past or have already fired. The visit's date is
// in the anchor of visit-before, so a visit moved to another day is
// reminded of again, and one moved back is not reminded of twice.
func (db *DB) planVisit(ctx context.Context, tx *Tx, rules VisitRules, id int64) error {
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlDropVisitReminders), id); err != nil {
		return err
	}
	v, err := db.visit(ctx, tx, id)
	if err != nil {
		return err
	}
	type plan struct {
		worker       int64
		rule, anchor string
		due          time.Time
	}
	var plans []plan
	loc := rules.zone()
	switch v.Status {
	case VisitScheduled:
		due := beforeVisit(rules.Before, v.At, loc, db.Now())
		anchor := fmt.Sprintf("visit:%d:%s", id, v.At.In(loc).Format(time.DateOnly))
		plans = append(plans, plan{v.MentorID, RuleVisitBefore, anchor, due}, plan{v.MenteeID, RuleVisitBefore, anchor, due})
	case VisitDone:
		// The review counts from the visit's day, not the day it was logged:
		// its text speaks of "yesterday's visit", so a visit logged late gets
		// none rather than one about another day.
		a := rules.After
		plans = append(plans, plan{v.MenteeID, RuleVisitReview, fmt.Sprintf("visit:%d", id), dayAt(v.At, loc, a.Days, a.Hour, a.Minute)})
	}
	now := db.Now().UTC()
	for _, p := range plans {
		if !p.due.After(now) {
			continue
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlAddReminder), p.worker, p.rule, p.anchor, p.due, id, now, now); err != nil {
			return err
		}
	}
	return nil
}

const sqlMentorVisits = sqlVisit + ` WHERE v.mentor_id = ? AND v.status = 'scheduled' ORDER BY v.scheduled_at, v.id`

// MentorVisits returns the mentor's scheduled visits in time order, split at
// the end of today in loc: today holds today's visits and any earlier ones
// not yet logged, upcoming the later ones.
func (db *DB) MentorVisits(ctx context.Context, loc *time.Location, mentorID int64) (today, upcoming []Visit, err error) {
	var vs []Visit
	if err := db.SelectContext(ctx, &vs, db.Rebind(sqlMentorVisits), mentorID); err != nil {
		return nil, nil, fmt.Errorf("store: mentor visits: %w", err)
	}
	if loc == nil {
		loc = time.UTC
	}
	tomorrow := dayAt(db.Now(), loc, 1, 0, 0)
	for _, v := range vs {
		v.utc()
		if v.At.Before(tomorrow) {
			today = append(today, v)
		} else {
			upcoming = append(upcoming, v)
		}
	}
	return today, upcoming, nil
}

const sqlMenteeNextVisit = sqlVisit + ` WHERE v.mentee_id = ? AND v.status = 'scheduled' AND v.scheduled_at >= ?
ORDER BY v.scheduled_at, v.id LIMIT 1`

// NextVisit returns the mentee's next scheduled visit from now on, or
// ErrNotFound.
func (db *DB) NextVisit(ctx context.Context, menteeID int64) (Visit, error) {
	var v Visit
	err := db.GetContext(ctx, &v, db.Rebind(sqlMenteeNextVisit), menteeID, db.Now().UTC())
	if errors.Is(err, sql.ErrNoRows) {
		return Visit{}, ErrNotFound
	}
	if err != nil {
		return Visit{}, fmt.Errorf("store: next visit: %w", err)
	}
	v.utc()
	return v, nil
}

// Checklist answers: what the mentor observed for one item.
const (
	AnswerDone    = "done"
	AnswerPartly  = "partly"
	AnswerNotDone = "not_done"
)

// answerScore is what an answer counts towards its topic's score.
var answerScore = map[string]int{AnswerDone: 2, AnswerPartly: 1, AnswerNotDone: 0}

const sqlSaveAnswer = `INSERT INTO checklist_answers (visit_id, item_id, answer, answered_at) VALUES (?, ?, ?, ?)
ON CONFLICT (visit_id, item_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at`

// SaveChecklist records the mentor's answers for a visit, by checklist item
// id: an item answered again takes the new answer. A visit not cancelled
// takes answers, before or after it is marked done. An unknown answer or an
// empty item id changes nothing.
func (db *DB) SaveChecklist(ctx context.Context, visitID int64, answers map[string]string) error {
	for item, a := range answers {
		if _, ok := answerScore[a]; !ok || item == "" {
			return fmt.Errorf("store: save checklist: item %q answer %q: %w", item, a, ErrInvalidVisit)
		}
	}
	now := db.Now().UTC()
	err := db.Tx(ctx, func(tx *Tx) error {
		v, err := db.visit(ctx, tx, visitID)
		if err != nil {
			return err
		}
		if v.Status == VisitCancelled {
			return ErrVisitClosed
		}
		for item, a := range answers {
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlSaveAnswer), visitID, item, a, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save checklist of visit %d: %w", visitID, err)
	}
	return nil
}

// Checklist returns a visit's answers by item id.
func (db *DB) Checklist(ctx context.Context, visitID int64) (map[string]string, error) {
	var rows []struct {
		Item   string `db:"item_id"`
		Answer string `db:"answer"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT item_id, answer FROM checklist_answers WHERE visit_id = ?`), visitID)
	if err != nil {
		return nil, fmt.Errorf("store: checklist of visit %d: %w", visitID, err)
	}
	answers := make(map[string]string, len(rows))
	for _, r := range rows {
		answers[r.Item] = r.Answer
	}
	return answers, nil
}

const sqlLastVisitAnswers = `SELECT item_id, answer FROM checklist_answers WHERE visit_id =
(SELECT id FROM visits WHERE mentee_id = ? AND status = 'done' ORDER BY done_at DESC, id DESC LIMIT 1)`

// WeakestChecklistTopic returns the topic with the lowest checklist score at
// the mentee's last visit done (done counts 2, partly 1, not done 0, over
// the topic's answered items), mapping item ids to topics with topicOf;
// ties go to the topic first in alphabetical order. It returns "" when that
// visit has no answers of a known item, or she has had no visit.
func (db *DB) WeakestChecklistTopic(ctx context.Context, menteeID int64, topicOf map[string]string) (string, error) {
	var rows []struct {
		Item   string `db:"item_id"`
		Answer string `db:"answer"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlLastVisitAnswers), menteeID); err != nil {
		return "", fmt.Errorf("store: weakest checklist topic: %w", err)
	}
	type score struct{ got, max int }
	scores := map[string]score{}
	for _, r := range rows {
		topic, ok := topicOf[r.Item]
		if !ok {
			continue
		}
		s := scores[topic]
		scores[topic] = score{s.got + answerScore[r.Answer], s.max + 2}
	}
	weakest, low := "", score{}
	for topic, s := range scores {
		// s is lower than low when s.got/s.max < low.got/low.max.
		lower := s.got*low.max < low.got*s.max
		tie := s.got*low.max == low.got*s.max
		if weakest == "" || lower || tie && topic < weakest {
			weakest, low = topic, s
		}
	}
	return weakest, nil
}
