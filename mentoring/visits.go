package mentoring

import (
	"context"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/store"
)

// checkDay refuses a visit on a local day already past; a visit earlier
// today is allowed (logged late).
func (s *Service) checkDay(at time.Time) error {
	if !at.IsZero() && at.Before(dayAt(s.db.Now(), s.tz, 0, 0, 0)) {
		return fmt.Errorf("%s is in the past: %w", at.In(s.tz).Format(time.DateOnly), store.ErrInvalidVisit)
	}
	return nil
}

// ScheduleVisit schedules a visit of the mentor to the mentee at the time
// at, with its reminders and a notice to each. store.ErrNotFound when
// either worker does not exist, store.ErrInvalidVisit for a day past or a
// mentor visiting herself.
func (s *Service) ScheduleVisit(ctx context.Context, mentorID, menteeID int64, at time.Time) (store.Visit, error) {
	if err := s.checkDay(at); err != nil {
		return store.Visit{}, fmt.Errorf("mentoring: schedule visit: %w", err)
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		v, err := s.db.AddVisit(ctx, tx, mentorID, menteeID, at)
		if err != nil {
			return err
		}
		id = v.ID
		return s.replan(ctx, tx, v, visitScheduled, time.Time{})
	})
	if err != nil {
		return store.Visit{}, fmt.Errorf("mentoring: schedule visit: %w", err)
	}
	return s.db.Visit(ctx, id)
}

// RescheduleVisit moves a scheduled visit to the time at and its reminders
// with it, and tells the mentee and mentor unless it was already at that
// time. store.ErrVisitClosed for a visit done or cancelled.
func (s *Service) RescheduleVisit(ctx context.Context, id int64, at time.Time) (store.Visit, error) {
	if err := s.checkDay(at); err != nil {
		return store.Visit{}, fmt.Errorf("mentoring: reschedule visit: %w", err)
	}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		before, err := s.db.VisitIn(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.db.MoveVisit(ctx, tx, id, at); err != nil {
			return err
		}
		change := visitMoved
		if before.At.Equal(at.UTC()) {
			change = ""
		}
		return s.replanVisit(ctx, tx, id, change, before.At)
	})
	if err != nil {
		return store.Visit{}, fmt.Errorf("mentoring: reschedule visit %d: %w", id, err)
	}
	return s.db.Visit(ctx, id)
}

// CancelVisit cancels a scheduled visit, removes its reminders still to be
// sent and tells the mentee and mentor. Cancelling it again changes
// nothing; store.ErrVisitClosed for a visit done.
func (s *Service) CancelVisit(ctx context.Context, id int64) error {
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		changed, err := s.db.CloseVisit(ctx, tx, id, store.VisitCancelled, time.Time{})
		if err != nil || !changed {
			return err
		}
		return s.replanVisit(ctx, tx, id, visitCancelled, time.Time{})
	})
	if err != nil {
		return fmt.Errorf("mentoring: cancel visit %d: %w", id, err)
	}
	return nil
}

// MarkVisitDone logs a scheduled visit as done at doneAt (zero: now) and
// schedules the mentee's review reminder. Marking it again changes nothing;
// store.ErrVisitClosed for a cancelled visit, store.ErrVisitAhead for one on
// a later local day than today.
func (s *Service) MarkVisitDone(ctx context.Context, id int64, doneAt time.Time) (store.Visit, error) {
	now := s.db.Now()
	if doneAt.IsZero() {
		doneAt = now
	}
	if doneAt.After(now) {
		return store.Visit{}, fmt.Errorf("mentoring: mark visit %d done: done in the future: %w", id, store.ErrInvalidVisit)
	}
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		v, err := s.db.VisitIn(ctx, tx, id)
		if err != nil {
			return err
		}
		if v.Status == store.VisitScheduled && !v.At.Before(dayAt(now, s.tz, 1, 0, 0)) {
			return store.ErrVisitAhead
		}
		changed, err := s.db.CloseVisit(ctx, tx, id, store.VisitDone, doneAt)
		if err != nil || !changed {
			return err
		}
		return s.replanVisit(ctx, tx, id, "", time.Time{})
	})
	if err != nil {
		return store.Visit{}, fmt.Errorf("mentoring: mark visit %d done: %w", id, err)
	}
	return s.db.Visit(ctx, id)
}

// replanVisit is replan of visit id as tx sees it now.
func (s *Service) replanVisit(ctx context.Context, tx *store.Tx, id int64, change visitChange, from time.Time) error {
	v, err := s.db.VisitIn(ctx, tx, id)
	if err != nil {
		return err
	}
	return s.replan(ctx, tx, v, change, from)
}

// replan recomputes the reminders of visit v from its current state and,
// for a change, queues its notices.
func (s *Service) replan(ctx context.Context, tx *store.Tx, v store.Visit, change visitChange, from time.Time) error {
	if err := s.db.SetVisitReminders(ctx, tx, v.ID, s.reminders(v)); err != nil {
		return err
	}
	if change == "" {
		return nil
	}
	return s.notice(ctx, tx, v, change, from)
}

// reminders returns the reminders visit v's state calls for that are still
// ahead. The visit's date is in the anchor of visit-before, so a visit
// moved to another day is reminded of again, and one moved back is not
// reminded of twice.
func (s *Service) reminders(v store.Visit) []store.Reminder {
	var rs []store.Reminder
	switch v.Status {
	case store.VisitScheduled:
		due := beforeVisit(s.before, v.At, s.tz, s.db.Now())
		anchor := fmt.Sprintf("visit:%d:%s", v.ID, v.At.In(s.tz).Format(time.DateOnly))
		for _, w := range []int64{v.MentorID, v.MenteeID} {
			rs = append(rs, store.Reminder{WorkerID: w, Rule: store.RuleVisitBefore, Anchor: anchor, DueAt: due})
		}
	case store.VisitDone:
		// The review counts from the visit's day, not the day it was logged:
		// its text speaks of "yesterday's visit", so a visit logged late gets
		// none rather than one about another day.
		a := s.after
		rs = append(rs, store.Reminder{WorkerID: v.MenteeID, Rule: store.RuleVisitReview, Anchor: fmt.Sprintf("visit:%d", v.ID),
			DueAt: dayAt(v.At, s.tz, a.days, a.hour, a.minute)})
	}
	ahead := rs[:0]
	for _, r := range rs {
		if r.DueAt.After(s.db.Now()) {
			ahead = append(ahead, r)
		}
	}
	return ahead
}

// beforeVisit returns when the reminder before a visit at "at" is due: b's
// time b.days before the visit's local day, or, when that is already past
// (a visit set for tomorrow), b's time on the first later day that is still
// ahead and before the visit. Zero when there is none: the visit is too
// near, and the SMS that scheduled it is its reminder.
func beforeVisit(b ruleTime, at time.Time, loc *time.Location, now time.Time) time.Time {
	for days := b.days; days >= 0; days-- {
		due := dayAt(at, loc, -days, b.hour, b.minute)
		if due.After(now) && due.Before(at) {
			return due
		}
	}
	return time.Time{}
}

// visitChange is what happened to a visit, as its notice says.
type visitChange string

// The changes to a visit that its mentee and mentor are told of by SMS.
const (
	visitScheduled visitChange = "scheduled"
	visitMoved     visitChange = "moved"
	visitCancelled visitChange = "cancelled"
)

// visitNotices are the catalogue keys (messages-sms.yaml) of the SMS that
// tell a mentee and her mentor a visit was scheduled, moved or cancelled.
// The same text serves both: it names the other person.
var visitNotices = map[visitChange]string{
	visitScheduled: "sms.visit.scheduled",
	visitMoved:     "sms.visit.moved",
	visitCancelled: "sms.visit.cancelled",
}

// DateLayout is how a visit's date reads in an SMS: 10 characters, the
// same in both languages.
const DateLayout = "02/01/2006"

// notice queues, in tx, one SMS to the mentee and one to the mentor of
// visit v telling them of change (from: a move's old time). A repeated
// request changes nothing and so sends nothing; the dedupe key names the
// change, its times and when it was made, so that a visit moved away and
// back and away again is told of each time.
func (s *Service) notice(ctx context.Context, tx *store.Tx, v store.Visit, change visitChange, from time.Time) error {
	people, err := s.db.VisitPeople(ctx, tx, v)
	if err != nil {
		return err
	}
	now := s.db.Now()
	at := v.At.In(s.tz)
	msgs := make([]store.Outgoing, 0, len(people))
	for _, p := range people {
		other := v.MentorName
		if p.ID == v.MentorID {
			other = v.MenteeName
		}
		body := s.pack.Say(p.Language, visitNotices[change], "other", gsm.Shorten(other, 20), "date", at.Format(DateLayout),
			"time", at.Format("15:04"), "old_date", from.In(s.tz).Format(DateLayout))
		msgs = append(msgs, store.Outgoing{
			DedupeKey: fmt.Sprintf("visit:%d:%s:%d-%d:%d:%d", v.ID, change, from.UTC().Unix(), v.At.Unix(), now.UnixNano(), p.ID),
			Kind:      store.KindNudge, Phone: p.Phone, WorkerID: p.ID, Body: body,
		})
	}
	_, err = s.db.Enqueue(ctx, tx, msgs...)
	return err
}
