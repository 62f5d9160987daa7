package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestScheduleDailyRulesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mentor, mentee := pair(t, db)
		pending, err := db.Register(ctx, store.Registration{Phone: "+254711000009", Name: "P", FacilityCode: "10001", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(db.Rebind(`UPDATE workers SET last_dial_at = ? WHERE id = ?`), march(1, 23, 0).UTC(), mentee); err != nil {
			t.Fatal(err)
		}
		due := march(4, 10, 0)
		steps := []struct {
			name string
			do   func() (int, error)
			want int
		}{
			{"weekly for the active", func() (int, error) { return db.ScheduleForActive(ctx, store.RuleWeekly, "2025-03-04", due) }, 2},
			{"weekly again", func() (int, error) { return db.ScheduleForActive(ctx, store.RuleWeekly, "2025-03-04", due) }, 0},
			{"inactive since 03-01", func() (int, error) {
				return db.ScheduleInactive(ctx, "2025-03-15", due, march(1, 0, 0), march(2, 0, 0))
			}, 1},
			{"inactive again", func() (int, error) {
				return db.ScheduleInactive(ctx, "2025-03-15", due, march(1, 0, 0), march(2, 0, 0))
			}, 0},
		}
		for _, s := range steps {
			if got, err := s.do(); err != nil || got != s.want {
				t.Errorf("%s = %d, %v, want %d", s.name, got, err, s.want)
			}
		}
		for id, want := range map[int64]int{mentor: 1, mentee: 2, pending.ID: 0} {
			if rs, err := db.Reminders(ctx, id); err != nil || len(rs) != want {
				t.Errorf("Reminders(%d) = %d, %v, want %d", id, len(rs), err, want)
			}
		}
	})
}

func TestSendReminderOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, mentee := pair(t, db)
		if _, err := db.ScheduleForActive(ctx, store.RuleWeekly, "a", march(3, 12, 0)); err != nil {
			t.Fatal(err)
		}
		rs, err := db.ClaimReminders(ctx, store.RowClaim{Owner: "t", Limit: 10, Lease: time.Minute}, db.Now())
		if err != nil || len(rs) != 2 {
			t.Fatalf("ClaimReminders = %d, %v, want 2", len(rs), err)
		}
		caps := store.Caps{TZ: visitZone, PerDay: 1, PerWeek: 3}
		var id int64
		for _, r := range rs {
			if r.WorkerID == mentee {
				id = r.ID
			}
		}
		msg := store.Outgoing{Phone: "+254711000002", Body: "hello"}
		if status, reason, err := db.SendReminder(ctx, caps, id, msg); status != store.ReminderSent || reason != "" || err != nil {
			t.Errorf("SendReminder = %q, %q, %v, want sent", status, reason, err)
		}
		if _, _, err := db.SendReminder(ctx, caps, id, msg); !errors.Is(err, store.ErrReminderGone) {
			t.Errorf("SendReminder again = %v, want ErrReminderGone", err)
		}
		if err := db.DropReminder(ctx, id, store.DropLate); !errors.Is(err, store.ErrReminderGone) {
			t.Errorf("DropReminder after sending = %v, want ErrReminderGone", err)
		}
		var kinds []string
		err = db.Select(&kinds, db.Rebind(`SELECT kind FROM outbox WHERE dedupe_key = ? AND worker_id = ?`), fmt.Sprint("reminder:", id), mentee)
		if err != nil || len(kinds) != 1 || kinds[0] != string(store.KindNudge) {
			t.Errorf("outbox rows = %v, %v, want one nudge", kinds, err)
		}
		if due, err := db.ClaimReminders(ctx, store.RowClaim{Owner: "t", Limit: 10, Lease: time.Minute}, db.Now().Add(time.Hour)); err != nil || len(due) != 1 {
			t.Errorf("ClaimReminders after = %d, %v, want the mentor's only", len(due), err)
		}
	})
}
