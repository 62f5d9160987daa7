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

func TestAssessmentWindows(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return day(10) }
		for _, w := range []store.Window{{"baseline", day(1), day(15)}, {"midline", day(12), day(20)}} {
			if err := db.OpenAssessment(ctx, w.Form, w.Opens, w.Closes); err != nil {
				t.Fatalf("OpenAssessment(%v) = %v", w, err)
			}
		}
		cases := []struct {
			at   time.Time
			want []string
		}{
			{day(1).Add(-time.Second), nil},
			{day(1), []string{"baseline"}},
			{day(12).Add(-time.Second), []string{"baseline"}},
			{day(12), []string{"midline"}}, // opening the midline closed the baseline
			{day(15), []string{"midline"}},
			{day(20), nil},
		}
		for _, c := range cases {
			ws, err := db.OpenAssessments(ctx, c.at)
			var got []string
			for _, w := range ws {
				got = append(got, w.Form)
			}
			if err != nil || !cmp.Equal(got, c.want) {
				t.Errorf("OpenAssessments(%v) = %v, %v, want %v", c.at, got, err, c.want)
			}
		}
		w, err := db.CloseAssessment(ctx, "baseline")
		if want := (store.Window{Form: "baseline", Opens: day(1), Closes: day(10)}); err != nil || w != want {
			t.Errorf("CloseAssessment(baseline) = %v, %v, want %v", w, err, want)
		}
		if ws, err := db.OpenAssessments(ctx, day(10)); err != nil || len(ws) != 0 {
			t.Errorf("OpenAssessments after close = %v, %v, want none", ws, err)
		}
		db.Now = func() time.Time { return day(11) }
		if w, err := db.CloseAssessment(ctx, "baseline"); err != nil || !w.Closes.Equal(day(10)) {
			t.Errorf("second CloseAssessment(baseline) = %v, %v, want closing time kept at %v", w, err, day(10))
		}
		// The menus read the windows at most every few seconds, but this
		// instance's own change at once: the endline opened now is open.
		if ws, err := db.OpenAssessments(ctx, day(11)); err != nil || len(ws) != 0 {
			t.Errorf("OpenAssessments(day 11) = %v, %v, want none", ws, err)
		}
		if err := db.OpenAssessment(ctx, "endline", day(11), day(25)); err != nil {
			t.Fatal(err)
		}
		if ws, err := db.OpenAssessments(ctx, day(11)); err != nil || len(ws) != 1 || ws[0].Form != "endline" {
			t.Errorf("OpenAssessments after opening the endline = %v, %v, want the endline", ws, err)
		}
	})
}

func TestAssessmentWindowErrors(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cases := []struct {
			form     string
			from, to time.Time
			want     error
		}{
			{"practice", day(1), day(2), store.ErrUnknownForm},
			{"final", day(1), day(2), store.ErrUnknownForm},
			{"endline", day(2), day(2), store.ErrBadWindow},
			{"endline", day(3), day(2), store.ErrBadWindow},
		}
		for _, c := range cases {
			if err := db.OpenAssessment(ctx, c.form, c.from, c.to); !errors.Is(err, c.want) {
				t.Errorf("OpenAssessment(%s, %v, %v) = %v, want %v", c.form, c.from, c.to, err, c.want)
			}
		}
		if _, err := db.CloseAssessment(ctx, "endline"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CloseAssessment(never opened) = %v, want ErrNotFound", err)
		}
		var n int
		if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM assessment_windows`); err != nil || n != 0 {
			t.Errorf("windows after bad input = %d, %v, want 0", n, err)
		}
	})
}

// TestAssessmentOrder checks that a later form waits for the one before
// it, unless a supervisor exempted the nurse from it.
func TestAssessmentOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000901")
		blocker := func(form string) string {
			t.Helper()
			b, err := db.AssessmentBlocker(ctx, id, form)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if b := blocker("baseline"); b != "" {
			t.Errorf("AssessmentBlocker(baseline) = %q, want none", b)
		}
		if b := blocker("midline"); b != "baseline" {
			t.Errorf("AssessmentBlocker(midline) before the baseline = %q, want baseline", b)
		}
		a, err := db.StartAttempt(ctx, id, "baseline", "", 1)
		if err != nil {
			t.Fatal(err)
		}
		if b := blocker("midline"); b != "baseline" {
			t.Errorf("AssessmentBlocker(midline) with the baseline unfinished = %q, want baseline", b)
		}
		if err := db.FinishAttempt(ctx, a, 3, 12); err != nil {
			t.Fatal(err)
		}
		if b := blocker("midline"); b != "" {
			t.Errorf("AssessmentBlocker(midline) after the baseline = %q, want none", b)
		}
		if b := blocker("endline"); b != "midline" {
			t.Errorf("AssessmentBlocker(endline) without the midline = %q, want midline", b)
		}
		if err := db.ExemptAssessment(ctx, "+254711000901", "endline", "amina", "on leave at midline"); err != nil {
			t.Fatal(err)
		}
		if b := blocker("endline"); b != "" {
			t.Errorf("AssessmentBlocker(endline) with an exemption = %q, want none", b)
		}
		if err := db.ExemptAssessment(ctx, "+254799999999", "endline", "amina", ""); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ExemptAssessment(unknown phone) = %v, want ErrNotFound", err)
		}
		if err := db.ExemptAssessment(ctx, "+254711000901", "baseline", "amina", ""); !errors.Is(err, store.ErrNoPredecessor) {
			t.Errorf("ExemptAssessment(baseline) = %v, want ErrNoPredecessor", err)
		}
	})
}
