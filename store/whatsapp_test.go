package store_test

import (
	"context"
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
			if err := db.RecordWhatsAppWebhooks(ctx, [][]byte{[]byte(`{"object":"whatsapp_business_account"}`)}); err != nil {
				t.Fatal(err)
			}
			pending, err := db.PendingWhatsAppWebhooks(ctx, 10)
			if err != nil || len(pending) != 1 {
				t.Fatalf("pending after recording one = %d, %v", len(pending), err)
			}
			id := pending[0].ID
			fresh, err := db.ApplyWhatsAppWebhook(ctx, id, []store.WhatsAppMessage{msg}, statuses, nil)
			if err != nil {
				t.Fatal(err)
			}
			again, err := db.ApplyWhatsAppWebhook(ctx, id, []store.WhatsAppMessage{msg}, nil, nil)
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
