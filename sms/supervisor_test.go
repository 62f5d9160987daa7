package sms_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

const supervisorPhone = "+254722000001"

// supervisorRig is a rig whose callback router knows the segment price, a
// supervisor of Kibra with a phone, and nurses in Kibra and Embakasi: two
// Kibra nurses can get SMS, a third opted out.
func newSupervisorRig(t *testing.T, db *store.DB) *callbackRig {
	t.Helper()
	r := newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
	ctx, now := context.Background(), r.clock.Now()
	_, err := db.CreateUser(ctx, store.NewUser{Name: "wanjiru", Role: store.RoleSupervisor, PasswordHash: "x",
		Phone: supervisorPhone, SubCounties: []string{"Kibra"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range []struct{ phone, subCounty string }{
		{"+254711000101", "Kibra"}, {"+254711000102", "Kibra"}, {"+254711000103", "Kibra"}, {"+254711000201", "Embakasi"},
	} {
		f := storetest.Facility(t, db, "F-"+w.subCounty, w.subCounty, w.subCounty, "", now)
		id := storetest.Worker(t, db, w.phone, "Nurse", f, store.StatusActive, now)
		if i == 2 {
			storetest.OptedOut(t, db, id)
		}
	}
	g := gin.New()
	h := sms.NewHandler(db, "*384*123#", nairobi, slog.New(slog.DiscardHandler), nil)
	h.Price = store.Price{PerSegment: 0.8, Currency: "KES"}
	h.Quiet = sms.QuietHours{Start: 19 * 60, End: 7 * 60}
	h.Register(g)
	return &callbackRig{rig: r, router: g}
}

// lastReply returns the newest reply queued for p.
func (c *callbackRig) lastReply(t *testing.T, p string) string {
	t.Helper()
	rs := c.replies(t, p)
	if len(rs) == 0 {
		t.Fatalf("no reply to %s", p)
	}
	return rs[len(rs)-1]
}

// broadcasts returns how many broadcasts the console lists.
func (c *callbackRig) broadcasts(t *testing.T) int {
	t.Helper()
	bs, err := c.db.Broadcasts(context.Background(), store.Scope{Admin: true}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(bs)
}

// broadcastSMS returns the broadcast SMS queued that keep accepts.
func (c *callbackRig) broadcastSMS(t *testing.T, keep func(storetest.Out) bool) []storetest.Out {
	t.Helper()
	return storetest.OutWhere(t, c.db, func(o storetest.Out) bool { return o.Kind == store.KindBroadcast && keep(o) })
}

func TestBroadcastBySMS(t *testing.T) {
	type step struct {
		wait  time.Duration
		text  string
		reply string // a phrase of the reply
	}
	tests := []struct {
		name       string
		steps      []step
		broadcasts int
	}{
		{"BC then YES", []step{
			{0, "BC kibra Cold chain meeting on Friday at 9.", "BC to kibra: 2 recipients, 1 SMS each, about KES 1.60. Reply YES"},
			{9 * time.Minute, "yes", "going out to 2 recipients"},
		}, 1},
		{"NDIYO confirms too", []step{{0, "bc Kibra Mkutano Ijumaa.", "Jibu NDIYO"}, {time.Minute, "Ndiyo", "Tangazo lako"}}, 1},
		{"YES after 10 minutes", []step{{0, "BC Kibra Meeting.", "Reply YES"}, {10 * time.Minute, "YES", "more than 10 minutes"}}, 0},
		{"another's sub-county", []step{{0, "BC Embakasi Meeting.", "Embakasi is not one of your sub-counties"}, {0, "YES", "no broadcast is waiting"}}, 0},
		{"unknown audience", []step{{0, "BC Nowhere Meeting.", "no group or sub-county called Nowhere"}}, 0},
		{"no message", []step{{0, "BC Kibra", "the message is missing; nothing was sent. Send BC Kibra <message>"}}, 0},
		{"nothing after BC", []step{{0, "BC", "send BC <group or sub-county> <message>"}}, 0},
		{"long message is shown, YES confirms it", []step{
			{0, "BC Kibra " + strings.Repeat("Chanjo ya surua Ijumaa. ", 30), "2 recipients, 5 SMS each, about KES 8.00"},
			{0, "YES", "going out"},
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := newSupervisorRig(t, db)
				for i, s := range tt.steps {
					c.clock.Set(c.clock.Now().Add(s.wait))
					if code, body := c.post("/sms/inbound", incoming("sup-"+string(rune('a'+i)), supervisorPhone, s.text)); code != http.StatusOK {
						t.Fatalf("POST /sms/inbound %q = %d %q, want 200", s.text, code, body)
					}
					if got := c.lastReply(t, supervisorPhone); !strings.Contains(got, s.reply) {
						t.Errorf("reply to %q = %q, want it to contain %q", s.text, got, s.reply)
					}
				}
				if n := c.broadcasts(t); n != tt.broadcasts {
					t.Errorf("broadcasts = %d, want %d", n, tt.broadcasts)
				}
				if n, want := len(c.broadcastSMS(t, func(storetest.Out) bool { return true })), 2*tt.broadcasts; n != want {
					t.Errorf("broadcast SMS queued = %d, want %d", n, want)
				}
				if n := len(storetest.Questions(t, c.db)); n != 0 {
					t.Errorf("supervisor commands stored as questions: %d", n)
				}
			})
		})
	}
}

func TestBroadcastBySMSIsDelivered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newSupervisorRig(t, db)
		for i, text := range []string{"BC Kibra Meeting on Friday.", "YES", "YES"} {
			c.post("/sms/inbound", incoming("del-"+string(rune('a'+i)), supervisorPhone, text))
		}
		c.post("/sms/inbound", incoming("del-b", supervisorPhone, "YES")) // the gateway retries a callback
		c.drain(t)
		var sent []string
		for _, m := range c.fake.Sent() {
			if m.Text == "Chanjo: Meeting on Friday." {
				sent = append(sent, m.To)
				code, _ := c.post("/sms/delivery", url.Values{"id": {m.ID}, "status": {"Success"}, "phoneNumber": {m.To}, "networkCode": {"99999"}})
				if code != http.StatusOK {
					t.Fatalf("POST /sms/delivery = %d, want 200", code)
				}
			}
		}
		if len(sent) != 2 {
			t.Fatalf("broadcast sent to %v, want the two Kibra nurses who did not opt out", sent)
		}
		list, err := db.Broadcasts(context.Background(), store.Scope{Admin: true}, 10)
		if err != nil || len(list) != 1 || list[0].Counts != (store.BroadcastCounts{Delivered: 2}) {
			t.Errorf("Broadcasts = %+v, %v; want one with 2 delivered", list, err)
		}
		if got := c.lastReply(t, supervisorPhone); !strings.Contains(got, "no broadcast is waiting") {
			t.Errorf("reply to a second YES = %q, want no broadcast waiting", got)
		}
	})
}
