package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// nurse registers an active nurse with the number p and returns her id.
func nurse(t *testing.T, db *store.DB, p string) int64 {
	t.Helper()
	w, err := db.Register(context.Background(), store.Registration{Phone: p, Name: "Nurse", FacilityCode: "10001", Language: "en", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return w.ID
}

func TestSaveLessonPages(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 3, 2, 9, m, 0, 0, time.UTC) }
	cases := []struct {
		name    string
		batches [][]store.PageMark // lesson "l1" and "l2" of the nurse; WorkerID is filled in
		want    map[string]store.LessonState
	}{
		{"first page", [][]store.PageMark{{{Lesson: "l1", Page: 1, At: at(1)}}},
			map[string]store.LessonState{"l1": {Page: 1, Seen: at(1)}}},
		{"later batch moves the page", [][]store.PageMark{{{Lesson: "l1", Page: 1, At: at(1)}}, {{Lesson: "l1", Page: 3, At: at(2)}}},
			map[string]store.LessonState{"l1": {Page: 3, Seen: at(2)}}},
		{"last mark of a batch wins, done sticks", [][]store.PageMark{{{Lesson: "l1", Page: 4, Done: true, At: at(1)}, {Lesson: "l1", Page: 0, At: at(2)}}},
			map[string]store.LessonState{"l1": {Page: 0, Done: true, Seen: at(2)}}},
		{"a done lesson stays done when read again", [][]store.PageMark{{{Lesson: "l1", Page: 4, Done: true, At: at(1)}}, {{Lesson: "l1", Page: 1, At: at(3)}}},
			map[string]store.LessonState{"l1": {Page: 1, Done: true, Seen: at(3)}}},
		{"two lessons in one batch", [][]store.PageMark{{{Lesson: "l1", Page: 2, At: at(1)}, {Lesson: "l2", Page: 1, At: at(2)}}},
			map[string]store.LessonState{"l1": {Page: 2, Seen: at(1)}, "l2": {Page: 1, Seen: at(2)}}},
		{"empty batch", [][]store.PageMark{{}}, map[string]store.LessonState{}},
		{"an older mark written late moves nothing back, done counts", [][]store.PageMark{{{Lesson: "l1", Page: 3, At: at(5)}}, {{Lesson: "l1", Page: 1, Done: true, At: at(2)}}},
			map[string]store.LessonState{"l1": {Page: 3, Done: true, Seen: at(5)}}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				id := nurse(t, db, fmt.Sprintf("+2547110001%02d", i))
				for _, batch := range c.batches {
					for j := range batch {
						batch[j].WorkerID = id
					}
					if err := db.SaveLessonPages(ctx, batch); err != nil {
						t.Fatalf("SaveLessonPages(%v) = %v", batch, err)
					}
				}
				got, err := db.LessonProgress(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("LessonProgress after %v (-want +got):\n%s", c.batches, diff)
				}
			})
		}
	})
}

func TestSaveLessonPagesManyNurses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := nurse(t, db, "+254711000201"), nurse(t, db, "+254711000202")
		var marks []store.PageMark
		for i := range 450 { // more than one INSERT's worth
			marks = append(marks, store.PageMark{WorkerID: []int64{a, b}[i%2], Lesson: fmt.Sprintf("l%d", i/2), Page: 2})
		}
		if err := db.SaveLessonPages(ctx, marks); err != nil {
			t.Fatalf("SaveLessonPages(450 marks) = %v", err)
		}
		pa, err := db.LessonProgress(ctx, a)
		if err != nil || len(pa) != 225 {
			t.Errorf("LessonProgress(a) = %d lessons, %v, want 225", len(pa), err)
		}
	})
}

type outboxRow struct {
	Key   string `db:"dedupe_key"`
	Phone string `db:"phone"`
	Body  string `db:"body"`
	Kind  string `db:"kind"`
}

func TestCompleteTopicQueuesOneSMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000301")
		var issued []store.Certificate
		for i, want := range []bool{true, false} {
			code, err := store.NewCertificateCode()
			if err != nil {
				t.Fatal(err)
			}
			at := db.Now().UTC().Truncate(time.Microsecond)
			fresh, err := db.CompleteTopic(ctx, store.TopicCompletion{WorkerID: id, Topic: "stock", Code: code, At: at,
				SMS: "Congratulations, Nurse! Code " + code})
			if err != nil || fresh != want {
				t.Errorf("CompleteTopic(stock) call %d = %v, %v, want %v", i+1, fresh, err, want)
			}
			if fresh {
				issued = append(issued, store.Certificate{Code: code, Name: "Nurse", Topic: "stock", Issued: at})
			}
		}
		if len(issued) != 1 || len(issued[0].Code) != 8 {
			t.Fatalf("certificates issued = %+v, want one of 8 characters", issued)
		}
		var rows []outboxRow
		if err := db.SelectContext(ctx, &rows, `SELECT dedupe_key, phone, body, kind FROM outbox`); err != nil {
			t.Fatal(err)
		}
		want := []outboxRow{{fmt.Sprintf("topic-complete:%d:stock", id), "+254711000301", "Congratulations, Nurse! Code " + issued[0].Code, "nudge"}}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("outbox after two CompleteTopic (-want +got):\n%s", diff)
		}
		lower := strings.ToLower(issued[0].Code[:4]) + " " + issued[0].Code[4:]
		got, err := db.CertificateByCode(ctx, lower)
		if err != nil || got.Code != issued[0].Code || got.Name != "Nurse" || got.Topic != "stock" || !got.Issued.Equal(issued[0].Issued) {
			t.Errorf("CertificateByCode(%q) = %+v, %v, want %+v", lower, got, err, issued[0])
		}
		if _, err := db.CertificateByCode(ctx, "ZZZZZZZZ"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CertificateByCode(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestCompleteTopicUnknownWorkerQueuesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.CompleteTopic(ctx, store.TopicCompletion{WorkerID: 999, Topic: "stock", Code: "ABCDEFGH", At: db.Now(), SMS: "Congratulations!"}); err == nil {
			t.Errorf("CompleteTopic(unknown worker) = nil, want an error")
		}
		var n int
		if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM outbox`); err != nil || n != 0 {
			t.Errorf("outbox rows = %d, %v, want 0", n, err)
		}
	})
}

func TestProgressSummary(t *testing.T) {
	now := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return now }
		id, mentor := nurse(t, db, "+254711000901"), nurse(t, db, "+254711000902")
		empty, err := db.ProgressSummary(ctx, id)
		if err != nil || len(empty.Lessons) != 0 || empty.NextVisit.Valid || len(empty.Completed) != 0 {
			t.Fatalf("ProgressSummary(new nurse) = %+v, %v, want nothing", empty, err)
		}
		for _, at := range []time.Time{now.AddDate(0, 0, -3), now.AddDate(0, 0, 9), now.AddDate(0, 0, 2)} {
			_, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO visits (mentor_id, mentee_id, scheduled_at, created_at, updated_at)
VALUES (?, ?, ?, ?, ?)`), mentor, id, at, now, now)
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveLessonPages(ctx, []store.PageMark{{WorkerID: id, Lesson: "l1", Page: 4, Done: true}}); err != nil {
			t.Fatal(err)
		}
		att, err := db.StartAttempt(ctx, id, store.FormPractice, "stock", 1)
		if err == nil {
			err = db.FinishAttempt(ctx, att, 4, 5)
		}
		if err == nil {
			_, err = db.CompleteTopic(ctx, store.TopicCompletion{WorkerID: id, Topic: "stock", Code: "WELLD0NE", At: db.Now(), SMS: "Well done"})
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ProgressSummary(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := store.Summary{
			Lessons: map[string]store.LessonState{"l1": {Page: 4, Done: true, Seen: now}},
			Quiz: store.QuizResults{Practice: map[string]store.TopicQuiz{"stock": {Attempts: 1, Best: store.Score{Right: 4, Total: 5},
				All: store.Score{Right: 4, Total: 5}}}, Assessments: map[string]store.Score{}},
			Completed: []string{"stock"},
			NextVisit: sql.NullTime{Time: now.AddDate(0, 0, 2), Valid: true},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ProgressSummary (-want +got):\n%s", diff)
		}
		if m, err := db.ProgressSummary(ctx, mentor); err != nil || !m.NextVisit.Time.Equal(now.AddDate(0, 0, 2)) {
			t.Errorf("ProgressSummary(mentor).NextVisit = %v, %v, want %v", m.NextVisit, err, now.AddDate(0, 0, 2))
		}
	})
}

// BenchmarkSaveLessonPages measures one write-behind flush: 100 nurses who
// each turned a page within the last second.
func BenchmarkSaveLessonPages(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := context.Background()
	marks := make([]store.PageMark, 100)
	for i := range marks {
		w, err := db.Register(ctx, store.Registration{Phone: fmt.Sprintf("+2547120%05d", i), Name: "N", FacilityCode: "1", Language: "en", Active: true})
		if err != nil {
			b.Fatal(err)
		}
		marks[i] = store.PageMark{WorkerID: w.ID, Lesson: "stock-1"}
	}
	b.ResetTimer()
	for n := range b.N {
		for i := range marks {
			marks[i].Page = n % 5
		}
		if err := db.SaveLessonPages(ctx, marks); err != nil {
			b.Fatal(err)
		}
	}
}
