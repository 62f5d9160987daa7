package whatsapp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// TestAgainstFakeGraph runs the client and the webhook against the fake Graph API: a nurse writes,
// the answer inside her window is accepted and its statuses settle at read; outside the window the
// free-form message is refused with 131047 and the template goes; a number not on WhatsApp fails.
func TestAgainstFakeGraph(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	h := newWebhookHarness(t, db)
	app := httptest.NewServer(h.router)
	defer app.Close()
	fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", Token: "T", AppSecret: testSecret,
		WebhookURL: app.URL + "/whatsapp", Templates: []string{"nudge/en"}})
	defer fake.Close()
	client := cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), PhoneNumberID: "PNID", Token: "T"})
	settle := func() {
		t.Helper()
		fake.Wait()
		if err := h.inbox.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}

	in := fake.Inbound("254712345678", "Habari")
	settle()
	msgs, err := db.WhatsAppMessagesFrom(ctx, "+254712345678")
	if err != nil || len(msgs) != 1 || msgs[0].WAMID != in || msgs[0].Body != "Habari" {
		t.Fatalf("stored messages = %+v, %v; want the nurse's Habari", msgs, err)
	}

	reply := cloudapi.Text("+254712345678", "Karibu")
	reply.Opaque = "outbox:1"
	sent, err := client.Send(ctx, reply)
	if err != nil {
		t.Fatalf("Send inside the window: %v", err)
	}
	settle()
	if st, ok, err := db.WhatsAppStatusOf(ctx, sent.MessageID); err != nil || !ok || st.Status != "read" || st.Opaque != "outbox:1" {
		t.Errorf("status of the reply = %+v, %v, %v; want read for outbox:1", st, ok, err)
	}

	fake.SetClock(func() time.Time { return time.Now().Add(fakegraph.Window + time.Minute) })
	_, err = client.Send(ctx, cloudapi.Text("+254712345678", "Kumbuka somo"))
	var e *cloudapi.Error
	if !errors.As(err, &e) || e.Code != cloudapi.CodeOutsideWindow || !e.Permanent() {
		t.Errorf("Send outside the window = %v, want permanent 131047", err)
	}
	if _, err := client.Send(ctx, cloudapi.Template("+254712345678", "nudge", "en", "Amina")); err != nil {
		t.Errorf("template outside the window: %v", err)
	}
	if _, err := client.Send(ctx, cloudapi.Template("+254712345678", "nudge", "en_US")); !errors.As(err, &e) || e.Code != 132001 {
		t.Errorf("template in a language it lacks = %v, want 132001", err)
	}

	// Through the fake's test control, as `chanjo fake-whatsapp` is driven.
	resp, err := http.Post(fake.URL()+"/_fake/inbound", "application/json", strings.NewReader(`{"from":"+254712340026","text":"Habari"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /_fake/inbound = %v, %v", resp, err)
	}
	resp.Body.Close()
	settle()
	gone, err := client.Send(ctx, cloudapi.Text("+254712340026", "Karibu"))
	if err != nil {
		t.Fatalf("Send to a number not on WhatsApp is accepted first: %v", err)
	}
	settle()
	if st, _, _ := db.WhatsAppStatusOf(ctx, gone.MessageID); st.Status != "failed" || st.ErrorCode != cloudapi.CodeUndeliverable {
		t.Errorf("status of a send to a number not on WhatsApp = %+v, want failed with 131026", st)
	}
	if n := len(fake.Sent()); n != 3 {
		t.Errorf("the fake recorded %d messages, want 3 (the refused ones not)", n)
	}
}
