package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// A nurse's choice of WhatsApp takes effect only once she has opted in there (she wrote to the
// number), which is recorded; replies stay on SMS; an opted-out nurse gets nothing on either channel.
func TestChannelTakesEffectAfterOptIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.Register(ctx, store.Registration{Phone: "+254711000001", Name: "Amina Njeri", Language: "sw", FacilityCode: "12345", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetWorkerChannel(ctx, w.ID, "telegram"); err == nil {
			t.Errorf("SetWorkerChannel(telegram) = nil, want an error")
		}
		if err := db.SetWorkerChannel(ctx, w.ID, store.ChannelWhatsApp); err != nil {
			t.Fatal(err)
		}
		channelOf := func(key string, kind store.OutKind) string {
			t.Helper()
			if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: key, Kind: kind, Phone: w.Phone, Body: "x", WorkerID: w.ID}); err != nil {
				t.Fatal(err)
			}
			var ch string
			if err := db.GetContext(ctx, &ch, db.Rebind(`SELECT channel FROM outbox WHERE dedupe_key = ?`), key); err != nil {
				t.Fatal(err)
			}
			return ch
		}
		if got := channelOf("before", store.KindNudge); got != store.ChannelSMS {
			t.Errorf("nudge before her opt-in: channel %q, want sms", got)
		}

		wrote := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		if err := db.RecordWhatsAppWebhook(ctx, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		hooks, err := db.PendingWhatsAppWebhooks(ctx, 10)
		if err != nil || len(hooks) != 1 {
			t.Fatalf("pending webhooks = %v, %v", hooks, err)
		}
		if _, err := db.ApplyWhatsAppWebhook(ctx, hooks[0].ID, []store.WhatsAppMessage{{WAMID: "wamid.1", Phone: w.Phone,
			Kind: "text", Body: "Habari", SentAt: wrote}}, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		st, err := db.WorkerChannel(ctx, w.ID)
		if err != nil || st.Effective != store.ChannelWhatsApp || st.OptInVia != store.OptInWrote || !st.OptInAt.Time.Equal(wrote) {
			t.Errorf("WorkerChannel after she wrote = %+v, %v; want whatsapp, opted in by writing at %v", st, err, wrote)
		}
		if got := channelOf("after", store.KindNudge); got != store.ChannelWhatsApp {
			t.Errorf("nudge after her opt-in: channel %q, want whatsapp", got)
		}
		if got := channelOf("reply", store.KindReply); got != store.ChannelSMS {
			t.Errorf("reply to her SMS: channel %q, want sms", got)
		}

		if _, err := db.SetOptOut(ctx, w.Phone, true); err != nil {
			t.Fatal(err)
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "wa", Limit: 10, Lease: time.Minute, Channel: store.ChannelWhatsApp})
		if err != nil || len(l.Msgs) != 0 || l.Suppressed != 1 {
			t.Errorf("WhatsApp claim after STOP = %+v, %v; want her nudge suppressed", l, err)
		}
	})
}

// The roster's optional channel column records her choice; an empty cell leaves it, a bad one is
// refused with its line.
func TestRosterChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		entry := func(line int, p, channel string) store.RosterEntry {
			return store.RosterEntry{Line: line, Name: "Nurse " + p, Phone: p, Role: "nurse", Language: "en", FacilityCode: "12345",
				FacilityName: "Kisumu HC", SubCounty: "Kisumu East", County: "Kisumu", Channel: channel}
		}
		_, problems, err := db.ApplyRoster(ctx, []store.RosterEntry{entry(2, "+254711000001", "whatsapp"),
			entry(3, "+254711000002", ""), entry(4, "+254711000003", "telegram")}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 1 || problems[0].Line != 4 {
			t.Errorf("problems = %+v, want line 4's channel refused", problems)
		}
		for p, want := range map[string]string{"+254711000001": "whatsapp", "+254711000002": "sms"} {
			w, err := db.WorkerByPhone(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			st, err := db.WorkerChannel(ctx, w.ID)
			if err != nil || st.Chosen != want || st.Effective != store.ChannelSMS {
				t.Errorf("%s: WorkerChannel = %+v, %v; want chosen %s, in effect sms until she opts in", p, st, err, want)
			}
		}
		if _, _, err := db.ApplyRoster(ctx, []store.RosterEntry{entry(2, "+254711000001", "")}, nil); err != nil {
			t.Fatal(err)
		}
		w, _ := db.WorkerByPhone(ctx, "+254711000001")
		if st, _ := db.WorkerChannel(ctx, w.ID); st.Chosen != store.ChannelWhatsApp {
			t.Errorf("after a roster without her channel: chosen %q, want whatsapp kept", st.Chosen)
		}
	})
}
