package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// waRig is the service behind its real router, with the fake Graph API both ways: the fake posts
// signed webhooks to /whatsapp, the WhatsApp dispatcher sends to the fake.
type waRig struct {
	a    *app
	h    http.Handler
	fake *fakegraph.Server
}

func newWARig(t *testing.T) *waRig {
	t.Helper()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	fake := fakegraph.New(fakegraph.Config{PhoneNumberID: waVars["WA_PHONE_NUMBER_ID"], Token: waVars["WA_TOKEN"],
		AppSecret: waVars["WA_APP_SECRET"], WebhookURL: srv.URL + "/whatsapp"})
	t.Cleanup(fake.Close)
	vars := map[string]string{"WA_BASE_URL": fake.URL()}
	for k, v := range waVars {
		vars[k] = v
	}
	a, _ := testApp(t, vars)
	if _, err := a.db.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	h = a.router()
	return &waRig{a: a, h: h, fake: fake}
}

// settle applies what the webhooks brought, answers, and sends the answers, as the inbox and
// dispatcher workers do.
func (r *waRig) settle(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	r.fake.Wait()
	if err := r.a.whatsappInbox.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.a.whatsappDispatcher().Once(ctx); err != nil {
		t.Fatal(err)
	}
	r.fake.Wait()
}

// sentTo returns the messages the fake accepted for the number to.
func (r *waRig) sentTo(to string) []fakegraph.Message {
	var out []fakegraph.Message
	for _, m := range r.fake.Sent() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// TestWhatsAppTextGetsTheMainMenu is issue 18's must-show 1: a nurse's text, signed by the fake,
// through the router, the inbox and the outbox, comes back as the main menu in a list message.
func TestWhatsAppTextGetsTheMainMenu(t *testing.T) {
	r := newWARig(t)
	nurse := store.DemoNursePhone(0)
	r.fake.Inbound(strings.TrimPrefix(nurse, "+"), "Hi")
	r.settle(t)
	sent := r.sentTo(nurse)
	if len(sent) != 1 || sent[0].Type != "interactive" {
		t.Fatalf("sent to the nurse: %+v; want one interactive message", sent)
	}
	var body struct {
		Interactive struct {
			Type string
			Body struct{ Text string }
		}
	}
	if err := json.Unmarshal(sent[0].Body, &body); err != nil || body.Interactive.Type != "list" ||
		!strings.Contains(body.Interactive.Body.Text, "Chanjo") {
		t.Errorf("answer = %s (%v); want the main menu as a list message", sent[0].Body, err)
	}

	// Her choice of a row comes back as its id, the number she could have typed.
	r.fake.Inbound(strings.TrimPrefix(nurse, "+"), "1")
	r.settle(t)
	if sent := r.sentTo(nurse); len(sent) != 2 {
		t.Errorf("after choosing 1: %d messages, want 2", len(sent))
	}
}

// TestWhatsAppDuplicateDeliveryAnsweredOnce: Meta delivers the same message twice (the fake's
// chaos), and she gets one answer.
func TestWhatsAppDuplicateDeliveryAnsweredOnce(t *testing.T) {
	r := newWARig(t)
	r.fake.SetChaos(fakegraph.Chaos{Duplicates: true})
	nurse := store.DemoNursePhone(1)
	r.fake.Inbound(strings.TrimPrefix(nurse, "+"), "Hi")
	r.settle(t)
	r.settle(t)
	if sent := r.sentTo(nurse); len(sent) != 1 {
		t.Errorf("a message delivered twice got %d answers, want 1", len(sent))
	}
}

// TestWhatsAppWrongSignatureIgnored: a POST signed with another secret answers 200 (Meta would
// retry junk for 7 days), stores nothing, sends nothing, and is counted.
func TestWhatsAppWrongSignatureIgnored(t *testing.T) {
	r := newWARig(t)
	body, err := os.ReadFile("../../whatsapp/testdata/text.json")
	if err != nil {
		t.Fatal(err)
	}
	fixture := strings.ReplaceAll(string(body), "254712345678", strings.TrimPrefix(store.DemoNursePhone(2), "+"))
	req := httptest.NewRequest("POST", "/whatsapp", strings.NewReader(fixture))
	req.Header.Set(cloudapi.SignatureHeader, cloudapi.Sign("another-secret", []byte(fixture)))
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("wrong signature = %d, want 200", rec.Code)
	}
	r.settle(t)
	if n, err := r.a.db.CountWhatsAppWebhooks(context.Background()); err != nil || n != 0 {
		t.Errorf("webhooks stored = %d (%v), want 0", n, err)
	}
	if sent := r.fake.Sent(); len(sent) != 0 {
		t.Errorf("sent %d messages, want none", len(sent))
	}
	if m := do(r.h, "GET", "/metrics").Body.String(); !strings.Contains(m, `chanjo_whatsapp_webhooks_total{result="bad_signature"} 1`) {
		t.Errorf("/metrics does not count the bad signature")
	}
}

// TestDialWhatsApp is issue 18's must-show 6: the terminal phone's WhatsApp mode writes through the
// fake to a running service and shows its answers, a list's rows with the ids to type.
func TestDialWhatsApp(t *testing.T) {
	r := newWARig(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { r.a.whatsappInbox.Run(ctx); done <- struct{}{} }()
	go func() { r.a.whatsappDispatcher().Run(ctx); done <- struct{}{} }()
	t.Cleanup(func() { cancel(); <-done; <-done })

	got := dialWith(t, nil, "Hi\n6\nq\n", "--whatsapp", "--fake", r.fake.URL(), "--phone", store.DemoNursePhone(1))
	for _, want := range []string{"WhatsApp from +254700000001", "Chanjo - Hi Wanjiru\n[list: Choose]", "  [6] Settings", "Settings\n[list: Choose]\n  [1] Language: English", "  [4] Messages by: SMS"} {
		if !strings.Contains(got, want) {
			t.Errorf("dial --whatsapp output lacks %q:\n%s", want, got)
		}
	}
}

// TestWhatsAppCommandsNotAnsweredWithMenus: STOP and a peer group's G are answered by what they do,
// once, and the menus do not answer them too.
func TestWhatsAppCommandsNotAnsweredWithMenus(t *testing.T) {
	r := newWARig(t)
	for i, text := range []string{"STOP", "G", "G Who has BCG vials?"} {
		nurse := store.DemoNursePhone(3 + i)
		r.fake.Inbound(strings.TrimPrefix(nurse, "+"), text)
		r.settle(t)
		r.settle(t)
		sent := r.sentTo(nurse)
		if len(sent) != 1 || sent[0].Type != "text" || strings.Contains(string(sent[0].Body), "Hi ") {
			t.Errorf("%s: sent %d messages (%+v), want its one text answer", text, len(sent), sent)
		}
	}
}

// TestWhatsAppMenuNeverBecomesAnSMS: Meta reports the menu's number unreachable (131026) in a status,
// which turns a text into an SMS; a menu's list means nothing by SMS, so its row fails instead.
func TestWhatsAppMenuNeverBecomesAnSMS(t *testing.T) {
	r := newWARig(t)
	wamid := r.fake.Inbound("254711110026", "Hi") // the fake fails sends to …0026 with 131026
	r.settle(t)
	if sent := r.sentTo("+254711110026"); len(sent) != 1 || sent[0].Type != "interactive" {
		t.Fatalf("sent %+v, want the first screen as an interactive message", sent)
	}
	r.settle(t) // the failed status
	row := storetest.OutByKey(t, r.a.db, "wa:"+wamid)
	if row.Status != store.OutFailed || row.Channel != store.ChannelWhatsApp {
		t.Errorf("the menu's row = %+v, want failed on whatsapp", row)
	}
}
