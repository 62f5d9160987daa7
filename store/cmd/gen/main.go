// Command gen fills an empty PostgreSQL database with a country's worth of
// Chanjo data, to measure the console and the API at national size:
// 3,000 facilities in 300 sub-counties, 100,000 health workers with 10
// lessons begun and 5 practice quizzes each, 4,060
// broadcasts (one in 68 to everyone) and 10 million outbox rows spread over the last 180 days, with
// the SMS counters they imply.
//
//	createdb -h 127.0.0.1 -U postgres chanjo_big
//	go run ./store/cmd/gen -db 'postgres://postgres@127.0.0.1:5432/chanjo_big?sslmode=disable'
//
// It migrates the database first and refuses one whose outbox is not
// empty. Rows are made inside PostgreSQL (INSERT … SELECT over
// generate_series), so nothing travels over the connection; the counter
// triggers are switched off while the outbox fills and the counters and
// the outbox's hours are computed once at the end, as the triggers would
// have kept them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

func main() {
	dsn := flag.String("db", os.Getenv("DATABASE_URL"), "postgres:// URL of an empty database")
	workers := flag.Int("workers", 100000, "health workers")
	national := flag.Int("national", 60, "broadcasts to every worker")
	local := flag.Int("local", 4000, "broadcasts to one sub-county each")
	other := flag.Int("other", 2820000, "replies and nudges")
	flag.Parse()
	if err := run(context.Background(), *dsn, *workers, *national, *local, *other); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, workers, national, local, other int) error {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return fmt.Errorf("-db must be a postgres:// URL")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM outbox LIMIT 1) o`); err != nil || n > 0 {
		return fmt.Errorf("the outbox must be empty (rows: %d, %v)", n, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, s := range steps(workers, national, local, other) {
		start := time.Now()
		var args []any
		if strings.Contains(s.sql, "$1") {
			args = append(args, now)
		}
		res, err := db.ExecContext(ctx, s.sql, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		rows, _ := res.RowsAffected()
		fmt.Printf("%-40s %10d rows %8.1f s\n", s.name, rows, time.Since(start).Seconds())
	}
	return nil
}

type step struct{ name, sql string }

// steps returns the statements that build the data; each takes the current
// time as $1. Statuses follow age: what is older than a day was sent and
// mostly delivered; the last day's SMS are partly queued, held 30 days
// ahead, so that a service started on the data has nothing to send.
func steps(workers, national, local, other int) []step {
	every := (national + local) / max(1, national) // one broadcast in every is national
	const status = `CASE WHEN age < interval '1 day' AND h % 10 < 3 THEN 'queued'
        WHEN h % 100 < 85 THEN 'delivered' WHEN h % 100 < 90 THEN 'failed'
        WHEN h % 100 < 95 THEN 'accepted' ELSE 'suppressed' END`
	// outboxRow turns a row of (phone, worker_id, broadcast_id, kind,
	// created_at, sub_county, key, h) into outbox columns.
	outboxRow := func(from string) string {
		return `INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, broadcast_id, status, attempts,
    not_before, segments, gateway_id, gateway_status, cost, currency, created_at, sent_at, delivered_at, updated_at, sub_county)
SELECT key, kind, CASE kind WHEN 'reply' THEN 0 WHEN 'nudge' THEN 1 ELSE 2 END, phone,
    'Chanjo: a message of about the usual length for a nurse, with a date and a place in it.', worker_id, broadcast_id,
    st, CASE WHEN st = 'queued' THEN 0 ELSE 1 END,
    CASE WHEN st = 'queued' THEN $1::timestamptz + interval '30 days' ELSE created_at END, 1,
    CASE WHEN st IN ('delivered', 'failed', 'accepted') THEN 'ATXid_' || key END, '',
    CASE WHEN st IN ('delivered', 'failed', 'accepted') THEN 0.8 ELSE 0 END,
    CASE WHEN st IN ('delivered', 'failed', 'accepted') THEN 'KES' ELSE '' END, created_at,
    CASE WHEN st IN ('delivered', 'failed', 'accepted') THEN created_at + interval '1 minute' END,
    CASE WHEN st = 'delivered' THEN created_at + interval '2 minutes' END, created_at, sub_county
FROM (SELECT *, ` + status + ` AS st FROM (SELECT *, $1::timestamptz - created_at AS age FROM (` + from + `) r) a) s`
	}
	return []step{
		{"facilities", `INSERT INTO facilities (code, name, sub_county, county, created_at, updated_at)
SELECT 'F' || lpad(i::text, 5, '0'), 'Facility ' || i, 'Sub-county ' || lpad((i % 300)::text, 3, '0'), 'County', $1::timestamptz, $1::timestamptz
FROM generate_series(1, 3000) i`},
		{"workers", fmt.Sprintf(`INSERT INTO workers (phone, name, role, facility_id, status, last_dial_at, created_at, updated_at)
SELECT '+2547' || lpad(i::text, 8, '0'), 'Nurse ' || i, CASE WHEN i %% 20 = 0 THEN 'mentor' ELSE 'nurse' END,
    (SELECT id FROM facilities WHERE code = 'F' || lpad((i %% 3000 + 1)::text, 5, '0')),
    CASE WHEN i %% 47 = 0 THEN 'pending' ELSE 'active' END, -- 47: prime to the 3,000 facilities
    $1::timestamptz - (i %% 30) * interval '1 day', $1::timestamptz, $1::timestamptz
FROM generate_series(1, %d) i`, workers)},
		{"lesson progress", `INSERT INTO lesson_progress (worker_id, lesson_id, page, completed_at, updated_at)
SELECT w.id, 'lesson-' || l, 3, CASE WHEN (w.id + l) % 3 <> 0 THEN $1::timestamptz - l * interval '1 day' END, $1::timestamptz
FROM workers w CROSS JOIN generate_series(1, 10) l`},
		// The quizzes' count triggers are row triggers (migration 0060): for
		// 500,000 quizzes in one statement their counts are added once here.
		{"quiz count triggers off", `ALTER TABLE quiz_attempts DISABLE TRIGGER USER`},
		{"practice quizzes", `INSERT INTO quiz_attempts (worker_id, form, topic, seed, started_at, finished_at, score, total)
SELECT w.id, 'practice', (ARRAY['data', 'use', 'stock', 'talk'])[q % 4 + 1], q, $1::timestamptz, $1::timestamptz, (w.id + q) % 5, 4
FROM workers w CROSS JOIN generate_series(1, 5) q`},
		{"quiz counts", `INSERT INTO learning_count_deltas (sub_county, topic, lessons, quizzes, score, total)
SELECT COALESCE(f.sub_county, ''), q.topic, 0, COUNT(*), SUM(q.score), SUM(q.total)
FROM quiz_attempts q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE q.form = 'practice' AND q.finished_at IS NOT NULL GROUP BY 1, 2`},
		{"quiz count triggers on", `ALTER TABLE quiz_attempts ENABLE TRIGGER USER`},
		{"users", `INSERT INTO users (name, role, password_hash, created_at)
VALUES ('gen-admin', 'admin', 'x', $1::timestamptz), ('gen-supervisor', 'supervisor', 'x', $1::timestamptz)`},
		{"user sub-counties", `INSERT INTO user_sub_counties (user_id, sub_county)
SELECT id, 'Sub-county 007' FROM users WHERE name = 'gen-supervisor'`},
		{"broadcasts", fmt.Sprintf(`INSERT INTO broadcasts (id, user_id, audience, body, urgent, send_at, recipients, segments, created_at)
SELECT i, (SELECT id FROM users WHERE name = 'gen-admin'),
    CASE WHEN i %% %[3]d = 0 THEN '{}' ELSE '{"sub_counties":["Sub-county ' || lpad((i %% 300)::text, 3, '0') || '"]}' END,
    'Chanjo: broadcast ' || i, false, t, 0, 1, t
FROM (SELECT i, $1::timestamptz - (%[1]d + %[2]d - i) * (interval '180 days' / (%[1]d + %[2]d)) AS t
      FROM generate_series(1, %[1]d + %[2]d) i) b`, national, local, every)},
		{"broadcasts id sequence", `SELECT setval(pg_get_serial_sequence('broadcasts', 'id'), (SELECT MAX(id) FROM broadcasts))`},
		{"counter triggers off", `ALTER TABLE outbox DISABLE TRIGGER USER`},
		// One statement, in time order: the service writes its rows as time
		// goes, so ids follow created_at and each hour's id range
		// (outbox_hours) holds that hour's rows only.
		{"outbox, in time order", outboxRow(fmt.Sprintf(`SELECT w.phone, w.id AS worker_id, b.id AS broadcast_id, 'broadcast' AS kind,
    b.created_at, f.sub_county, 'broadcast:' || b.id || ':' || w.id AS key, hashint8(b.id * 1000003 + w.id) & 1023 AS h
FROM broadcasts b CROSS JOIN workers w JOIN facilities f ON f.id = w.facility_id WHERE b.id %% %[1]d = 0 AND w.status = 'active'
UNION ALL
SELECT w.phone, w.id, b.id, 'broadcast', b.created_at, f.sub_county, 'broadcast:' || b.id || ':' || w.id,
    hashint8(b.id * 1000003 + w.id) & 1023
FROM broadcasts b JOIN facilities f ON f.sub_county = 'Sub-county ' || lpad((b.id %% 300)::text, 3, '0')
JOIN workers w ON w.facility_id = f.id WHERE b.id %% %[1]d <> 0 AND w.status = 'active'
UNION ALL
SELECT w.phone, w.id, NULL::bigint, CASE WHEN g %% 3 = 0 THEN 'nudge' ELSE 'reply' END,
    $1::timestamptz - g * (interval '180 days' / %[2]d), f.sub_county, 'gen:' || g, hashint8(g) & 1023
FROM generate_series(1, %[2]d) g JOIN workers w ON w.id = g %% %[3]d + 1 JOIN facilities f ON f.id = w.facility_id`, every, other, workers)) +
			` ORDER BY s.created_at`},
		{"counter triggers on", `ALTER TABLE outbox ENABLE TRIGGER USER`},
		{"outbox hours", `INSERT INTO outbox_hours (hour, first_id, last_id)
SELECT floor(extract(epoch FROM created_at) / 3600), MIN(id), MAX(id) FROM outbox GROUP BY 1`},
		{"broadcast recipients", `UPDATE broadcasts b SET recipients = c.n FROM (SELECT broadcast_id, COUNT(*) AS n FROM outbox
WHERE broadcast_id IS NOT NULL GROUP BY broadcast_id) c WHERE c.broadcast_id = b.id`},
		{"broadcast_counts", `INSERT INTO broadcast_counts (broadcast_id, sub_county, status, n)
SELECT broadcast_id, sub_county, status, COUNT(*) FROM outbox WHERE broadcast_id IS NOT NULL
GROUP BY broadcast_id, sub_county, status`},
		{"sms_daily", `INSERT INTO sms_daily (day, kind, sub_county, status, sent, currency, n, cost, sms_n, parts)
SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), kind, sub_county, status, sent_at IS NOT NULL, currency,
    COUNT(*), SUM(cost), SUM(CASE WHEN channel = 'sms' THEN 1 ELSE 0 END), SUM(CASE WHEN channel = 'sms' THEN segments ELSE 0 END)
FROM outbox GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1`}, // in day order, as days of service would write them
		{"analyze", `ANALYZE`},
	}
}
