package sms_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestNothingInterruptsAUSSDSession (issue 19, finding 5): a topic's
// completion SMS queued during quiet hours and a job aid asked for on the
// menu wait while the nurse's USSD session lasts, the end of quiet hours
// falling inside it, and go once it has ended: the job aid first, each
// once, with no attempt counted for the wait. Others' SMS go meanwhile.
func TestNothingInterruptsAUSSDSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const nurse, other = "+254711000001", "+254711000002"
		r := newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
		fake := &sessions{in: map[string]bool{nurse: true}}
		r.disp.Sessions = fake
		r.clock.Set(at(6, 58))
		r.enqueue(t, nudge("certificate", nurse),
			store.Outgoing{DedupeKey: "job-aid", Kind: store.KindReply, Phone: nurse, Body: "job aid"},
			store.Outgoing{DedupeKey: "reply", Kind: store.KindReply, Phone: other, Body: "reply to another"})
		steps := []struct {
			now  time.Time
			in   bool
			want []string
		}{
			{at(6, 58), true, []string{"reply to another"}},
			{at(7, 0), true, []string{"reply to another"}}, // quiet hours end inside her session
			{at(7, 0).Add(40 * time.Second), true, []string{"reply to another"}},
			{at(7, 1), false, []string{"reply to another"}},                                                       // hung up: held until 07:01:10
			{at(7, 1).Add(30 * time.Second), false, []string{"reply to another", "job aid", "nudge certificate"}}, // the reply kind first
			{at(7, 5), false, []string{"reply to another", "job aid", "nudge certificate"}},
		}
		for _, s := range steps {
			r.clock.Set(s.now)
			fake.set(nurse, s.in)
			r.drain(t)
			if diff := cmp.Diff(s.want, r.sentTexts()); diff != "" {
				t.Errorf("sent by %s (-want +got):\n%s", s.now.In(nairobi).Format("15:04:05"), diff)
			}
		}
		for _, key := range []string{"certificate", "job-aid"} {
			if got := r.row(t, key); got.Status != store.OutAccepted || got.Attempts != 1 {
				t.Errorf("outbox %s = %+v, want accepted after 1 attempt", key, got)
			}
		}
	})
}
