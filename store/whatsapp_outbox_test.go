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
		if err := db.SetWorkerChannel(ctx, db, w.ID, "telegram"); err == nil {
			t.Errorf("SetWorkerChannel(telegram) = nil, want an error")
		}
		if err := db.SetWorkerChannel(ctx, db, w.ID, store.ChannelWhatsApp); err != nil {
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
		if err := db.RecordWhatsAppWebhooks(ctx, [][]byte{[]byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
		hooks, err := db.PendingWhatsAppWebhooks(ctx, 10)
		if err != nil || len(hooks) != 1 {
			t.Fatalf("pending webhooks = %v, %v", hooks, err)
		}
		if _, err := db.ApplyWhatsAppWebhook(ctx, hooks[0].ID, []store.WhatsAppMessage{{WAMID: "wamid.1", Phone: w.Phone,
			Kind: "text", Body: "Habari", SentAt: wrote}}, nil, nil); err != nil {
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
