package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/store"
)

// The visit operations the console and the API share: each checks the
// scope, changes the visit through the mentoring service (which recomputes
// its reminders and queues its notices in the same transaction) and writes
// the audit log.

// visitRefusal is a visit change refused for a reason people can act on.
func visitRefusal(field, msg string) error {
	return &store.InputError{Field: field, Message: msg}
}

// checkVisitDay refuses a visit on a local day already past, with a
// message for people; the store refuses it too, in fewer words.
func checkVisitDay(now time.Time, loc *time.Location, at time.Time) error {
	if at.IsZero() {
		return visitRefusal("at", "give the date and time of the visit")
	}
	n := now.In(loc)
	if at.Before(time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)) {
		return visitRefusal("at", fmt.Sprintf("%s is in the past: choose today or a later day", at.In(loc).Format("2 Jan 2006")))
	}
	return nil
}

// scheduleVisit schedules the mentor's visit to the mentee, both inside
// the scope (else store.ErrNotFound).
func scheduleVisit(ctx context.Context, db *store.DB, sc store.Scope, m *mentoring.Service, userID, mentorID, menteeID int64, at time.Time) (store.VisitRow, error) {
	mentor, err := db.WorkerInScope(ctx, sc, mentorID)
	if err != nil {
		return store.VisitRow{}, err
	}
	if _, err := db.WorkerInScope(ctx, sc, menteeID); err != nil {
		return store.VisitRow{}, err
	}
	switch {
	case mentor.Role != store.RoleMentor:
		return store.VisitRow{}, visitRefusal("mentor_id", mentor.Name+" is not a mentor")
	case mentorID == menteeID:
		return store.VisitRow{}, visitRefusal("mentee_id", "a mentor cannot visit herself")
	}
	if err := checkVisitDay(db.Now(), m.Zone(), at); err != nil {
		return store.VisitRow{}, err
	}
	v, err := m.ScheduleVisit(ctx, mentorID, menteeID, at)
	if err != nil {
		return store.VisitRow{}, err
	}
	return auditVisit(ctx, db, sc, userID, v.ID, "visit.schedule", fmt.Sprintf("mentor worker:%d, mentee worker:%d, at %s", mentorID, menteeID, at.UTC().Format(time.RFC3339)))
}

// rescheduleVisit moves the visit inside the scope to at.
func rescheduleVisit(ctx context.Context, db *store.DB, sc store.Scope, m *mentoring.Service, userID, id int64, at time.Time) (store.VisitRow, error) {
	if _, err := db.VisitInScope(ctx, sc, id); err != nil {
		return store.VisitRow{}, err
	}
	if err := checkVisitDay(db.Now(), m.Zone(), at); err != nil {
		return store.VisitRow{}, err
	}
	if _, err := m.RescheduleVisit(ctx, id, at); err != nil {
		return store.VisitRow{}, err
	}
	return auditVisit(ctx, db, sc, userID, id, "visit.reschedule", "at "+at.UTC().Format(time.RFC3339))
}

// cancelVisit cancels the visit inside the scope.
func cancelVisit(ctx context.Context, db *store.DB, sc store.Scope, m *mentoring.Service, userID, id int64) (store.VisitRow, error) {
	v, err := db.VisitInScope(ctx, sc, id)
	if err != nil || v.Status == store.VisitCancelled {
		return v, err
	}
	if err := m.CancelVisit(ctx, id); err != nil {
		return store.VisitRow{}, err
	}
	return auditVisit(ctx, db, sc, userID, id, "visit.cancel", "")
}

// auditVisit writes the change to the audit log and returns the visit as
// it is now. The store's visit operations have no user to audit, so the
// entry follows their transaction.
func auditVisit(ctx context.Context, db *store.DB, sc store.Scope, userID, id int64, action, detail string) (store.VisitRow, error) {
	if err := db.Audit(ctx, db, userID, action, fmt.Sprintf("visit:%d", id), detail); err != nil {
		return store.VisitRow{}, err
	}
	return db.VisitInScope(ctx, sc, id)
}
