package store

import (
	"context"
	"fmt"
	"time"
)

// Actions counts, inside a scope, what waits on a supervisor: the
// dashboard's "needs action" list.
type Actions struct {
	OpenQuestions int // asked, neither answered nor closed
	PassedOn      int // of them, passed on because no mentor answered in time
	OverdueVisits int // scheduled before today and not logged as done or cancelled
	Stopped       int // active nurses who dialled once but not since the cut-off
	Queued        int // SMS waiting to be sent, of any month
	QueuedLater   int // of them, not to be sent before a time still to come (scheduled, retried later)
}

// The counts of Actions, each over the scope's workers.
const (
	sqlActionQuestions = `SELECT COUNT(*) AS open,
    COALESCE(SUM(CASE WHEN q.escalated_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS passed_on
FROM questions q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE q.answered_at IS NULL AND q.closed_at IS NULL AND (? OR f.sub_county IN (?))`
	sqlActionVisits = `SELECT COUNT(*) FROM visits v JOIN workers e ON e.id = v.mentee_id
LEFT JOIN facilities f ON f.id = e.facility_id
WHERE v.status = 'scheduled' AND v.scheduled_at < ? AND (? OR f.sub_county IN (?))`
	sqlActionStopped = `SELECT COUNT(*) FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id
WHERE w.status = 'active' AND NOT w.opted_out AND w.last_dial_at < ? AND (? OR f.sub_county IN (?))`
	sqlActionQueued = `SELECT COUNT(*) AS queued, COALESCE(SUM(CASE WHEN not_before > ? THEN 1 ELSE 0 END), 0) AS later
FROM outbox WHERE status = 'queued' AND (? OR sub_county IN (?))`
)

// DashboardActions counts what needs action inside the scope: open
// questions, visits scheduled before today (the caller's local midnight,
// with no lower bound: an overdue visit stays overdue until someone acts),
// active nurses whose last dial is before stoppedSince, and the SMS waiting
// to be sent, now.
func (db *DB) DashboardActions(ctx context.Context, sc Scope, today, stoppedSince time.Time) (Actions, error) {
	var a Actions
	if sc.none() {
		return a, nil
	}
	admin, subCounties := sc.inArgs()
	var q struct {
		Open     int `db:"open"`
		PassedOn int `db:"passed_on"`
	}
	if err := db.inGet(ctx, db, &q, sqlActionQuestions, admin, subCounties); err != nil {
		return Actions{}, fmt.Errorf("store: dashboard actions: %w", err)
	}
	a.OpenQuestions, a.PassedOn = q.Open, q.PassedOn
	if err := db.inGet(ctx, db, &a.OverdueVisits, sqlActionVisits, today.UTC(), admin, subCounties); err != nil {
		return Actions{}, fmt.Errorf("store: dashboard actions: %w", err)
	}
	if err := db.inGet(ctx, db, &a.Stopped, sqlActionStopped, stoppedSince.UTC(), admin, subCounties); err != nil {
		return Actions{}, fmt.Errorf("store: dashboard actions: %w", err)
	}
	// The outbox keeps the recipient's sub-county on the row; an admin also
	// sees replies to numbers that are no worker's.
	var s struct {
		Queued int `db:"queued"`
		Later  int `db:"later"`
	}
	if err := db.inGet(ctx, db, &s, sqlActionQueued, db.Now().UTC(), admin, subCounties); err != nil {
		return Actions{}, fmt.Errorf("store: dashboard actions: %w", err)
	}
	a.Queued, a.QueuedLater = s.Queued, s.Later
	return a, nil
}
