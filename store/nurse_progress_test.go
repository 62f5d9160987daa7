package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// assess stores a finished assessment of form with right of answered
// questions correct.
func assess(t *testing.T, db *store.DB, worker int64, form string, right, answered int) {
	t.Helper()
	ctx := context.Background()
	id, err := db.StartAttempt(ctx, worker, form, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range answered {
		if err := db.RecordAnswer(ctx, id, fmt.Sprint("q", i), "stock", 0, i < right); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.FinishAttempt(ctx, id, right, answered); err != nil {
		t.Fatal(err)
	}
}

// TestNurseProgresses is issue 16's per-nurse report: those behind first,
// scoped, and narrowed by facility, group and period.
func TestNurseProgresses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		march := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)
		clock(db, march)
		a := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		b := seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusActive)
		c := seedWorker(t, db, "Chebet", "+254711000003", "Embakasi", store.StatusActive)
		if _, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET last_dial_at = ? WHERE id IN (?, ?)`), march, a, c); err != nil {
			t.Fatal(err)
		}
		marks := []store.PageMark{{WorkerID: a, Lesson: "l1", Done: true, At: march.AddDate(0, -1, 0)},
			{WorkerID: a, Lesson: "l2", Done: true, At: march}, {WorkerID: c, Lesson: "l1", Done: true, At: march}}
		if err := db.SaveLessonPages(ctx, marks); err != nil {
			t.Fatal(err)
		}
		q, err := db.StartAttempt(ctx, a, "practice", "stock", 1)
		if err == nil {
			err = db.FinishAttempt(ctx, q, 3, 4)
		}
		if err != nil {
			t.Fatal(err)
		}
		assess(t, db, a, store.FormBaseline, 1, 2)
		assess(t, db, a, store.FormEndline, 2, 2)
		g, err := db.CreateGroup(ctx, store.Scope{Admin: true}, 0, "Kibra mentees", a)
		if err != nil {
			t.Fatal(err)
		}
		line := func(n store.NurseProgress) string {
			quiz, _ := n.QuizPct()
			change, _ := n.Change()
			return fmt.Sprintf("%s lessons=%d dialled=%v quiz=%.0f change=%+.0f", n.Name, n.Lessons, n.LastDialAt.Valid, quiz, change)
		}
		kibra := store.Scope{SubCounties: []string{"Kibra"}}
		tests := []struct {
			name string
			fl   store.ReportFilter
			want []string
		}{
			{"Kibra, behind first", store.ReportFilter{}, []string{"Baraka lessons=0 dialled=false quiz=0 change=+0",
				"Achieng lessons=2 dialled=true quiz=75 change=+50"}},
			{"group", store.ReportFilter{Group: g.ID}, []string{"Achieng lessons=2 dialled=true quiz=75 change=+50"}},
			{"another facility", store.ReportFilter{Facility: "F-Embakasi"}, nil},
			{"this month", store.ReportFilter{From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, []string{
				"Baraka lessons=0 dialled=false quiz=0 change=+0", "Achieng lessons=1 dialled=true quiz=75 change=+50"}},
			{"last month", store.ReportFilter{To: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, []string{
				"Baraka lessons=0 dialled=false quiz=0 change=+0", "Achieng lessons=1 dialled=true quiz=0 change=+50"}},
		}
		for _, tt := range tests {
			rows, err := db.NurseProgresses(ctx, kibra, tt.fl, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, line(r))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("NurseProgresses(%s) = %q, want %q", tt.name, got, tt.want)
			}
		}
		_ = b
	})
}
