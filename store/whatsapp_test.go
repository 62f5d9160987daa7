package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestWhatsAppWebhookApplied(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		msg := store.WhatsAppMessage{WAMID: "wamid.in1", Phone: "+254712345678", Kind: "text", Body: "Habari, dada", SentAt: at}
		apply := func(statuses ...store.WhatsAppStatus) []store.WhatsAppMessage {
			t.Helper()
			if err := db.RecordWhatsAppWebhook(ctx, []byte(`{"object":"whatsapp_business_account"}`)); err != nil {
				t.Fatal(err)
			}
			pending, err := db.PendingWhatsAppWebhooks(ctx, 10)
			if err != nil || len(pending) != 1 {
				t.Fatalf("pending after recording one = %d, %v", len(pending), err)
			}
			id := pending[0].ID
			fresh, err := db.ApplyWhatsAppWebhook(ctx, id, []store.WhatsAppMessage{msg}, statuses, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			again, err := db.ApplyWhatsAppWebhook(ctx, id, []store.WhatsAppMessage{msg}, nil, nil, nil)
			if err != nil || len(again) != 0 {
				t.Fatalf("applying webhook %d twice = %v, %v, want nothing new", id, again, err)
			}
			return fresh
		}
		st := func(status string, rank int) store.WhatsAppStatus {
			return store.WhatsAppStatus{WAMID: "wamid.out1", Status: status, Rank: rank, Recipient: "254712345678", At: at}
		}
		if fresh := apply(st("read", 4)); len(fresh) != 1 {
			t.Errorf("first delivery: %d new messages, want 1", len(fresh))
		}
		if fresh := apply(st("delivered", 3), st("sent", 1)); len(fresh) != 0 {
			t.Errorf("repeated delivery: %d new messages, want 0", len(fresh))
		}
		got, ok, err := db.WhatsAppStatusOf(ctx, "wamid.out1")
		if err != nil || !ok || got.Status != "read" {
			t.Errorf("status after read, delivered, sent = %+v, %v, %v; want read", got, ok, err)
		}
		msgs, err := db.WhatsAppMessagesFrom(ctx, "+254712345678")
		if err != nil || len(msgs) != 1 || msgs[0].Body != msg.Body {
			t.Errorf("stored messages = %+v, %v; want the one", msgs, err)
		}
		pending, err := db.PendingWhatsAppWebhooks(ctx, 10)
		if err != nil || len(pending) != 0 {
			t.Errorf("pending after applying = %d, %v; want 0", len(pending), err)
		}
	})
}

// TestWhatsAppMessageAnsweredOnce: a stored message waits for its answer until one is queued, and is
// answered once however often it is handed over, even by callers that run at once.
func TestWhatsAppMessageAnsweredOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		msg := store.WhatsAppMessage{WAMID: "wamid.in7", Phone: "+254712345678", Kind: "text", Body: "Hi", SentAt: db.Now()}
		if err := db.RecordWhatsAppWebhook(ctx, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		pending, err := db.PendingWhatsAppWebhooks(ctx, 10)
		if err != nil || len(pending) != 1 {
			t.Fatalf("pending = %d, %v", len(pending), err)
		}
		if _, err := db.ApplyWhatsAppWebhook(ctx, pending[0].ID, []store.WhatsAppMessage{msg}, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		since := db.Now().Add(-time.Hour)
		if waiting, err := db.UnansweredWhatsAppMessages(ctx, since, 0, 10); err != nil || len(waiting) != 1 || waiting[0].WAMID != msg.WAMID {
			t.Fatalf("unanswered = %+v, %v; want the message", waiting, err)
		}
		asked := make(chan int, 4)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				errs <- db.AnswerWhatsAppMessage(ctx, msg, func() (store.Outgoing, bool) {
					asked <- 1
					return store.Outgoing{Kind: store.KindReply, Phone: msg.Phone, Body: "Chanjo", Channel: store.ChannelWhatsApp}, true
				})
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if len(asked) != 1 {
			t.Errorf("the menus were asked %d times, want once", len(asked))
		}
		if waiting, err := db.UnansweredWhatsAppMessages(ctx, since, 0, 10); err != nil || len(waiting) != 0 {
			t.Errorf("unanswered after the answer = %+v, %v; want none", waiting, err)
		}
	})
}

// TestWhatsAppWebhooksArrivingTogether: POSTs stored at the same moment (one joined INSERT) are each
// kept once, none lost, each body as received.
func TestWhatsAppWebhooksArrivingTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 50
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { errs[i] = db.RecordWhatsAppWebhook(ctx, fmt.Appendf(nil, `{"n":%d}`, i)) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("webhook %d: %v", i, err)
			}
		}
		hooks, err := db.PendingWhatsAppWebhooks(ctx, 2*n)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, h := range hooks {
			seen[string(h.Body)]++
		}
		for i := range n {
			if body := fmt.Sprintf(`{"n":%d}`, i); seen[body] != 1 {
				t.Errorf("webhook %s kept %d times, want once", body, seen[body])
			}
		}
		if len(hooks) != n {
			t.Errorf("%d webhooks kept, want %d", len(hooks), n)
		}
	})
}
