package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

var visitZone = mustLoad("Africa/Nairobi")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// mentors returns the mentoring service of the shipped pack (visit reminders
// at 08:00 two days before and 10:00 the day after) in visitZone, through
// which visits and questions change: the store's own tests see the rows it
// writes for the callers it has.
func mentors(db *store.DB) *mentoring.Service {
	pack, err := lessons.Default()
	if err != nil {
		panic(err)
	}
	return mentoring.New(db, pack, mentoring.Config{TZ: visitZone, USSDCode: "*384*123#"})
}

// march returns 2025-03-d at hh:mm Nairobi time; 2025-03-03 is a Monday.
func march(d, hh, mm int) time.Time { return time.Date(2025, 3, d, hh, mm, 0, 0, visitZone) }

// pair returns a mentor and a mentee, with the store's clock at Monday
// 2025-03-03 12:00 Nairobi.
func pair(t *testing.T, db *store.DB) (mentor, mentee int64) {
	t.Helper()
	db.Now = func() time.Time { return march(3, 12, 0).UTC() }
	return nurse(t, db, "+254711000001"), nurse(t, db, "+254711000002")
}

// scheduled lists the scheduled reminders of the pair as "who rule local-time".
func scheduled(t *testing.T, db *store.DB, mentor, mentee int64) []string {
	t.Helper()
	var out []string
	for who, id := range map[string]int64{"mentee": mentee, "mentor": mentor} {
		rs, err := db.Reminders(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Status == store.ReminderScheduled {
				out = append(out, fmt.Sprintf("%s %s %s", who, r.Rule, r.DueAt.In(visitZone).Format("Mon 01-02 15:04")))
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestVisitReminders(t *testing.T) {
	type step func(ctx context.Context, db *store.DB, v store.Visit) error
	reschedule := func(at time.Time) step {
		return func(ctx context.Context, db *store.DB, v store.Visit) error {
			_, err := mentors(db).RescheduleVisit(ctx, v.ID, at)
			return err
		}
	}
	cancel := func(ctx context.Context, db *store.DB, v store.Visit) error {
		return mentors(db).CancelVisit(ctx, v.ID)
	}
	done := func(ctx context.Context, db *store.DB, v store.Visit) error {
		_, err := mentors(db).MarkVisitDone(ctx, v.ID, time.Time{})
		return err
	}
	later := func(now time.Time) step {
		return func(_ context.Context, db *store.DB, _ store.Visit) error {
			db.Now = func() time.Time { return now.UTC() }
			return nil
		}
	}
	cases := []struct {
		name  string
		at    time.Time
		steps []step
		want  []string
	}{
		{"two days before at 08:00, mentor and mentee", march(7, 14, 0), nil,
			[]string{"mentee visit-before Wed 03-05 08:00", "mentor visit-before Wed 03-05 08:00"}},
		{"moving the visit moves them", march(7, 14, 0), []step{reschedule(march(10, 9, 0))},
			[]string{"mentee visit-before Sat 03-08 08:00", "mentor visit-before Sat 03-08 08:00"}},
		{"moving it back moves them back", march(7, 14, 0), []step{reschedule(march(10, 9, 0)), reschedule(march(7, 9, 0))},
			[]string{"mentee visit-before Wed 03-05 08:00", "mentor visit-before Wed 03-05 08:00"}},
		{"cancelling removes them", march(7, 14, 0), []step{cancel}, nil},
		{"a visit tomorrow: 08:00 on its day", march(4, 9, 0), nil,
			[]string{"mentee visit-before Tue 03-04 08:00", "mentor visit-before Tue 03-04 08:00"}},
		{"two days ahead, after 08:00: the day before", march(5, 9, 0), nil,
			[]string{"mentee visit-before Tue 03-04 08:00", "mentor visit-before Tue 03-04 08:00"}},
		{"never in the past: a visit today", march(3, 15, 0), nil, nil},
		{"never after the visit: tomorrow before 08:00", march(4, 7, 30), nil, nil},
		{"done: review at 10:00 the day after, to the mentee", march(3, 15, 0), []step{done},
			[]string{"mentee visit-review Tue 03-04 10:00"}},
		{"logged two days late: no review about another day", march(3, 15, 0), []step{later(march(5, 12, 0)), done}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				mentor, mentee := pair(t, db)
				v, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, c.at)
				if err != nil {
					t.Fatalf("ScheduleVisit: %v", err)
				}
				for i, s := range c.steps {
					if err := s(ctx, db, v); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				}
				if diff := cmp.Diff(c.want, scheduled(t, db, mentor, mentee)); diff != "" {
					t.Errorf("scheduled reminders (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestVisitErrorsChangeNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mentor, mentee := pair(t, db)
		open, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(7, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		closed, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(8, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		if err := mentors(db).CancelVisit(ctx, closed.ID); err != nil {
			t.Fatal(err)
		}
		before := scheduled(t, db, mentor, mentee)
		cases := []struct {
			name string
			do   func() error
			want error
		}{
			{"visit to herself", func() error { _, err := mentors(db).ScheduleVisit(ctx, mentor, mentor, march(7, 9, 0)); return err }, store.ErrInvalidVisit},
			{"a day past", func() error { _, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(2, 9, 0)); return err }, store.ErrInvalidVisit},
			{"unknown mentee", func() error { _, err := mentors(db).ScheduleVisit(ctx, mentor, 999, march(7, 9, 0)); return err }, store.ErrNotFound},
			{"move a cancelled visit", func() error { _, err := mentors(db).RescheduleVisit(ctx, closed.ID, march(9, 9, 0)); return err }, store.ErrVisitClosed},
			{"move an unknown visit", func() error { _, err := mentors(db).RescheduleVisit(ctx, 999, march(9, 9, 0)); return err }, store.ErrNotFound},
			{"done a cancelled visit", func() error { _, err := mentors(db).MarkVisitDone(ctx, closed.ID, time.Time{}); return err }, store.ErrVisitClosed},
			{"done in the future", func() error { _, err := mentors(db).MarkVisitDone(ctx, open.ID, march(4, 9, 0)); return err }, store.ErrInvalidVisit},
			{"done days ahead of the visit", func() error { _, err := mentors(db).MarkVisitDone(ctx, open.ID, time.Time{}); return err }, store.ErrVisitAhead},
			{"cancel again", func() error { return mentors(db).CancelVisit(ctx, closed.ID) }, nil},
			{"bad answer", func() error { return db.SaveChecklist(ctx, open.ID, map[string]string{"a": "done", "b": "maybe"}) }, store.ErrInvalidVisit},
			{"answers for a cancelled visit", func() error { return db.SaveChecklist(ctx, closed.ID, map[string]string{"a": "done"}) }, store.ErrVisitClosed},
		}
		for _, c := range cases {
			if err := c.do(); !errors.Is(err, c.want) {
				t.Errorf("%s = %v, want %v", c.name, err, c.want)
			}
		}
		if diff := cmp.Diff(before, scheduled(t, db, mentor, mentee)); diff != "" {
			t.Errorf("reminders changed (-before +after):\n%s", diff)
		}
		if got, err := db.Checklist(ctx, open.ID); err != nil || len(got) != 0 {
			t.Errorf("Checklist(open) = %v, %v, want no answers", got, err)
		}
	})
}

func TestMentorVisitsAndNextVisit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mentor, mentee := pair(t, db)
		other := nurse(t, db, "+254711000003")
		for _, at := range []time.Time{march(10, 9, 0), march(3, 15, 0), march(3, 12, 0)} {
			if _, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, at); err != nil {
				t.Fatal(err)
			}
		}
		gone, err := mentors(db).ScheduleVisit(ctx, mentor, other, march(5, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		if err := mentors(db).CancelVisit(ctx, gone.ID); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return march(3, 13, 0).UTC() }
		today, upcoming, err := db.MentorVisits(ctx, visitZone, mentor)
		if err != nil {
			t.Fatal(err)
		}
		local := func(vs []store.Visit) []string {
			var out []string
			for _, v := range vs {
				out = append(out, v.At.In(visitZone).Format("01-02 15:04")+" "+v.MenteeName+" "+v.Status)
			}
			return out
		}
		want := []string{"03-03 12:00 Nurse scheduled", "03-03 15:00 Nurse scheduled"}
		if diff := cmp.Diff(want, local(today)); diff != "" {
			t.Errorf("MentorVisits today (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"03-10 09:00 Nurse scheduled"}, local(upcoming)); diff != "" {
			t.Errorf("MentorVisits upcoming (-want +got):\n%s", diff)
		}
		next, err := db.NextVisit(ctx, mentee)
		if err != nil || !next.At.Equal(march(3, 15, 0)) {
			t.Errorf("NextVisit = %v, %v, want %v", next.At, err, march(3, 15, 0))
		}
		if _, err := db.NextVisit(ctx, other); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("NextVisit(cancelled only) = %v, want ErrNotFound", err)
		}
	})
}

func TestChecklistAndWeakestTopic(t *testing.T) {
	topicOf := map[string]string{"r1": "recording", "r2": "recording", "s1": "stock", "s2": "stock", "i1": "ipc"}
	cases := []struct {
		name    string
		answers []map[string]string // saved in turn on the last visit
		want    string
	}{
		{"no answers", nil, ""},
		{"lowest score", []map[string]string{{"r1": "done", "r2": "partly", "s1": "not_done", "s2": "done", "i1": "done"}}, "stock"},
		{"answered again takes the new answer", []map[string]string{{"r1": "not_done", "s1": "partly"}, {"r1": "done"}}, "stock"},
		{"tie goes alphabetically", []map[string]string{{"r1": "partly", "s1": "partly"}}, "recording"},
		{"unknown items are ignored", []map[string]string{{"x": "not_done", "i1": "partly"}}, "ipc"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				mentor, mentee := pair(t, db)
				earlier, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(3, 8, 0))
				if err != nil {
					t.Fatal(err)
				}
				if err := db.SaveChecklist(ctx, earlier.ID, map[string]string{"i1": "not_done"}); err != nil {
					t.Fatal(err)
				}
				if _, err := mentors(db).MarkVisitDone(ctx, earlier.ID, march(3, 9, 0)); err != nil {
					t.Fatal(err)
				}
				last, err := mentors(db).ScheduleVisit(ctx, mentor, mentee, march(3, 10, 0))
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range c.answers {
					if err := db.SaveChecklist(ctx, last.ID, a); err != nil {
						t.Fatalf("SaveChecklist: %v", err)
					}
				}
				if _, err := mentors(db).MarkVisitDone(ctx, last.ID, march(3, 11, 0)); err != nil {
					t.Fatal(err)
				}
				got, err := db.WeakestChecklistTopic(ctx, mentee, topicOf)
				if err != nil || got != c.want {
					t.Errorf("WeakestChecklistTopic = %q, %v, want %q", got, err, c.want)
				}
				want := map[string]string{}
				for _, a := range c.answers {
					maps.Copy(want, a)
				}
				saved, err := db.Checklist(ctx, last.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, saved); diff != "" {
					t.Errorf("Checklist (-want +got):\n%s", diff)
				}
			})
		})
	}
}
