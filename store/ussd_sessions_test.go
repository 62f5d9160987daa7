package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestLoadDemoIsIdempotentAndOnlyIntoAnEmptyDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r, err := db.LoadDemo(ctx)
		if err != nil || !r.Loaded || len(r.Nurses) != store.DemoNurses {
			t.Fatalf("LoadDemo() = %+v, %v, want %d nurses loaded", r.Loaded, err, store.DemoNurses)
		}
		for _, p := range []string{"+254700000000", "+254700000099"} {
			w, err := db.WorkerByPhone(ctx, p)
			if err != nil || w.Status != store.StatusActive || w.Role != store.RoleNurse || w.FacilityCode != store.DemoFacilityCode {
				t.Errorf("WorkerByPhone(%s) = %+v, %v, want an active demo nurse", p, w, err)
			}
		}
		counts := map[string]int{}
		for _, table := range []string{"workers", "group_members", "mentor_pairs", "visits", "groups", "facilities"} {
			var n int
			if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM `+table); err != nil {
				t.Fatal(err)
			}
			counts[table] = n
		}
		want := map[string]int{"workers": 101, "group_members": 100, "mentor_pairs": 100, "visits": 1, "groups": 1, "facilities": 1}
		if diff := cmp.Diff(want, counts); diff != "" {
			t.Errorf("rows after LoadDemo (-want +got):\n%s", diff)
		}
		again, err := db.LoadDemo(ctx)
		if err != nil || again.Loaded {
			t.Errorf("second LoadDemo() = loaded %v, %v, want nothing loaded", again.Loaded, err)
		}
	})
}

func TestLoadDemoRefusesARoster(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Register(ctx, store.Registration{Phone: "+254711000001", Name: "Jane", FacilityCode: "12345", Language: "en"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LoadDemo(ctx); !errors.Is(err, store.ErrNotEmpty) {
			t.Errorf("LoadDemo() on a roster error = %v, want ErrNotEmpty", err)
		}
	})
}

func TestWorkerProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.Register(ctx, store.Registration{Phone: "+254711000003", Name: "Jane", FacilityCode: "12345", Language: "en", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.WorkerProgress(ctx, w.ID); err != nil || got != (store.ProgressCounts{}) {
			t.Errorf("WorkerProgress(new) = %+v, %v, want zeros", got, err)
		}
		now := db.Now()
		mustExec(t, db, `INSERT INTO lesson_progress (worker_id, lesson_id, page, completed_at, updated_at) VALUES (?, 'a', 3, ?, ?), (?, 'b', 1, NULL, ?)`, w.ID, now, now, w.ID, now)
		mustExec(t, db, `INSERT INTO quiz_attempts (worker_id, form, seed, started_at, finished_at, score, total) VALUES (?, 'practice', 1, ?, ?, 3, 4), (?, 'practice', 2, ?, ?, 1, 4), (?, 'practice', 3, ?, NULL, 0, 0)`,
			w.ID, now, now, w.ID, now, now, w.ID, now)
		want := store.ProgressCounts{LessonsDone: 1, Quizzes: 2, QuizPercent: 50}
		if got, err := db.WorkerProgress(ctx, w.ID); err != nil || got != want {
			t.Errorf("WorkerProgress() = %+v, %v, want %+v", got, err, want)
		}
	})
}

func TestRecordUSSDSessionUpserts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := store.USSDSessionEnd{SessionID: "ATUid_1", Phone: "+254700000001", Status: "Incomplete", Hops: 2, DurationMS: 5230, Input: "1*2", EndedAt: time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)}
		if err := db.RecordUSSDSession(ctx, e); err != nil {
			t.Fatal(err)
		}
		e.Status, e.Hops = "Success", 3
		if err := db.RecordUSSDSession(ctx, e); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Status string `db:"status"`
			Hops   int    `db:"hops"`
			N      int    `db:"n"`
		}
		if err := db.GetContext(ctx, &got, `SELECT MAX(status) AS status, MAX(hops) AS hops, COUNT(*) AS n FROM ussd_sessions`); err != nil {
			t.Fatal(err)
		}
		if got.Status != "Success" || got.Hops != 3 || got.N != 1 {
			t.Errorf("ussd_sessions after two notifications = %+v, want one row, Success, 3 hops", got)
		}
	})
}

func mustExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), db.Rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
