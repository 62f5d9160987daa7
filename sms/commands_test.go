package sms_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// Every way of saying STOP, in either language, opts the nurse out with
// the opt-out record and tells her how to come back, and none reaches her
// mentor as a question; a sentence that starts with a command word is a
// question. Each variant is undone by START before the next.
func TestStopVariantsOptOutAndAreNeverRelayed(t *testing.T) {
	langs := []struct {
		lang, back string // back: a phrase of the confirmation saying how to come back
		variants   []string
	}{
		{"en", "Send START", []string{"STOP", "stop please", "Stop, please!", "STOP CHANJO", "unsubscribe", "SIMAMA", "Acha."}},
		{"sw", "Tuma ANZA", []string{"SIMAMA", "simama chanjo", "ACHA", "acha tafadhali", "Ondoa", "STOP", "Stop please"}},
	}
	for _, l := range langs {
		t.Run(l.lang, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				r := newRelayRig(t, db)
				ctx := context.Background()
				w, err := db.WorkerByPhone(ctx, jane)
				if err == nil {
					err = db.SetLanguage(ctx, w.ID, l.lang)
				}
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]int{}
				for _, v := range l.variants {
					r.say(t, jane, v)
					o, out, err := db.OptOutOf(ctx, jane)
					if err != nil || !out || o.Channel != store.ChannelSMS || o.Reason != store.OptOutKeyword {
						t.Errorf("after %q: OptOutOf = %+v, %v, %v; want an SMS keyword opt-out", v, o, out, err)
					}
					if got := r.sent(jane, seen); len(got) != 1 || !strings.Contains(got[0], l.back) {
						t.Errorf("after %q: SMS to the nurse = %q, want one confirmation containing %q", v, got, l.back)
					}
					if got := r.sent(mary, seen); len(got) != 0 {
						t.Errorf("after %q: SMS to the mentor = %q, want none", v, got)
					}
					r.say(t, jane, "START")
					if _, out, _ := db.OptOutOf(ctx, jane); out {
						t.Errorf("after %q then START: still opted out", v)
					}
					r.sent(jane, seen)
				}
				if questions := storetest.Questions(t, db); len(questions) != 0 {
					t.Errorf("questions after the STOP variants = %+v; want none", questions)
				}
				r.say(t, jane, "Acha nikuulize kuhusu BCG")
				if got := r.sent(mary, seen); len(got) != 1 || !strings.Contains(got[0], "Acha nikuulize kuhusu BCG") {
					t.Errorf("a sentence starting with ACHA: SMS to the mentor = %q, want the question", got)
				}
				if _, out, _ := db.OptOutOf(ctx, jane); out {
					t.Error("a sentence starting with ACHA opted the nurse out")
				}
			})
		})
	}
}
