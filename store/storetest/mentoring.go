package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Pairs returns every mentor pair as {mentor, mentee}, by mentor then
// mentee.
func Pairs(t testing.TB, db *store.DB) [][2]int64 {
	t.Helper()
	var rows []struct {
		Mentor int64 `db:"mentor_id"`
		Mentee int64 `db:"mentee_id"`
	}
	if err := db.Select(&rows, `SELECT mentor_id, mentee_id FROM mentor_pairs ORDER BY mentor_id, mentee_id`); err != nil {
		t.Fatalf("storetest: pairs: %v", err)
	}
	out := [][2]int64{}
	for _, r := range rows {
		out = append(out, [2]int64{r.Mentor, r.Mentee})
	}
	return out
}

// Members returns the worker ids of group's members, in id order.
func Members(t testing.TB, db *store.DB, group int64) []int64 {
	t.Helper()
	ids := []int64{}
	if err := db.Select(&ids, db.Rebind(`SELECT worker_id FROM group_members WHERE group_id = ? ORDER BY worker_id`), group); err != nil {
		t.Fatalf("storetest: members: %v", err)
	}
	return ids
}

// ScheduledVisit records a visit of mentor to mentee planned for at, with
// no reminders, and returns its id.
func ScheduledVisit(t testing.TB, db *store.DB, mentor, mentee int64, at time.Time) int64 {
	t.Helper()
	return visit(t, db, `INSERT INTO visits (mentor_id, mentee_id, scheduled_at, status, created_at, updated_at)
VALUES (?, ?, ?, 'scheduled', ?, ?) RETURNING id`, mentor, mentee, at.UTC(), at.UTC(), at.UTC())
}

// DoneVisit records a visit of mentor to mentee made at at, and returns
// its id.
func DoneVisit(t testing.TB, db *store.DB, mentor, mentee int64, at time.Time) int64 {
	t.Helper()
	return visit(t, db, `INSERT INTO visits (mentor_id, mentee_id, scheduled_at, status, done_at, created_at, updated_at)
VALUES (?, ?, ?, 'done', ?, ?, ?) RETURNING id`, mentor, mentee, at.UTC(), at.UTC(), at.UTC(), at.UTC())
}

func visit(t testing.TB, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := db.Get(&id, db.Rebind(query), args...); err != nil {
		t.Fatalf("storetest: visit: %v", err)
	}
	return id
}

// Reminder is a reminder of a visit still to be sent.
type Reminder struct {
	Worker int64     `db:"worker_id"`
	Anchor string    `db:"anchor"`
	Due    time.Time `db:"due_at"`
}

// VisitReminders returns the reminders of visit still scheduled, by
// worker, with their due times in UTC.
func VisitReminders(t testing.TB, db *store.DB, visit int64) []Reminder {
	t.Helper()
	rs := []Reminder{}
	if err := db.Select(&rs, db.Rebind(`SELECT worker_id, anchor, due_at FROM reminders WHERE visit_id = ? AND status = 'scheduled' ORDER BY worker_id`), visit); err != nil {
		t.Fatalf("storetest: visit reminders: %v", err)
	}
	for i := range rs {
		rs[i].Due = rs[i].Due.UTC()
	}
	return rs
}

// DueReminders returns how many reminders are still scheduled and due by
// at.
func DueReminders(t testing.TB, db *store.DB, at time.Time) int {
	t.Helper()
	var n int
	if err := db.Get(&n, db.Rebind(`SELECT COUNT(*) FROM reminders WHERE status = 'scheduled' AND due_at <= ?`), at.UTC()); err != nil {
		t.Fatalf("storetest: due reminders: %v", err)
	}
	return n
}

// SentReminders returns how many reminders were sent, and the time from
// the first reminder settled to the last.
func SentReminders(t testing.TB, db *store.DB) (sent int, span time.Duration) {
	t.Helper()
	var rs []struct {
		Status string       `db:"status"`
		SentAt sql.NullTime `db:"sent_at"`
	}
	if err := db.Select(&rs, `SELECT status, sent_at FROM reminders WHERE sent_at IS NOT NULL ORDER BY sent_at`); err != nil {
		t.Fatalf("storetest: sent reminders: %v", err)
	}
	for _, r := range rs {
		if r.Status == "sent" {
			sent++
		}
	}
	if len(rs) > 0 {
		span = rs[len(rs)-1].SentAt.Time.Sub(rs[0].SentAt.Time)
	}
	return sent, span
}
