package storetest

import (
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// The fixtures of the load and page-weight tests: thousands of rows in a
// few statements, each row numbered by a recursive series both dialects
// write the same way.

// Nurses adds n active nurses called name at facility, with the phones
// +2547 followed by from, from+1, …; from must have 8 digits.
func Nurses(t testing.TB, db *store.DB, facility int64, name string, from, n int, at time.Time) {
	t.Helper()
	seed(t, db, `WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO workers (phone, name, facility_id, status, created_at, updated_at)
SELECT '+2547' || i, ?, ?, 'active', ?, ? FROM n`, from, from+n-1, name, facility, at.UTC(), at.UTC())
}

// Large is what LargeSubCounty made: a nurse (the last), the group, a
// visit and a question.
type Large struct {
	Nurse, Group, Visit, Question int64
}

// LargeSubCounty fills the sub-county "Big" with n nurses (one in twenty
// a mentor) at 50 facilities, each with 3 lessons begun (2 completed) and a
// practice quiz; a group of the first 2,000, 500 visits, 500 questions and
// 200 stock calculations whose result is stockResult, all as of at.
func LargeSubCounty(t testing.TB, db *store.DB, n int, at time.Time, stockResult string) Large {
	t.Helper()
	now := at.UTC()
	const series = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) `
	seed(t, db, series+`INSERT INTO facilities (code, name, sub_county, county, verified, created_at, updated_at)
SELECT 'F-' || i, 'Big Health Centre ' || i, 'Big', 'Nairobi', TRUE, ?, ? FROM n`, 50, now, now)
	seed(t, db, series+`INSERT INTO workers (phone, name, facility_id, status, role, last_dial_at, created_at, updated_at)
SELECT '+2547' || (10000000 + i), 'Nurse ' || i, (SELECT id FROM facilities WHERE code = 'F-' || (1 + i % 50)), 'active',
    CASE WHEN i % 20 = 0 THEN 'mentor' ELSE 'nurse' END, ?, ?, ? FROM n`, n, now.Add(-time.Hour), now, now)
	seed(t, db, `INSERT INTO lesson_progress (worker_id, lesson_id, page, completed_at, updated_at)
SELECT w.id, l.id, 3, CASE WHEN l.id <> 'ipc-greet' THEN ? END, ? FROM workers w
CROSS JOIN (SELECT 'ipc-greet' AS id UNION ALL SELECT 'stock-amc' UNION ALL SELECT 'rec-tally') l`, now, now)
	seed(t, db, `INSERT INTO quiz_attempts (worker_id, form, topic, seed, started_at, finished_at, score, total)
SELECT id, 'practice', 'stock', 1, ?, ?, id % 5, 4 FROM workers`, now, now)
	seed(t, db, `INSERT INTO groups (name, created_at) VALUES ('Big mentees', ?)`, now)
	seed(t, db, `INSERT INTO group_members (group_id, worker_id) SELECT (SELECT id FROM groups), id FROM workers WHERE id <= 2000`)
	seed(t, db, `INSERT INTO visits (mentor_id, mentee_id, scheduled_at, status, created_at, updated_at)
SELECT (SELECT MIN(id) FROM workers WHERE role = 'mentor'), id, ?, 'scheduled', ?, ? FROM workers WHERE id <= 500`, now.Add(24*time.Hour), now, now)
	seed(t, db, `INSERT INTO questions (worker_id, body, source, asked_at) SELECT id, 'Je, BCG inapewa lini?', 'sms', ? FROM workers WHERE id <= 500`, now)
	seed(t, db, `INSERT INTO stock_calculations (worker_id, facility_id, calculator, vaccine, inputs, result, status, created_at)
SELECT id, facility_id, 'order-quantity', CASE WHEN id % 2 = 0 THEN 'penta' ELSE 'bcg' END, '{}', ?, 'below_order_point', ?
FROM workers WHERE id <= 200`, stockResult, now)
	var l Large
	for _, x := range []struct {
		id    *int64
		query string
	}{{&l.Nurse, `SELECT MAX(id) FROM workers`}, {&l.Group, `SELECT id FROM groups`},
		{&l.Visit, `SELECT MIN(id) FROM visits`}, {&l.Question, `SELECT MIN(id) FROM questions`}} {
		if err := db.Get(x.id, x.query); err != nil {
			t.Fatalf("storetest: large sub-county: %v", err)
		}
	}
	return l
}
