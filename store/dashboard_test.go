package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestDashboardScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusPending)
		c := seedWorker(t, db, "Chebet", "+254711000003", "Embakasi", store.StatusActive)
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, db.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE workers SET last_dial_at = ? WHERE id IN (?, ?)`, now.Add(-time.Hour), a, c)
		exec(`INSERT INTO lesson_progress (worker_id, lesson_id, completed_at, updated_at) VALUES (?, 'l1', ?, ?), (?, 'l2', NULL, ?)`, a, now, now, a, now)
		exec(`INSERT INTO quiz_attempts (worker_id, form, topic, seed, started_at, finished_at, score, total)
VALUES (?, 'practice', 'stock', 1, ?, ?, 3, 4), (?, 'practice', 'stock', 2, ?, ?, 1, 4), (?, 'practice', 'stock', 3, ?, ?, 0, 4)`,
			a, now, now, a, now, now, c, now, now)
		for i, st := range []string{"delivered", "failed", "queued"} {
			exec(`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, sub_county, status, not_before, sent_at, cost, currency, created_at, updated_at)
VALUES (?, 'nudge', 1, '+254711000001', 'x', ?, 'Kibra', ?, ?, ?, 0.8, 'KES', ?, ?)`, st, a, st, now, sentAt(i < 2, now), now, now)
		}
		exec(`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, sub_county, status, not_before, sent_at, cost, currency, created_at, updated_at)
VALUES ('c', 'nudge', 1, '+254711000003', 'x', ?, 'Embakasi', 'delivered', ?, ?, 0.8, 'KES', ?, ?)`, c, now, now, now, now)
		got, err := db.Dashboard(ctx, store.Scope{SubCounties: []string{"Kibra"}}, now.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := store.Dashboard{ActiveThisWeek: 1, Pending: 1, LessonsCompleted: 1,
			Quiz: []store.TopicScore{{Topic: "stock", Attempts: 2, Score: 4, Total: 8}},
			SMS:  store.SMSMonth{Queued: 1, Sent: 2, Parts: 2, Delivered: 1, Failed: 1, Cost: 2.4, Currency: "KES"}}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 })); diff != "" {
			t.Errorf("Dashboard(Kibra) diff (-want +got):\n%s", diff)
		}
		if p := got.Quiz[0].Percent(); p != 50 {
			t.Errorf("Percent() = %v, want 50", p)
		}
	})
}

func sentAt(sent bool, now time.Time) any {
	if sent {
		return now
	}
	return nil
}
