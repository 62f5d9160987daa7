package sms_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// mar returns 2025-03-d at hh:mm Nairobi time; 2025-03-03 is a Monday.
func mar(d, hh, mm int) time.Time { return time.Date(2025, 3, d, hh, mm, 0, 0, nairobi) }

// remWorld is a mentor (Grace, English) and her mentee (Amina, Kiswahili),
// both active and having dialled on Monday 2025-03-03 at 10:00, a scheduler
// of the shipped pack's rules, and the dispatcher rig on the same clock.
type remWorld struct {
	*rig
	pack           *lessons.Pack
	sched          *sms.Scheduler
	m              *mentoring.Service
	mentor, mentee store.Worker
}

func newRemWorld(t *testing.T, db *store.DB) *remWorld {
	t.Helper()
	pack, err := lessons.Load(lessons.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	w := &remWorld{rig: newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}}), pack: pack}
	w.sched = sms.NewScheduler(db, pack, sms.SchedulerConfig{TZ: nairobi, USSDCode: "*384*123#"})
	w.m = mentoring.New(db, pack, mentoring.Config{TZ: nairobi, USSDCode: "*384*123#"})
	w.mentor = w.worker(t, "+254711000001", "Grace", "en")
	w.mentee = w.worker(t, "+254711000002", "Amina", "sw")
	return w
}

func (w *remWorld) worker(t *testing.T, p, name, lang string) store.Worker {
	t.Helper()
	ctx := context.Background()
	wk, err := w.db.Register(ctx, store.Registration{Phone: p, Name: name, FacilityCode: "10001", Language: lang, Active: true})
	if err == nil {
		err = w.db.TouchDial(ctx, wk.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	return wk
}

func (w *remWorld) visit(t *testing.T, at time.Time) store.Visit {
	t.Helper()
	v, err := w.m.ScheduleVisit(context.Background(), w.mentor.ID, w.mentee.ID, at)
	if err != nil {
		t.Fatalf("ScheduleVisit: %v", err)
	}
	return v
}

// tick moves the clock to when and runs one tick.
func (w *remWorld) tick(t *testing.T, when time.Time) sms.TickResult {
	t.Helper()
	w.clock.Set(when)
	res, err := w.sched.Tick(context.Background(), when.UTC())
	if err != nil {
		t.Fatalf("Tick(%s): %v", when.Format("Mon 15:04"), err)
	}
	return res
}

// outbox returns the queued reminders as "who kind: body", in order.
func (w *remWorld) outbox(t *testing.T) []string {
	t.Helper()
	return w.queued(t, "reminder:")
}

// notices returns the queued visit notices as "who kind: body", in order.
func (w *remWorld) notices(t *testing.T) []string {
	t.Helper()
	return w.queued(t, "visit:")
}

// queued returns the queued SMS whose key starts with prefix as "who kind:
// body", in order; every key has a known prefix.
func (w *remWorld) queued(t *testing.T, prefix string) []string {
	t.Helper()
	var out []string
	for _, r := range storetest.Outbox(t, w.db) {
		if !strings.HasPrefix(r.DedupeKey, "reminder:") && !strings.HasPrefix(r.DedupeKey, "visit:") {
			t.Errorf("outbox key %q, want reminder:<id> or visit:<id>:<change>:...", r.DedupeKey)
		}
		if strings.HasPrefix(r.DedupeKey, prefix) {
			out = append(out, fmt.Sprintf("%s %s: %s", w.who(r.Phone), r.Kind, r.Body))
		}
	}
	return out
}

func (w *remWorld) who(p string) string {
	if p == w.mentor.Phone {
		return "mentor"
	}
	return "mentee"
}

// settled returns the worker's reminders as "rule status reason".
func (w *remWorld) settled(t *testing.T, id int64) []string {
	t.Helper()
	rs, err := w.db.Reminders(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, strings.TrimSpace(r.Rule+" "+r.Status+" "+r.Reason))
	}
	return out
}

func TestRuleIDsMatchThePack(t *testing.T) {
	got := []string{store.RuleVisitBefore, store.RuleVisitReview, store.RuleWeekly, store.RuleInactive}
	if diff := cmp.Diff(lessons.ReminderRules, got); diff != "" {
		t.Errorf("store rule ids (-pack +store):\n%s", diff)
	}
}

const (
	beforeEn = "mentor nudge: Chanjo: your mentorship visit to Amina is on 07/03/2025. Dial *384*123#, Mentor visit, to see the visit and its checklist."
	beforeSw = "mentee nudge: Chanjo: ziara yako ya ushauri ni tarehe 07/03/2025 na Grace. Piga *384*123# kurudia masomo yako kabla ya siku hiyo."
)

func TestVisitRemindersAtLocalTimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		ctx := context.Background()
		v := w.visit(t, mar(7, 14, 0))
		stock := w.pack.LessonsOf("stock")[0].Title.In("sw")
		review := "mentee nudge: Chanjo: asante kwa ziara ya jana. Rudia somo '" + stock + "': piga *384*123# uchague Masomo."
		steps := []struct {
			when time.Time
			do   func() // before the tick
			want []string
		}{
			{mar(5, 7, 59), nil, nil},
			{mar(5, 8, 0), nil, []string{beforeEn, beforeSw}},
			{mar(5, 8, 1), nil, []string{beforeEn, beforeSw}},
			{mar(7, 15, 0), func() {
				err := db.SaveChecklist(ctx, v.ID, map[string]string{"chk-ledger-count": "not_done", "chk-tally-register": "done"})
				if err == nil {
					_, err = w.m.MarkVisitDone(ctx, v.ID, time.Time{})
				}
				if err != nil {
					t.Fatal(err)
				}
			}, []string{beforeEn, beforeSw}},
			{mar(8, 9, 59), nil, []string{beforeEn, beforeSw}},
			{mar(8, 10, 0), nil, []string{beforeEn, beforeSw, review}},
		}
		for _, s := range steps {
			w.clock.Set(s.when)
			if s.do != nil {
				s.do()
			}
			w.tick(t, s.when)
			if diff := cmp.Diff(s.want, w.outbox(t)); diff != "" {
				t.Errorf("outbox after %s (-want +got):\n%s", s.when.Format("Mon 01-02 15:04"), diff)
			}
		}
	})
}

func TestVisitChangesMoveReminders(t *testing.T) {
	cases := []struct {
		name   string
		change func(ctx context.Context, w *remWorld, v store.Visit) error
		ticks  []time.Time
		want   []string
	}{
		{"moved: nothing at the old time, sent at the new", func(ctx context.Context, w *remWorld, v store.Visit) error {
			_, err := w.m.RescheduleVisit(ctx, v.ID, mar(10, 9, 0))
			return err
		}, []time.Time{mar(5, 8, 0), mar(8, 8, 0)}, []string{
			"mentor nudge: Chanjo: your mentorship visit to Amina is on 10/03/2025. Dial *384*123#, Mentor visit, to see the visit and its checklist.",
			"mentee nudge: Chanjo: ziara yako ya ushauri ni tarehe 10/03/2025 na Grace. Piga *384*123# kurudia masomo yako kabla ya siku hiyo.",
		}},
		{"cancelled: nothing", func(ctx context.Context, w *remWorld, v store.Visit) error {
			return w.m.CancelVisit(ctx, v.ID)
		}, []time.Time{mar(5, 8, 0), mar(7, 14, 0), mar(8, 10, 0)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				w := newRemWorld(t, db)
				v := w.visit(t, mar(7, 14, 0))
				if err := c.change(context.Background(), w, v); err != nil {
					t.Fatal(err)
				}
				for _, when := range c.ticks {
					w.tick(t, when)
				}
				if diff := cmp.Diff(c.want, w.outbox(t)); diff != "" {
					t.Errorf("outbox (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// visitReminders keeps the visit-before reminders of settled (Tuesday's
// weekly lesson is another matter).
func visitReminders(settled []string) []string {
	var out []string
	for _, r := range settled {
		if strings.HasPrefix(r, store.RuleVisitBefore) {
			out = append(out, r)
		}
	}
	return out
}

// A visit set for tomorrow, when two days before is past, is still
// reminded of: at the rule's time on its day, never in the past.
func TestVisitTomorrowIsReminded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		w.visit(t, mar(4, 9, 0)) // tomorrow 09:00: two days before was yesterday
		w.tick(t, mar(3, 10, 1))
		if got := w.outbox(t); len(got) != 0 {
			t.Errorf("outbox the day it was set = %v, want empty", got)
		}
		w.tick(t, mar(4, 8, 0))
		for _, who := range []store.Worker{w.mentor, w.mentee} {
			if diff := cmp.Diff([]string{"visit-before sent"}, visitReminders(w.settled(t, who.ID))); diff != "" {
				t.Errorf("%s's reminders (-want +got):\n%s", who.Name, diff)
			}
		}
	})
}

// A mentor with four visits tomorrow gets the reminder of each: the caps
// count one kind (a rule, and for visit rules the visit) at a time.
func TestMentorWithFourVisitsTomorrowGetsHerReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		mentees := []store.Worker{w.mentee}
		for i := 3; i <= 5; i++ {
			mentees = append(mentees, w.worker(t, fmt.Sprintf("+25471100000%d", i), fmt.Sprint("Mentee ", i), "en"))
		}
		for i, m := range mentees {
			if _, err := w.m.ScheduleVisit(context.Background(), w.mentor.ID, m.ID, mar(4, 9+2*i, 0)); err != nil {
				t.Fatal(err)
			}
		}
		w.tick(t, mar(4, 8, 0))
		want := []string{"visit-before sent", "visit-before sent", "visit-before sent", "visit-before sent"}
		if diff := cmp.Diff(want, visitReminders(w.settled(t, w.mentor.ID))); diff != "" {
			t.Errorf("the mentor's reminders (-want +got):\n%s", diff)
		}
	})
}

func TestCapsAndCollisions(t *testing.T) {
	type due struct {
		rule string
		at   time.Time
	}
	// No Tuesday: the scheduler adds the real weekly rule on Tuesdays.
	cases := []struct {
		name string
		dues []due // scheduled for both workers, each ticked at its time
		want []string
	}{
		{"one a day", []due{{"inactive", mar(3, 10, 0)}, {"weekly", mar(3, 10, 0)}},
			[]string{"inactive dropped collision", "weekly sent"}},
		{"one a day, the later one dropped not delayed", []due{{"weekly", mar(3, 10, 0)}, {"weekly", mar(3, 16, 0)}},
			[]string{"weekly sent", "weekly dropped cap-day"}},
		{"three in a rolling week", []due{{"weekly", mar(3, 10, 0)}, {"weekly", mar(5, 10, 0)}, {"weekly", mar(6, 10, 0)},
			{"weekly", mar(7, 10, 0)}, {"weekly", mar(9, 10, 0)}, {"weekly", mar(10, 10, 0)}},
			[]string{"weekly sent", "weekly sent", "weekly sent", "weekly dropped cap-week", "weekly dropped cap-week", "weekly sent"}},
		{"a visit reminder caps no lesson the same day", []due{{"visit-before", mar(5, 8, 0)}, {"weekly", mar(5, 10, 0)}},
			[]string{"visit-before sent", "weekly sent"}},
		{"the visit reminder wins even due later the same day", []due{{"weekly", mar(5, 7, 30)}, {"visit-before", mar(5, 8, 0)}},
			[]string{"weekly dropped collision", "visit-before sent"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				w := newRemWorld(t, db)
				ctx := context.Background()
				for i, d := range c.dues {
					if d.rule == "visit-before" {
						w.visit(t, d.at.AddDate(0, 0, 2))
						continue
					}
					if _, err := db.ScheduleForActive(ctx, d.rule, fmt.Sprint("test-", i), d.at); err != nil {
						t.Fatal(err)
					}
				}
				for _, d := range c.dues {
					w.tick(t, d.at)
				}
				for _, who := range []store.Worker{w.mentor, w.mentee} {
					if diff := cmp.Diff(c.want, w.settled(t, who.ID)); diff != "" {
						t.Errorf("%s's reminders (-want +got):\n%s", who.Name, diff)
					}
				}
			})
		})
	}
}

func TestNudgesWaitOutQuietHoursAndOptOut(t *testing.T) {
	cases := []struct {
		name     string
		optOut   bool
		tick     time.Time   // when the scheduler queues the reminders
		dispatch []time.Time // the dispatcher drains at each time
		want     []int       // messages the gateway had after each
	}{
		{"due at 08:00 goes at once", false, mar(5, 8, 0), []time.Time{mar(5, 8, 0)}, []int{2}},
		{"held at 21:00, sent at 07:00", false, mar(5, 21, 0), []time.Time{mar(5, 21, 0), mar(6, 6, 59), mar(6, 7, 0)}, []int{0, 0, 2}},
		{"opted out: suppressed", true, mar(5, 8, 0), []time.Time{mar(5, 8, 0)}, []int{1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				w := newRemWorld(t, db)
				if _, err := db.SetOptOut(context.Background(), w.mentee.Phone, c.optOut); err != nil {
					t.Fatal(err)
				}
				w.visit(t, mar(7, 14, 0))
				if res := w.tick(t, c.tick); res.Sent != 2 {
					t.Fatalf("Tick sent %d, want 2", res.Sent)
				}
				for i, when := range c.dispatch {
					w.clock.Set(when)
					w.drain(t)
					if got := w.fake.SentCount(); got != c.want[i] {
						t.Errorf("gateway after draining at %s has %d, want %d", when.Format("Mon 15:04"), got, c.want[i])
					}
				}
				toMentee := storetest.OutWhere(t, db, func(o storetest.Out) bool { return o.Phone == w.mentee.Phone })
				if len(toMentee) == 0 {
					t.Fatal("no nudge queued to the mentee")
				}
				status := toMentee[0].Status
				if c.optOut != (status == store.OutSuppressed) {
					t.Errorf("mentee's nudge status = %q with opt-out %v", status, c.optOut)
				}
			})
		})
	}
}

// sessions is a fake Sessions: the numbers in the set are in a session.
type sessions struct {
	mu sync.Mutex
	in map[string]bool
}

func (s *sessions) InSession(_ context.Context, p string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.in[p], nil
}

func (s *sessions) set(p string, in bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.in[p] = in
}

func TestNoNudgeDuringAUSSDSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		fake := &sessions{in: map[string]bool{}}
		w.sched.Sessions = fake
		w.visit(t, mar(7, 14, 0))
		fake.set(w.mentee.Phone, true)
		steps := []struct {
			when time.Time
			in   bool
			want sms.TickResult
		}{
			{mar(5, 8, 0), true, sms.TickResult{Claimed: 2, Sent: 1, Waiting: 1}},
			// The waiting reminder is held for its lease (1 minute), so a
			// scheduler does not spin on it while the session lasts.
			{mar(5, 8, 0).Add(30 * time.Second), true, sms.TickResult{}},
			{mar(5, 8, 2), true, sms.TickResult{Claimed: 1, Waiting: 1}},
			{mar(5, 8, 4), false, sms.TickResult{Claimed: 1, Sent: 1}},
		}
		for _, s := range steps {
			fake.set(w.mentee.Phone, s.in)
			if got := w.tick(t, s.when); got != s.want {
				t.Errorf("Tick(%s) = %+v, want %+v", s.when.Format("15:04"), got, s.want)
			}
		}
		if diff := cmp.Diff([]string{beforeEn, beforeSw}, w.outbox(t)); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}
	})
}

func TestDailyRulesPlanned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		// Amina last dialled 14 days before Monday 03-17; Grace dials on.
		storetest.LastDialled(t, db, w.mentee.ID, mar(3, 18, 0))
		storetest.LastDialled(t, db, w.mentor.ID, mar(16, 9, 0))
		first := w.pack.LessonsOf(w.pack.Topics[0].ID)[0].Title
		for _, when := range []time.Time{mar(17, 0, 5), mar(17, 10, 0), mar(18, 0, 5), mar(18, 10, 0)} {
			w.tick(t, when)
		}
		want := []string{
			"mentee nudge: Chanjo: tumekukosa! Somo lako lijalo ni '" + first.In("sw") + "'. Piga *384*123# uendelee ulipoishia.",
			"mentor nudge: Chanjo: your lesson this week is '" + first.In("en") + "'. Dial *384*123# and choose Lessons. It takes 5 minutes.",
			"mentee nudge: Chanjo: somo lako la wiki hii ni '" + first.In("sw") + "'. Piga *384*123# uchague Masomo. Ni dakika 5 tu.",
		}
		// Reminders due at one time go in no particular order.
		if diff := cmp.Diff(want, w.outbox(t), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("outbox (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"inactive sent", "weekly sent"}, w.settled(t, w.mentee.ID)); diff != "" {
			t.Errorf("mentee's reminders (-want +got):\n%s", diff)
		}
	})
}

func TestTwoSchedulersSendOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		w.visit(t, mar(7, 14, 0))
		other := sms.NewScheduler(db, w.pack, sms.SchedulerConfig{TZ: nairobi, USSDCode: "*384*123#"})
		w.clock.Set(mar(5, 8, 0))
		var wg sync.WaitGroup
		for _, s := range []*sms.Scheduler{w.sched, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Tick(context.Background(), mar(5, 8, 0)); err != nil {
					t.Errorf("Tick: %v", err)
				}
			}()
		}
		wg.Wait()
		if got := w.outbox(t); len(got) != 2 {
			t.Errorf("outbox = %q, want the two visit reminders once", got)
		}
	})
}
