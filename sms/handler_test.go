package sms_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func init() { gin.SetMode(gin.TestMode) }

const (
	nurseEN = "+254711000001"
	nurseSW = "+254711000002"
	unknown = "+254799000009"
)

// callbackRig is a rig with the callback routes on a gin router and two
// registered nurses, one English, one Kiswahili.
type callbackRig struct {
	*rig
	router *gin.Engine
}

func newCallbackRig(t *testing.T, db *store.DB) *callbackRig {
	t.Helper()
	r := newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
	ctx := context.Background()
	for p, lang := range map[string]string{nurseEN: "en", nurseSW: "sw"} {
		if _, err := db.Register(ctx, store.Registration{Phone: p, Name: "Nurse", FacilityCode: "12345", Language: lang, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	g := gin.New()
	sms.NewHandler(db, "*384*123#", nairobi, slog.New(slog.DiscardHandler), nil).Register(g)
	return &callbackRig{rig: r, router: g}
}

func (c *callbackRig) post(path string, form url.Values) (int, string) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	c.router.ServeHTTP(w, req)
	return w.Code, w.Body.String()
}

func incoming(id, from, text string) url.Values {
	return url.Values{"id": {id}, "from": {from}, "to": {"21512"}, "text": {text}, "date": {"2025-03-03 07:04:45"}}
}

// replies returns the reply bodies queued for p, oldest first.
func (c *callbackRig) replies(t *testing.T, p string) []string {
	t.Helper()
	return storetest.Queued(t, c.db, p, store.KindReply)
}

func TestInboundKeywordsAndQuestions(t *testing.T) {
	tests := []struct {
		from, text  string
		wantReply   string // a phrase of the reply
		wantOptOut  bool
		wantQuestns int
	}{
		{nurseEN, "stop", "no more reminders", true, 0},
		{nurseSW, " Acha ", "hutapokea tena", true, 0},
		{nurseEN, "START", "on again", false, 0},
		{nurseSW, "anza", "vimewashwa tena", false, 0},
		{nurseEN, "Help", "dial *384*123#", false, 0},
		{nurseSW, "MSAADA", "piga *384*123#", false, 0},
		{nurseEN, "How long is opened BCG good for?", "we got your question", false, 1},
		{nurseSW, "Chupa ya BCG hudumu muda gani?", "swali lako limepokelewa", false, 1},
		{nurseEN, "", "dial *384*123#", false, 0},
		{nurseSW, " \n\t ", "piga *384*123#", false, 0},
		{nurseEN, "?", "dial *384*123#", false, 0},
		{unknown, "hello", "not registered", false, 0},
		{unknown, "HELP", "Tuma ACHA", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := newCallbackRig(t, db)
				if code, body := c.post("/sms/inbound", incoming("in-1", tt.from, tt.text)); code != http.StatusOK {
					t.Fatalf("POST /sms/inbound = %d %q, want 200", code, body)
				}
				got := c.replies(t, tt.from)
				if len(got) != 1 || !strings.Contains(got[0], tt.wantReply) {
					t.Errorf("replies to %q = %q, want one containing %q", tt.text, got, tt.wantReply)
				}
				var questions int
				for _, q := range storetest.Questions(t, db) {
					if q.Source == "sms" {
						questions++
					}
				}
				if questions != tt.wantQuestns {
					t.Errorf("questions after %q = %d, want %d", tt.text, questions, tt.wantQuestns)
				}
			})
		})
	}
}

func TestInboundRetriedCallbackChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCallbackRig(t, db)
		for range 3 {
			if code, _ := c.post("/sms/inbound", incoming("dup-1", nurseEN, "a question")); code != http.StatusOK {
				t.Fatalf("POST /sms/inbound = %d, want 200", code)
			}
		}
		inbound, questions := len(storetest.InboundSMS(t, db)), len(storetest.Questions(t, db))
		if got := c.replies(t, nurseEN); inbound != 1 || questions != 1 || len(got) != 1 {
			t.Errorf("after 3 posts: inbound %d, questions %d, replies %d; want 1, 1, 1", inbound, questions, len(got))
		}
	})
}

func TestUnknownNumberHelpOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCallbackRig(t, db)
		c.clock.Set(at(8, 0))
		c.post("/sms/inbound", incoming("u1", unknown, "hi"))
		c.post("/sms/inbound", incoming("u2", unknown, "hello?"))
		c.clock.Set(at(8, 0).Add(24 * time.Hour))
		c.post("/sms/inbound", incoming("u3", unknown, "anyone"))
		if got := c.replies(t, unknown); len(got) != 2 {
			t.Errorf("replies over two days = %d, want 2 (one a day)", len(got))
		}
	})
}

func TestOptOutHoldsNudgesAndBroadcastsUntilStart(t *testing.T) {
	ways := []struct {
		name string
		stop func(c *callbackRig) int
	}{
		{"STOP keyword", func(c *callbackRig) int {
			code, _ := c.post("/sms/inbound", incoming("s1", nurseEN, "STOP"))
			return code
		}},
		{"ACHA keyword", func(c *callbackRig) int {
			code, _ := c.post("/sms/inbound", incoming("s1", nurseEN, "acha"))
			return code
		}},
		{"gateway opt-out", func(c *callbackRig) int {
			code, _ := c.post("/sms/optout", url.Values{"senderId": {"CHANJO"}, "phoneNumber": {nurseEN}})
			return code
		}},
		{"gateway opt-out, not a worker", func(c *callbackRig) int {
			code, _ := c.post("/sms/optout", url.Values{"senderId": {"CHANJO"}, "phoneNumber": {"0799000009"}})
			return code
		}},
	}
	for _, w := range ways {
		t.Run(w.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := newCallbackRig(t, db)
				target := nurseEN
				if strings.Contains(w.name, "not a worker") {
					target = unknown
				}
				if code := w.stop(c); code != http.StatusOK {
					t.Fatalf("opt-out = %d, want 200", code)
				}
				c.enqueue(t, nudge("n1", target), store.Outgoing{DedupeKey: "b1", Kind: store.KindBroadcast, Phone: target, Body: "broadcast 1"})
				c.drain(t)
				if n := sentTo(c.rig, target, "nudge n1", "broadcast 1"); n != 0 {
					t.Errorf("after opt-out: %d nudges and broadcasts sent, want 0", n)
				}
				if got := c.row(t, "n1").Status; got != store.OutSuppressed {
					t.Errorf("nudge status = %q, want suppressed", got)
				}
				c.post("/sms/inbound", incoming("s2", target, "START"))
				c.enqueue(t, nudge("n2", target), store.Outgoing{DedupeKey: "b2", Kind: store.KindBroadcast, Phone: target, Body: "broadcast 2"})
				c.drain(t)
				if n := sentTo(c.rig, target, "nudge n2", "broadcast 2"); n != 2 {
					t.Errorf("after START: %d nudges and broadcasts sent, want 2", n)
				}
			})
		})
	}
}

// sentTo counts the fake's messages to p with one of texts.
func sentTo(r *rig, p string, texts ...string) int {
	n := 0
	for _, m := range r.fake.Sent() {
		for _, t := range texts {
			if m.To == p && m.Text == t {
				n++
			}
		}
	}
	return n
}

func TestBadCallbacksChangeNothing(t *testing.T) {
	tests := []struct {
		name, path string
		form       url.Values
	}{
		{"inbound without id", "/sms/inbound", url.Values{"from": {nurseEN}, "text": {"STOP"}, "to": {"21512"}, "date": {"2025-03-03 07:04:45"}}},
		{"inbound with a bad date", "/sms/inbound", url.Values{"id": {"x"}, "from": {nurseEN}, "text": {"STOP"}, "to": {"21512"}, "date": {"yesterday"}}},
		{"inbound from a bad number", "/sms/inbound", url.Values{"id": {"x"}, "from": {"not a number"}, "text": {"STOP"}, "to": {"21512"}, "date": {"2025-03-03T07:04:45Z"}}},
		{"report without id", "/sms/delivery", url.Values{"status": {"Success"}}},
		{"report without status", "/sms/delivery", url.Values{"id": {"ATXid_1"}}},
		{"opt-out without number", "/sms/optout", url.Values{"senderId": {"CHANJO"}}},
		{"opt-out with a bad number", "/sms/optout", url.Values{"phoneNumber": {"12"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCallbackRig(t, storetest.SQLite(t))
			code, body := c.post(tt.path, tt.form)
			if code != http.StatusBadRequest || !strings.HasPrefix(body, "bad callback: ") {
				t.Errorf("POST %s = %d %q, want 400 with a plain reason", tt.path, code, body)
			}
			changed := len(storetest.InboundSMS(t, c.db)) + len(storetest.Outbox(t, c.db)) +
				len(storetest.OptOutPhones(t, c.db)) + storetest.OptedOutWorkers(t, c.db)
			if changed != 0 {
				t.Errorf("rows changed by a bad callback = %d, want 0", changed)
			}
		})
	}
}

func TestDeliveryReports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCallbackRig(t, db)
		c.enqueue(t, nudge("n", nurseEN))
		c.drain(t)
		id := c.fake.Sent()[0].ID
		steps := []struct {
			status, reason string
			want           string
		}{
			{"Submitted", "", "accepted/Submitted"},
			{"Buffered", "", "accepted/Buffered"},
			{"Success", "", "delivered/Success"},
			{"Success", "", "delivered/Success"},
			{"Sent", "", "delivered/Success"},
			{"Failed", "UserInBlackList", "delivered/Success"},
			{"SomethingNew", "", "delivered/Success"},
		}
		var got []string
		for _, s := range steps {
			code, _ := c.post("/sms/delivery", url.Values{"id": {id}, "status": {s.status}, "failureReason": {s.reason}, "phoneNumber": {nurseEN}})
			if code != http.StatusOK {
				t.Errorf("POST /sms/delivery status %s = %d, want 200", s.status, code)
			}
			var st storetest.Out
			for _, o := range storetest.Outbox(t, db) {
				if o.GatewayID.String == id {
					st = o
				}
			}
			got = append(got, st.Status+"/"+st.GatewayStatus)
		}
		var want []string
		for _, s := range steps {
			want = append(want, s.want)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("status after each report (-want +got):\n%s", diff)
		}
		if code, _ := c.post("/sms/delivery", url.Values{"id": {"ATXid_unknown"}, "status": {"Success"}}); code != http.StatusOK {
			t.Errorf("report for an unknown id = %d, want 200", code)
		}
	})
}
