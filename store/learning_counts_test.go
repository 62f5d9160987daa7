package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// learningView is the dashboard's learning part in each scope.
type learningView map[string]struct {
	Lessons int
	Quiz    []store.TopicScore
}

// sqlLearningByHand counts the same figures from the learning rows, as the
// dashboard did before the counters.
const sqlLearningByHand = `SELECT COALESCE(f.sub_county, '') AS sub_county, q.topic, COUNT(*) AS attempts,
    SUM(q.score) AS score, SUM(q.total) AS total
FROM quiz_attempts q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE q.form = 'practice' AND q.finished_at IS NOT NULL GROUP BY 1, 2 ORDER BY 2`

func readLearning(t *testing.T, db *store.DB) learningView {
	t.Helper()
	v := learningView{}
	for name, sc := range map[string]store.Scope{"admin": {Admin: true}, "Kibra": {SubCounties: []string{"Kibra"}},
		"Embakasi": {SubCounties: []string{"Embakasi"}}} {
		d, err := db.Dashboard(context.Background(), sc, db.Now())
		if err != nil {
			t.Fatal(err)
		}
		v[name] = struct {
			Lessons int
			Quiz    []store.TopicScore
		}{d.LessonsCompleted, d.Quiz}
	}
	return v
}

func countLearningByHand(t *testing.T, db *store.DB) learningView {
	t.Helper()
	v := learningView{}
	var rows []struct {
		SubCounty string `db:"sub_county"`
		store.TopicScore
	}
	if err := db.Select(&rows, sqlLearningByHand); err != nil {
		t.Fatal(err)
	}
	var lessons []struct {
		SubCounty string `db:"sub_county"`
		N         int    `db:"n"`
	}
	if err := db.Select(&lessons, `SELECT COALESCE(f.sub_county, '') AS sub_county, COUNT(*) AS n
FROM lesson_progress p JOIN workers w ON w.id = p.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE p.completed_at IS NOT NULL GROUP BY 1`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"admin", "Kibra", "Embakasi"} {
		e := v[name]
		for _, l := range lessons {
			if name == "admin" || l.SubCounty == name {
				e.Lessons += l.N
			}
		}
		for _, r := range rows {
			if name != "admin" && r.SubCounty != name {
				continue
			}
			if n := len(e.Quiz); n > 0 && e.Quiz[n-1].Topic == r.Topic {
				e.Quiz[n-1].Attempts += r.Attempts
				e.Quiz[n-1].Score += r.Score
				e.Quiz[n-1].Total += r.Total
				continue
			}
			e.Quiz = append(e.Quiz, r.TopicScore)
		}
		v[name] = e
	}
	return v
}

// TestLearningCountsFollowTheRows is issue 12's national-size dashboard:
// the lessons and quiz figures come from counters (migration 0043), which
// must equal counting the rows in every scope through lessons finished,
// quizzes finished, a nurse moving to another sub-county and a facility
// placed in another, before and after folding.
func TestLearningCountsFollowTheRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC))
		a := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		b := seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusActive)
		c := seedWorker(t, db, "Chebet", "+254711000003", "Embakasi", store.StatusActive)
		check := func(step string, want learningView) {
			t.Helper()
			got := readLearning(t, db)
			if diff := cmp.Diff(countLearningByHand(t, db), got); diff != "" {
				t.Errorf("%s: counters differ from the rows (-rows +counters):\n%s", step, diff)
			}
			if want != nil {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: (-want +got):\n%s", step, diff)
				}
			}
			if _, err := db.FoldCounts(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, readLearning(t, db)); diff != "" {
				t.Errorf("%s: folding changed the counts (-before +after):\n%s", step, diff)
			}
		}
		marks := []store.PageMark{{WorkerID: a, Lesson: "l1", Page: 3, Done: true}, {WorkerID: a, Lesson: "l2", Page: 1},
			{WorkerID: b, Lesson: "l1", Page: 3, Done: true}, {WorkerID: c, Lesson: "l1", Page: 3, Done: true}}
		if err := db.SaveLessonPages(ctx, marks); err != nil {
			t.Fatal(err)
		}
		// The same lesson again, and a page of l2: no count changes; then l2 done.
		if err := db.SaveLessonPages(ctx, marks[:2]); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveLessonPages(ctx, []store.PageMark{{WorkerID: a, Lesson: "l2", Page: 4, Done: true}}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []struct {
			worker       int64
			topic        string
			score, total int
		}{{a, "stock", 3, 4}, {a, "stock", 1, 4}, {c, "stock", 0, 4}, {b, "recording", 2, 2}} {
			id, err := db.StartAttempt(ctx, q.worker, "practice", q.topic, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.FinishAttempt(ctx, id, q.score, q.total); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.StartAttempt(ctx, b, "practice", "stock", 2); err != nil { // begun, not finished
			t.Fatal(err)
		}
		type view = struct {
			Lessons int
			Quiz    []store.TopicScore
		}
		check("learnt", learningView{
			"admin": view{4, []store.TopicScore{{Topic: "recording", Attempts: 1, Score: 2, Total: 2},
				{Topic: "stock", Attempts: 3, Score: 4, Total: 12}}},
			"Kibra": view{3, []store.TopicScore{{Topic: "recording", Attempts: 1, Score: 2, Total: 2},
				{Topic: "stock", Attempts: 2, Score: 4, Total: 8}}},
			"Embakasi": view{1, []store.TopicScore{{Topic: "stock", Attempts: 1, Score: 0, Total: 4}}},
		})
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.ExecContext(ctx, db.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		// A quiz stored finished in one insert (as store/cmd/gen's national-size
		// data is), then its score corrected, and an assessment finished: the
		// row triggers' every branch (migration 0060 on PostgreSQL).
		now := db.Now().UTC()
		exec(`INSERT INTO quiz_attempts (worker_id, form, topic, seed, started_at, finished_at, score, total) VALUES (?, 'practice', 'stock', 3, ?, ?, 2, 4)`, c, now, now)
		check("a quiz stored finished", nil)
		exec(`UPDATE quiz_attempts SET score = 4 WHERE worker_id = ? AND seed = 3`, c)
		check("its score corrected", nil)
		assessment, err := db.StartAttempt(ctx, c, store.FormBaseline, "", 4)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.FinishAttempt(ctx, assessment, 9, 10); err != nil {
			t.Fatal(err)
		}
		check("an assessment finished", nil)
		exec(`UPDATE workers SET facility_id = (SELECT facility_id FROM workers WHERE id = ?) WHERE id = ?`, c, a)
		check("Achieng moved to Embakasi", nil)
		exec(`UPDATE workers SET facility_id = NULL WHERE id = ?`, b)
		check("Baraka without a facility", nil)
		exec(`UPDATE facilities SET sub_county = 'Westlands' WHERE code = 'F-Embakasi'`)
		check("Embakasi's facility placed in Westlands", learningView{
			"admin":    view{4, []store.TopicScore{{Topic: "recording", Attempts: 1, Score: 2, Total: 2}, {Topic: "stock", Attempts: 4, Score: 8, Total: 16}}},
			"Kibra":    view{},
			"Embakasi": view{},
		})
	})
}
