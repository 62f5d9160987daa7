package sms_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// The relay's roster: Jane's mentor is Mary; Rose mentors the same group.
const (
	mary = "+254711100001"
	rose = "+254711100002"
	jane = "+254711100003"
)

// relayRig is a rig whose callback routes are served over HTTP, for the
// fake gateway to post incoming SMS to.
type relayRig struct {
	*rig
	inbound string // URL of /sms/inbound
}

func newRelayRig(t *testing.T, db *store.DB) *relayRig {
	t.Helper()
	r := newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
	row := func(name, p, role, lang, mentor string) store.RosterEntry {
		return store.RosterEntry{Line: 2, Name: name, Phone: p, Role: role, Language: lang, FacilityCode: "12345",
			FacilityName: "Kithimani Dispensary", SubCounty: "Yatta", County: "Machakos", MentorPhone: mentor, Groups: []string{"Yatta"}}
	}
	entries := []store.RosterEntry{row("Mary", mary, "mentor", "en", ""), row("Rose", rose, "mentor", "sw", ""), row("Jane Mutua", jane, "nurse", "en", mary)}
	if _, problems, err := db.ApplyRoster(context.Background(), entries, nil); err != nil || len(problems) > 0 {
		t.Fatalf("ApplyRoster = %v, %v", problems, err)
	}
	g := gin.New()
	sms.NewHandler(db, "*384*123#", nairobi, slog.New(slog.DiscardHandler), nil).Register(g)
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return &relayRig{rig: r, inbound: srv.URL + "/sms/inbound"}
}

// say posts an SMS from p through the fake gateway and sends what it caused.
func (r *relayRig) say(t *testing.T, p, text string) {
	t.Helper()
	if _, err := r.fake.PostIncoming(context.Background(), r.inbound, fakegateway.Incoming{From: p, Text: text}); err != nil {
		t.Fatalf("PostIncoming(%q): %v", text, err)
	}
	r.drain(t)
}

// sent returns what the fake sent to p since the last call, oldest first.
func (r *relayRig) sent(p string, seen map[string]int) []string {
	var out []string
	n := 0
	for _, m := range r.fake.Sent() {
		if m.To != p {
			continue
		}
		if n++; n > seen[p] {
			out = append(out, m.Text)
		}
	}
	seen[p] = n
	return out
}

func TestRelayEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRelayRig(t, db)
		seen := map[string]int{}
		steps := []struct {
			from, text string
			want       map[string][]string // SMS sent to each number after the step
		}{
			{jane, "How long is an opened BCG vial good for?", map[string][]string{
				jane: {"Chanjo: thank you, we got your question. Your mentor will answer by SMS."},
				mary: {"Q1 from Jane Mutua (Kithimani): How long is an opened BCG vial good for?, reply A1 <answer>"},
			}},
			{rose, "A1 Six hours", map[string][]string{
				rose: {"Chanjo: hakuna swali Q1 la wewe kujibu. Tumia namba iliyo kwenye SMS ya swali: A12 <jibu>."},
			}},
			{mary, "a1: Six hours after opening, then discard it.", map[string][]string{
				jane: {"Chanjo: Mary answered your question Q1: Six hours after opening, then discard it."},
				mary: {"Chanjo: thank you. Your answer to Q1 was sent to Jane Mutua."},
			}},
			{mary, "A1 Six hours; keep it at 2-8C.", map[string][]string{
				jane: {"Chanjo: Mary corrected her answer to your question Q1: Six hours; keep it at 2-8C."},
				mary: {"Chanjo: thank you. Your corrected answer to Q1 was sent to Jane Mutua."},
			}},
			{mary, "A99 Yes", map[string][]string{
				mary: {"Chanjo: there is no question Q99 for you to answer. Use the number in the question's SMS: A12 <answer>."},
			}},
			{mary, "A2", map[string][]string{
				mary: {"Chanjo: write your answer after A2, e.g. A2 Keep opened vials at 2-8C."},
			}},
		}
		for _, s := range steps {
			r.say(t, s.from, s.text)
			for _, p := range []string{mary, rose, jane} {
				if diff := cmp.Diff(s.want[p], r.sent(p, seen)); diff != "" {
					t.Errorf("after %q from %s, SMS to %s (-want +got):\n%s", s.text, s.from, p, diff)
				}
			}
		}
		if qs := storetest.Questions(t, db); len(qs) == 0 || qs[0].ID != 1 || qs[0].Answer != "Six hours; keep it at 2-8C." || qs[0].Source != "sms" {
			t.Errorf("questions = %+v; want question 1 with the corrected answer, source sms", qs)
		}
	})
}

func TestRelayEscalatesOnceAfterADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRelayRig(t, db)
		r.clock.Set(at(10, 0))
		r.say(t, jane, "Where do I record a BCG given late?")
		relay := sms.NewRelay(db, relayMentoring(t, db), sms.RelayConfig{TZ: nairobi, Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
		ctx := context.Background()
		tick := func(now time.Time) int {
			r.clock.Set(now)
			n, err := relay.Tick(ctx, now)
			if err != nil {
				t.Fatalf("Tick(%v): %v", now, err)
			}
			return n
		}
		day := 24 * time.Hour
		if n := tick(at(10, 0).Add(day - time.Minute)); n != 0 {
			t.Errorf("Tick(23 h 59 later) = %d, want 0", n)
		}
		var wg sync.WaitGroup
		counts := make([]int, 3)
		r.clock.Set(at(10, 0).Add(day))
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], _ = relay.Tick(ctx, at(10, 0).Add(day))
			}()
		}
		wg.Wait()
		r.drain(t) // within the escalation's 24 h horizon
		if got := counts[0] + counts[1] + counts[2]; got != 1 {
			t.Errorf("three concurrent Ticks a day later escalated %d, want 1", got)
		}
		if n := tick(at(10, 0).Add(2 * day)); n != 0 {
			t.Errorf("Tick(two days later) = %d, want 0: once only", n)
		}
		seen := map[string]int{}
		want := []string{"Swali Q1 kutoka kwa Jane Mutua (Kithimani), halijajibiwa kwa siku moja: Where do I record a BCG given late?. Jibu: A1 <jibu>"}
		if diff := cmp.Diff(want, r.sent(rose, seen)); diff != "" {
			t.Errorf("SMS to Rose (-want +got):\n%s", diff)
		}
		r.say(t, rose, "A1 In the register, with the date given.")
		if got := r.sent(jane, map[string]int{jane: 1}); len(got) != 1 || !strings.Contains(got[0], "Rose answered your question Q1") {
			t.Errorf("SMS to Jane after Rose's answer = %q, want the answer", got)
		}
	})
}

func TestRelayWaitsOutQuietHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRelayRig(t, db)
		r.clock.Set(at(20, 0))
		r.say(t, jane, "Asked in the evening")
		relay := sms.NewRelay(db, relayMentoring(t, db), sms.RelayConfig{TZ: nairobi, Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
		for _, s := range []struct {
			now  time.Time
			want int
		}{
			{at(20, 0).Add(24 * time.Hour), 0},
			{at(7, 0).Add(48 * time.Hour), 1},
		} {
			r.clock.Set(s.now)
			if n, err := relay.Tick(context.Background(), s.now); n != s.want || err != nil {
				t.Errorf("Tick(%v) = %d, %v, want %d", s.now.In(nairobi), n, err, s.want)
			}
		}
	})
}

// relayMentoring returns the mentoring service of the shipped pack that the
// escalation worker relays through.
func relayMentoring(t *testing.T, db *store.DB) *mentoring.Service {
	t.Helper()
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	return mentoring.New(db, pack, mentoring.Config{TZ: nairobi})
}
