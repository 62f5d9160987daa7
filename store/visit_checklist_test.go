package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestVisitNotesReachTheNurse saves a visit's notes and reads the SMS queued
// to the nurse: once for the same notes, again when they change, never for a
// visit not done.
func TestVisitNotesReachTheNurse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mentor, mentee := pair(t, db)
		v, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(3, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		body := func(notes string) i18n.Text {
			return i18n.Text{"en": "en: " + notes, "sw": "sw: " + notes}
		}
		if err := db.SaveVisitNotes(ctx, v.ID, "Fill MOH 710 weekly", body("x")); !errors.Is(err, store.ErrVisitClosed) {
			t.Errorf("SaveVisitNotes(scheduled) = %v, want ErrVisitClosed", err)
		}
		if _, err := mentors(db).MarkVisitDone(ctx, v.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		for _, notes := range []string{"Fill MOH 710 weekly", "Fill MOH 710 weekly", "Fill MOH 710 every Friday"} {
			if err := db.SaveVisitNotes(ctx, v.ID, notes, body(notes)); err != nil {
				t.Fatalf("SaveVisitNotes(%q): %v", notes, err)
			}
		}
		if err := db.SaveVisitNotes(ctx, v.ID, strings.Repeat("a", store.MaxVisitNotes+1), body("long")); !errors.Is(err, store.ErrInvalidVisit) {
			t.Errorf("SaveVisitNotes(161 characters) = %v, want ErrInvalidVisit", err)
		}
		var got []string
		if err := db.SelectContext(ctx, &got, `SELECT body FROM outbox WHERE kind = 'reply' ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		want := []string{"en: Fill MOH 710 weekly", "en: Fill MOH 710 every Friday"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SMS to the nurse (-want +got):\n%s", diff)
		}
		if notes, err := db.VisitNotes(ctx, v.ID); err != nil || notes != "Fill MOH 710 every Friday" {
			t.Errorf("VisitNotes = %q, %v, want the last notes", notes, err)
		}
	})
}

// TestRecentDoneVisits reads the visits a mentor logged as done with how far
// their checklists got, so the menu can offer the unfinished ones again.
func TestRecentDoneVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mentor, mentee := pair(t, db)
		v, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(3, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mentors(db).MarkVisitDone(ctx, v.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveChecklist(ctx, v.ID, map[string]string{"a": store.AnswerDone, "b": store.AnswerPartly}); err != nil {
			t.Fatal(err)
		}
		got, err := db.RecentDoneVisits(ctx, mentor, march(1, 0, 0))
		if err != nil || len(got) != 1 || got[0].ID != v.ID || got[0].Answered != 2 || got[0].HasNotes {
			t.Fatalf("RecentDoneVisits = %+v, %v, want the visit with 2 answers and no notes", got, err)
		}
		if got, err := db.RecentDoneVisits(ctx, mentor, march(4, 0, 0)); err != nil || len(got) != 0 {
			t.Errorf("RecentDoneVisits(since tomorrow) = %+v, %v, want none", got, err)
		}
	})
}
