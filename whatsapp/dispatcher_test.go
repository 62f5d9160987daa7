package whatsapp

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/ussd"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// sendRig is the WhatsApp dispatcher against the fake Graph API, whose status webhooks come back
// through the real webhook handler into the inbox, on one clock.
type sendRig struct {
	t     *testing.T
	db    *store.DB
	hooks *webhookHarness
	fake  *fakegraph.Server
	disp  *Dispatcher

	mu  sync.Mutex
	now time.Time
}

var testTemplates = map[string]lessons.WhatsAppTemplate{
	"nudge": {Name: "chanjo_nudge", Language: lessons.Text{"en": "en", "sw": "sw"}},
	"group": {Name: "chanjo_group_message", Language: lessons.Text{"en": "en", "sw": "sw"}},
	"reply": {Name: "chanjo_answer", Language: lessons.Text{"en": "en", "sw": "sw"}},
	// The circle group's invite: the Template Library's, in English.
	InviteTemplate: {Name: "group_invite_link", Language: lessons.Text{"en": "en", "sw": "en"}},
}

func newSendRig(t *testing.T, db *store.DB, token string) *sendRig {
	r := &sendRig{t: t, db: db, hooks: newWebhookHarness(t, db), now: time.Now().UTC().Truncate(time.Second)}
	app := httptest.NewServer(r.hooks.router)
	t.Cleanup(app.Close)
	r.fake = fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", Token: "T", AppSecret: testSecret,
		WebhookURL: app.URL + "/whatsapp", Templates: []string{"chanjo_nudge/en", "chanjo_nudge/sw", "chanjo_group_message/en", "chanjo_answer/en", "group_invite_link/en"}})
	t.Cleanup(r.fake.Close)
	r.fake.SetClock(r.clock)
	db.Now = r.clock
	client := cloudapi.New(cloudapi.Config{BaseURL: r.fake.URL(), PhoneNumberID: "PNID", Token: token})
	r.disp = NewDispatcher(db, client, DispatcherConfig{Templates: testTemplates, SendTimeout: 300 * time.Millisecond})
	r.disp.Now = r.clock
	return r
}

func (r *sendRig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *sendRig) advance(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = r.now.Add(d)
}

// settle waits for the fake's webhooks and applies them.
func (r *sendRig) settle() {
	r.t.Helper()
	r.fake.Wait()
	if err := r.hooks.inbox.Drain(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

// nurse registers a nurse who chose WhatsApp and, when wrote, has written to the number.
func (r *sendRig) nurse(phone, lang string, wrote bool) int64 {
	r.t.Helper()
	ctx := context.Background()
	w, err := r.db.Register(ctx, store.Registration{Phone: phone, Name: "Amina Njeri", Language: lang, FacilityCode: "12345", Active: true})
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.db.SetWorkerChannel(ctx, w.ID, store.ChannelWhatsApp); err != nil {
		r.t.Fatal(err)
	}
	if wrote {
		r.fake.Inbound(strings.TrimPrefix(phone, "+"), "Habari")
		r.settle()
	}
	return w.ID
}

func (r *sendRig) nudge(key, phone string, worker int64) {
	r.t.Helper()
	if _, err := r.db.QueueSMS(context.Background(), store.Outgoing{DedupeKey: key, Kind: store.KindNudge, Phone: phone,
		Body: "Kumbuka somo lako la leo", WorkerID: worker}); err != nil {
		r.t.Fatal(err)
	}
}

func (r *sendRig) once() {
	r.t.Helper()
	if _, err := r.disp.Once(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

type outboxRow struct {
	Status    string
	Channel   string
	GatewayID string
	Reason    string
}

// rowOf is the part of an outgoing message these tests check.
func rowOf(o storetest.Out) outboxRow {
	return outboxRow{Status: o.Status, Channel: o.Channel, GatewayID: o.GatewayID.String, Reason: o.FailureReason}
}

func (r *sendRig) row(key string) outboxRow {
	r.t.Helper()
	return rowOf(storetest.OutByKey(r.t, r.db, key))
}

// sentTo returns the fake's accepted messages to phone.
func (r *sendRig) sentTo(phone string) []fakegraph.Message {
	var out []fakegraph.Message
	for _, m := range r.fake.Sent() {
		if m.To == phone {
			out = append(out, m)
		}
	}
	return out
}

func templateOf(t *testing.T, m fakegraph.Message) string {
	t.Helper()
	var body struct {
		Template struct {
			Name     string `json:"name"`
			Language struct {
				Code string `json:"code"`
			} `json:"language"`
		} `json:"template"`
	}
	if err := json.Unmarshal(m.Body, &body); err != nil {
		t.Fatal(err)
	}
	return body.Template.Name + "/" + body.Template.Language.Code
}

// Must-show 3: a nurse on WhatsApp gets her nudge as free-form text inside her window and as the
// template in her language outside it; a number not on WhatsApp gets the SMS instead.
func TestNudgesOnWhatsApp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newSendRig(t, db, "T")
		amina := r.nurse("+254711000001", "en", true)
		r.nudge("n1", "+254711000001", amina)
		if got := r.row("n1"); got.Channel != store.ChannelWhatsApp {
			t.Fatalf("nudge to a nurse who chose WhatsApp and wrote: channel %q, want whatsapp", got.Channel)
		}
		r.once()
		r.settle()
		sent := r.sentTo("+254711000001")
		if len(sent) != 1 || sent[0].Type != "text" || !strings.Contains(string(sent[0].Body), "Kumbuka somo") {
			t.Fatalf("inside her window the fake got %+v, want one free-form text", sent)
		}
		if got := r.row("n1"); got.Status != store.OutDelivered || got.GatewayID != sent[0].ID {
			t.Errorf("row after the read status = %+v, want delivered by %s", got, sent[0].ID)
		}

		r.advance(Window + time.Hour)
		r.nudge("n2", "+254711000001", amina)
		r.once()
		r.settle()
		sent = r.sentTo("+254711000001")
		if len(sent) != 2 || sent[1].Type != "template" || templateOf(t, sent[1]) != "chanjo_nudge/en" {
			t.Fatalf("outside her window the fake got %+v, want the chanjo_nudge/en template", sent[1:])
		}

		// Kiswahili: the template's Kiswahili translation.
		halima := r.nurse("+254711000003", "sw", false)
		if err := db.SetWorkerChannel(context.Background(), halima, store.ChannelWhatsApp); err != nil {
			t.Fatal(err)
		}
		r.fake.Inbound("254711000003", "Habari")
		r.settle()
		r.advance(Window + time.Hour)
		r.nudge("n3", "+254711000003", halima)
		r.once()
		if sent := r.sentTo("+254711000003"); len(sent) != 1 || templateOf(t, sent[0]) != "chanjo_nudge/sw" {
			t.Errorf("outside her window a Kiswahili nurse got %+v, want chanjo_nudge/sw", sent)
		}

		// Not on WhatsApp (the fake fails numbers ending 0026 with 131026): the row goes on by SMS,
		// and so does her next message, without trying WhatsApp again.
		otieno := r.nurse("+254711000026", "en", true)
		r.nudge("n4", "+254711000026", otieno)
		r.once()
		r.settle()
		if got := r.row("n4"); got.Channel != store.ChannelSMS || got.Status != store.OutQueued || got.Reason != store.ReasonNotOnWhatsApp {
			t.Errorf("row after 131026 = %+v, want queued again on sms", got)
		}
		l, err := db.Claim(context.Background(), store.ClaimOptions{Owner: "sms-test", Limit: 10, Lease: time.Minute, Channel: store.ChannelSMS})
		if err != nil || len(l.Msgs) != 1 || l.Msgs[0].Phone != "+254711000026" {
			t.Errorf("the SMS dispatcher's claim = %+v, %v; want the nudge to +254711000026", l.Msgs, err)
		}
		r.nudge("n5", "+254711000026", otieno)
		if got := r.row("n5"); got.Channel != store.ChannelSMS {
			t.Errorf("next nudge to a number not on WhatsApp: channel %q, want sms", got.Channel)
		}
	})
}

// Must-show 3: when Meta's answer does not come, the dispatcher sends again at most once (Meta has
// no idempotency key), and the status webhooks settle which copy counts: the first delivered.
func TestTimeoutSendsAtMostOneDuplicate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		late       int  // sends whose answer comes too late
		settleSoon bool // the first copy's statuses are applied before the retry falls due
		copies     int
		final      string
	}{
		{"statuses before the retry", 1, true, 1, store.OutDelivered},
		{"retry before the statuses", 1, false, 2, store.OutDelivered},
		{"both answers late", 2, false, 2, store.OutDelivered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newSendRig(t, storetest.SQLite(t), "T")
			id := r.nurse("+254711000001", "en", true)
			r.nudge("n1", "+254711000001", id)
			r.fake.AnswerLate(tc.late, 2*time.Second)
			r.once()
			if got := r.row("n1"); got.Status != store.OutQueued || got.Reason != store.ReasonNoAnswer {
				t.Fatalf("row after no answer = %+v, want queued for a retry", got)
			}
			if tc.settleSoon {
				r.settle()
			}
			for range 3 {
				r.advance(time.Hour)
				r.once()
			}
			r.settle()
			sent := r.sentTo("+254711000001")
			if len(sent) != tc.copies {
				t.Errorf("copies sent = %d, want %d", len(sent), tc.copies)
			}
			if got := r.row("n1"); got.Status != tc.final || got.GatewayID != sent[0].ID {
				t.Errorf("row = %+v, want %s by the first copy %s", got, tc.final, sent[0].ID)
			}
		})
	}
}

// Meta refusing the account (190, a token expired) pauses WhatsApp sending for every instance, the
// message untouched; SMS is not paused.
func TestAccountFaultPausesWhatsApp(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	r := newSendRig(t, db, "expired-token")
	id := r.nurse("+254711000001", "en", true)
	r.nudge("n1", "+254711000001", id)
	r.once()
	if p, ok, err := db.ChannelPause(ctx, store.ChannelWhatsApp); err != nil || !ok || !strings.HasPrefix(p.Reason, "190") {
		t.Errorf("WhatsApp pause = %+v, %v, %v; want paused with 190", p, ok, err)
	}
	if _, ok, _ := db.ChannelPause(ctx, store.ChannelSMS); ok {
		t.Errorf("SMS paused by a WhatsApp account fault")
	}
	if got := r.row("n1"); got.Status != store.OutQueued || got.Reason != "" {
		t.Errorf("row after the account fault = %+v, want queued, untouched", got)
	}
	if attempts := storetest.OutByKey(t, db, "n1").Attempts; attempts != 0 {
		t.Errorf("attempts = %d; want 0", attempts)
	}
	if n, _ := r.disp.Once(ctx); n != 0 {
		t.Errorf("claimed %d rows while paused, want none before the probe", n)
	}
}

// STOP written on WhatsApp is one opt-out for every channel, recorded as from WhatsApp, confirmed on
// WhatsApp in her language; her nudges on either channel are suppressed.
func TestStopOnWhatsAppStopsEveryChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pack, err := lessons.Default()
		if err != nil {
			t.Fatal(err)
		}
		r := newSendRig(t, db, "T")
		r.hooks.inbox.Pack = pack
		id := r.nurse("+254711000001", "sw", true)
		r.fake.Inbound("254711000001", "Simama, tafadhali")
		r.fake.Inbound("254711000001", "SIMAMA")
		r.settle()
		o, ok, err := db.OptOutOf(ctx, "+254711000001")
		if err != nil || !ok || o.Channel != store.ChannelWhatsApp || o.Reason != store.OptOutKeyword {
			t.Errorf("opt-out after SIMAMA on WhatsApp = %+v, %v, %v; want keyword from whatsapp", o, ok, err)
		}
		r.nudge("n1", "+254711000001", id)
		if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: "n2", Kind: store.KindNudge, Phone: "+254711000001",
			Body: "x", WorkerID: id, Channel: store.ChannelSMS}); err != nil {
			t.Fatal(err)
		}
		r.once()
		sent := r.sentTo("+254711000001")
		if len(sent) != 1 || !strings.Contains(string(sent[0].Body), "Tuma ANZA") {
			t.Errorf("sent to her after SIMAMA: %d messages, want only the Kiswahili confirmation", len(sent))
		}
		if got := r.row("n1"); got.Status != store.OutSuppressed {
			t.Errorf("WhatsApp nudge after STOP = %+v, want suppressed", got)
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "sms", Limit: 10, Lease: time.Minute, Channel: store.ChannelSMS})
		if err != nil || len(l.Msgs) != 0 || l.Suppressed != 1 {
			t.Errorf("SMS claim after STOP on WhatsApp = %+v, %v; want her SMS nudge suppressed", l, err)
		}
	})
}

// Under every chaos switch of the fake (each webhook twice, statuses newest first and batched, no
// delivered), a nurse's message is stored once, her peer group message relayed once, and the nudge
// to her settles at read, delivered.
func TestChaosSettlesTheSame(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newSendRig(t, db, "T")
		r.fake.SetChaos(fakegraph.Chaos{Duplicates: true, Reorder: true, Batch: true, NoDelivered: true})
		id := r.nurse("+254711000001", "en", true)
		other := r.nurse("+254711000002", "en", true)
		g, err := db.CreateGroup(ctx, store.Scope{Admin: true}, 0, "Pair", id)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AddGroupMember(ctx, store.Scope{Admin: true}, 0, g.ID, other); err != nil {
			t.Fatal(err)
		}
		r.fake.Inbound("254711000001", "G anyone with spare syringes?")
		r.settle()
		if msgs, _ := db.WhatsAppMessagesFrom(ctx, "+254711000001"); len(msgs) != 2 {
			t.Errorf("stored messages = %d, want 2 (Habari, the G message), each once", len(msgs))
		}
		if posts := len(storetest.GroupPosts(t, db)); posts != 1 {
			t.Errorf("group messages = %d; want 1", posts)
		}
		r.nudge("n1", "+254711000001", id)
		r.once()
		r.settle()
		got := r.row("n1")
		if got.Status != store.OutDelivered {
			t.Errorf("nudge under chaos = %+v, want delivered (settled by read)", got)
		}
		if st, ok, _ := db.WhatsAppStatusOf(ctx, got.GatewayID); !ok || st.Status != "read" {
			t.Errorf("status kept = %+v, want read", st)
		}
	})
}

// A menu and a circle group's invite have no SMS form: when Meta reports the number not on WhatsApp
// (131026, in the failed status after it accepted the message), each ends failed instead of going on
// by SMS (whose body would be the menu's JSON or the group's id), and the dispatcher sends each as
// what the row's typed content says: the list, and the invite template naming the group.
func TestNoSMSFormWhenNotOnWhatsApp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newSendRig(t, db, "T")
		otieno := r.nurse("+254711000026", "en", true)
		menu, content := menuBody(ussd.Chat{Kind: ussd.ChatList, Body: "Main menu", Button: "Choose",
			Choices: []ussd.Choice{{ID: "1", Title: "Lessons"}, {ID: "2", Title: "Quiz"}}})
		for _, m := range []store.Outgoing{
			{DedupeKey: "menu", Kind: store.KindReply, Body: menu, WAContent: content},
			{DedupeKey: "invite", Kind: store.KindNudge, Body: "GROUP1", WAContent: store.WAGroupInvite},
		} {
			m.Phone, m.WorkerID, m.Channel = "+254711000026", otieno, store.ChannelWhatsApp
			if _, err := db.QueueSMS(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		r.once()
		r.settle()
		sent := r.sentTo("+254711000026")
		if len(sent) != 2 || sent[0].Type != "interactive" || templateOf(t, sent[1]) != "group_invite_link/en" || groupParam(t, sent[1]) != "GROUP1" {
			t.Fatalf("sent = %+v, want the list and the invite template naming GROUP1", sent)
		}
		for _, key := range []string{"menu", "invite"} {
			if got := r.row(key); got.Channel != store.ChannelWhatsApp || got.Status != store.OutFailed {
				t.Errorf("%s after 131026 = %+v, want failed on WhatsApp", key, got)
			}
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "sms-test", Limit: 10, Lease: time.Minute, Channel: store.ChannelSMS})
		if err != nil || len(l.Msgs) != 0 {
			t.Errorf("SMS queued = %+v, %v; want none", l.Msgs, err)
		}
	})
}
