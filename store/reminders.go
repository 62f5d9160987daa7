package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The reminder rules: the ids of the content pack's rules (lessons.Reminder),
// which the store cannot import.
const (
	RuleVisitBefore = "visit-before"
	RuleVisitReview = "visit-review"
	RuleWeekly      = "weekly"
	RuleInactive    = "inactive"
)

// ruleOrder is the precedence of the rules when two fall on one person's day.
var ruleOrder = []string{RuleVisitBefore, RuleVisitReview, RuleWeekly, RuleInactive}

// outranks reports whether rule a goes before rule b; an unknown rule goes
// after all known ones.
func outranks(a, b string) bool {
	rank := func(r string) int {
		if i := slices.Index(ruleOrder, r); i >= 0 {
			return i
		}
		return len(ruleOrder)
	}
	return rank(a) < rank(b)
}

// Reminder statuses.
const (
	ReminderScheduled = "scheduled"
	ReminderSent      = "sent"
	ReminderDropped   = "dropped"
)

// Why a reminder was dropped.
const (
	DropCollision = "collision" // a rule of higher precedence falls on the same day
	DropDayCap    = "cap-day"   // the person had her nudge of the day
	DropWeekCap   = "cap-week"  // the person had her nudges of the last 7 days
	DropLate      = "late"      // it could not go on its day
	DropInactive  = "inactive"  // the worker is no longer active
)

// ErrReminderGone is returned when a reminder is no longer scheduled: another
// scheduler settled it, or its visit moved.
var ErrReminderGone = errors.New("reminder no longer scheduled")

// Reminder is a nudge scheduled for one worker; (WorkerID, Rule, Anchor) is
// unique, so each fires once.
type Reminder struct {
	ID       int64         `db:"id"`
	WorkerID int64         `db:"worker_id"`
	Rule     string        `db:"rule"`
	Anchor   string        `db:"anchor"`
	DueAt    time.Time     `db:"due_at"` // UTC
	Status   string        `db:"status"`
	Reason   string        `db:"reason"` // why it was dropped
	VisitID  sql.NullInt64 `db:"visit_id"`
	SentAt   sql.NullTime  `db:"sent_at"`
}

func (r *Reminder) utc() {
	r.DueAt = r.DueAt.UTC()
	r.SentAt.Time = r.SentAt.Time.UTC()
}

const sqlReminderColumns = `r.id, r.worker_id, r.rule, r.anchor, r.due_at, r.status, r.reason, r.visit_id, r.sent_at`

// Reminders returns the worker's reminders of every status by due time.
func (db *DB) Reminders(ctx context.Context, workerID int64) ([]Reminder, error) {
	var rs []Reminder
	q := `SELECT ` + sqlReminderColumns + ` FROM reminders r WHERE r.worker_id = ? ORDER BY r.due_at, r.id`
	if err := db.SelectContext(ctx, &rs, db.Rebind(q), workerID); err != nil {
		return nil, fmt.Errorf("store: reminders: %w", err)
	}
	for i := range rs {
		rs[i].utc()
	}
	return rs, nil
}

// DueReminder is a reminder due now with what its text needs of the worker.
type DueReminder struct {
	Reminder
	Phone        string `db:"phone"`
	Name         string `db:"name"`
	Language     string `db:"language"`
	WorkerStatus string `db:"worker_status"`
}

const sqlDueReminders = `SELECT ` + sqlReminderColumns + `, w.phone, w.name, w.language, w.status AS worker_status
FROM reminders r JOIN workers w ON w.id = r.worker_id
WHERE r.id IN (?) AND r.lease_owner = ? ORDER BY r.due_at, r.id`

// The claim of the scheduled reminders due at ?, oldest first (claimRows).
const (
	sqlClaimRemindersSQLite = `UPDATE reminders SET lease_owner = ?, lease_until = ?
WHERE id IN (SELECT id FROM reminders WHERE status = 'scheduled' AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
             ORDER BY due_at, id LIMIT ?)
RETURNING id`
	sqlClaimRemindersPostgres = `UPDATE reminders SET lease_owner = ?, lease_until = ?
WHERE id = ANY(ARRAY(SELECT id FROM reminders WHERE status = 'scheduled' AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
             ORDER BY due_at, id LIMIT ? FOR UPDATE SKIP LOCKED))
RETURNING id`
)

// ClaimReminders leases to c.Owner up to c.Limit scheduled reminders due at
// now that no other process holds, oldest first, and returns them with what
// their texts need. Settling one (SendReminder, DropReminder) ends its lease.
func (db *DB) ClaimReminders(ctx context.Context, c RowClaim, now time.Time) ([]DueReminder, error) {
	ids, err := db.claimRows(ctx, sqlClaimRemindersSQLite, sqlClaimRemindersPostgres, c, now.UTC(), now.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: claim reminders: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	q, args, err := db.in(sqlDueReminders, ids, c.Owner)
	if err != nil {
		return nil, fmt.Errorf("store: claim reminders: %w", err)
	}
	var rs []DueReminder
	if err := db.SelectContext(ctx, &rs, q, args...); err != nil {
		return nil, fmt.Errorf("store: claim reminders: %w", err)
	}
	for i := range rs {
		rs[i].utc()
	}
	return rs, nil
}

const sqlScheduleForActive = `INSERT INTO reminders (worker_id, rule, anchor, due_at, status, created_at, updated_at)
SELECT id, ?, ?, ?, 'scheduled', ?, ? FROM workers WHERE status = 'active'
ON CONFLICT (worker_id, rule, anchor) DO NOTHING`

// ScheduleForActive schedules rule at due for every active worker, anchored
// to anchor (the local date, for a rule that fires once a day), and returns
// how many were new: scheduling again changes nothing.
func (db *DB) ScheduleForActive(ctx context.Context, rule, anchor string, due time.Time) (int, error) {
	now := db.Now().UTC()
	res, err := db.ExecContext(ctx, db.Rebind(sqlScheduleForActive), rule, anchor, due.UTC(), now, now)
	if err != nil {
		return 0, fmt.Errorf("store: schedule %s: %w", rule, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

const sqlScheduleInactive = `INSERT INTO reminders (worker_id, rule, anchor, due_at, status, created_at, updated_at)
SELECT id, 'inactive', ?, ?, 'scheduled', ?, ? FROM workers
WHERE status = 'active' AND COALESCE(last_dial_at, created_at) >= ? AND COALESCE(last_dial_at, created_at) < ?
ON CONFLICT (worker_id, rule, anchor) DO NOTHING`

// ScheduleInactive schedules the inactivity rule at due, anchored to anchor,
// for every active worker whose last dial (or enrolment, if she never
// dialled) falls in [from, to); it returns how many were new.
func (db *DB) ScheduleInactive(ctx context.Context, anchor string, due, from, to time.Time) (int, error) {
	now := db.Now().UTC()
	res, err := db.ExecContext(ctx, db.Rebind(sqlScheduleInactive), anchor, due.UTC(), now, now, from.UTC(), to.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: schedule inactive: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Caps limit the nudges one person gets of one kind: at most PerDay in a
// local day of TZ and PerWeek in the last 7 days (rolling). Zero means no
// cap. A kind is a rule and, for the visit rules, the visit: a mentor's
// reminders of her four visits tomorrow are four kinds, and none of them
// eats her own weekly lesson.
type Caps struct {
	TZ              *time.Location
	PerDay, PerWeek int
}

const sqlSettleReminder = `UPDATE reminders SET status = ?, reason = ?, sent_at = ?, updated_at = ?,
  lease_owner = NULL, lease_until = NULL
WHERE id = ? AND status = 'scheduled'`

// SendReminder settles the due reminder id at the store's now, in one
// transaction that holds the worker: it is dropped, with the reason, when a
// scheduled reminder of higher precedence falls on the same local day or a
// cap is reached; else it is marked sent and msg queued as the worker's
// nudge, with the dedupe key "reminder:<id>". It returns the status and
// reason given, or ErrReminderGone.
func (db *DB) SendReminder(ctx context.Context, caps Caps, id int64, msg Outgoing) (status, reason string, err error) {
	now := db.Now().UTC()
	err = db.Tx(ctx, func(tx *Tx) error {
		r, err := db.lockReminder(ctx, tx, id)
		if err != nil {
			return err
		}
		if reason, err = db.blocked(ctx, tx, caps, r, now); err != nil {
			return err
		}
		status = ReminderSent
		if reason != "" {
			status = ReminderDropped
		}
		if err := settle(ctx, db, tx, id, status, reason, now); err != nil {
			return err
		}
		if status == ReminderDropped {
			return nil
		}
		msg.DedupeKey, msg.Kind, msg.WorkerID = fmt.Sprintf("reminder:%d", id), KindNudge, r.WorkerID
		_, err = db.Enqueue(ctx, tx, msg)
		return err
	})
	if err != nil {
		return "", "", fmt.Errorf("store: send reminder %d: %w", id, err)
	}
	return status, reason, nil
}

// DropReminder marks the scheduled reminder id dropped for reason.
func (db *DB) DropReminder(ctx context.Context, id int64, reason string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		return settle(ctx, db, tx, id, ReminderDropped, reason, db.Now().UTC())
	})
	if err != nil {
		return fmt.Errorf("store: drop reminder %d: %w", id, err)
	}
	return nil
}

// settle moves the reminder from scheduled to status; the status guard makes
// one scheduler win when several race for it.
func settle(ctx context.Context, db *DB, tx *Tx, id int64, status, reason string, now time.Time) error {
	var sent any
	if status == ReminderSent {
		sent = now
	}
	res, err := tx.ExecContext(ctx, db.Rebind(sqlSettleReminder), status, reason, sent, now, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return cmp.Or(err, ErrReminderGone)
	}
	return nil
}

// lockReminder reads the scheduled reminder id and, on PostgreSQL, locks its
// worker's row, so that two schedulers settling two reminders of one person
// count her caps one after the other (SQLite's write transactions are
// serial already).
func (db *DB) lockReminder(ctx context.Context, tx *Tx, id int64) (Reminder, error) {
	var r Reminder
	q := `SELECT ` + sqlReminderColumns + ` FROM reminders r WHERE r.id = ? AND r.status = 'scheduled'`
	err := tx.GetContext(ctx, &r, db.Rebind(q), id)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrReminderGone
	}
	if err != nil || db.Dialect != Postgres {
		return r, err
	}
	_, err = tx.ExecContext(ctx, db.Rebind(`SELECT id FROM workers WHERE id = ? FOR UPDATE`), r.WorkerID)
	return r, err
}

const sqlSentCounts = `SELECT COALESCE(SUM(CASE WHEN sent_at >= ? AND sent_at < ? THEN 1 ELSE 0 END), 0) AS day, COUNT(*) AS week
FROM reminders WHERE worker_id = ? AND status = 'sent' AND sent_at > ? AND rule = ? AND COALESCE(visit_id, 0) = ?`

const sqlSameDayRules = `SELECT rule FROM reminders
WHERE worker_id = ? AND status = 'scheduled' AND id <> ? AND due_at >= ? AND due_at < ?`

// blocked returns why r may not be sent at now, or "".
func (db *DB) blocked(ctx context.Context, tx *Tx, caps Caps, r Reminder, now time.Time) (string, error) {
	loc := caps.TZ
	if loc == nil {
		loc = time.UTC
	}
	day, next := dayAt(now, loc, 0, 0, 0), dayAt(now, loc, 1, 0, 0)
	var rules []string
	if err := tx.SelectContext(ctx, &rules, db.Rebind(sqlSameDayRules), r.WorkerID, r.ID, day, next); err != nil {
		return "", err
	}
	for _, other := range rules {
		if outranks(other, r.Rule) {
			return DropCollision, nil
		}
	}
	var sent struct {
		Day  int `db:"day"`
		Week int `db:"week"`
	}
	if err := tx.GetContext(ctx, &sent, db.Rebind(sqlSentCounts), day, next, r.WorkerID, now.Add(-7*24*time.Hour),
		r.Rule, r.VisitID.Int64); err != nil {
		return "", err
	}
	switch {
	case caps.PerDay > 0 && sent.Day >= caps.PerDay:
		return DropDayCap, nil
	case caps.PerWeek > 0 && sent.Week >= caps.PerWeek:
		return DropWeekCap, nil
	}
	return "", nil
}
