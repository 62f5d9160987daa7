package sms_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestBroadcastCancelledBySMS(t *testing.T) {
	tests := []struct {
		name      string
		texts     []string
		reply     string // a phrase of the reply to the last text
		cancelled int    // broadcast SMS cancelled in the end
	}{
		{"after YES", []string{"BC Kibra Meeting moved to Monday.", "YES", "bc cancel"},
			`cancelled your broadcast "Meeting moved to Monday.": 2 SMS will not be sent`, 2},
		{"twice", []string{"BC Kibra Meeting moved to Monday.", "YES", "BC CANCEL", "BC CANCEL."}, "no broadcast of yours is waiting", 2},
		{"before YES", []string{"BC Kibra Meeting moved to Monday.", "BC CANCEL"}, "the broadcast waiting for YES is dropped", 0},
		{"YES after the draft is dropped", []string{"BC Kibra Meeting.", "BC CANCEL", "YES"}, "no broadcast is waiting", 0},
		{"nothing sent", []string{"BC CANCEL"}, "nothing was cancelled", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := newSupervisorRig(t, db)
				for i, text := range tt.texts {
					if code, body := c.post("/sms/inbound", incoming("can-"+string(rune('a'+i)), supervisorPhone, text)); code != http.StatusOK {
						t.Fatalf("POST /sms/inbound %q = %d %q, want 200", text, code, body)
					}
				}
				if got := c.lastReply(t, supervisorPhone); !strings.Contains(got, tt.reply) {
					t.Errorf("reply to %q = %q, want it to contain %q", tt.texts[len(tt.texts)-1], got, tt.reply)
				}
				if n := len(c.broadcastSMS(t, func(o storetest.Out) bool { return o.Status == store.OutCancelled })); n != tt.cancelled {
					t.Errorf("broadcast SMS cancelled = %d, want %d", n, tt.cancelled)
				}
				c.drain(t)
				for _, m := range c.fake.Sent() {
					if m.To != supervisorPhone && strings.Contains(m.Text, "Meeting") {
						t.Errorf("a cancelled or dropped broadcast was sent to %s", m.To)
					}
				}
			})
		})
	}
}

func TestBroadcastBySMSUrgentAndMessageMissing(t *testing.T) {
	tests := []struct {
		name, text, reply string
		urgent            bool
	}{
		{"BC! is urgent and repeats the text", "BC! Kibra Outreach moved to 6am.",
			`Urgent BC (also in quiet hours) to Kibra: 2 recipients, 1 SMS each, about KES 1.60. Reply YES within 10 minutes to send: "Outreach moved to 6am."`, true},
		{"BC repeats the text", "bc Cold Chain Team Bring the cold box.", `to Cold Chain Team: 2 recipients, 1 SMS each, about KES 1.60. Reply YES within 10 minutes to send: "Bring the cold box."`, false},
		{"a group of three words and no message", "BC Cold Chain Team", "the message is missing; nothing was sent. Send BC Cold Chain Team <message>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := newSupervisorRig(t, db)
				var members []int64
				for _, p := range []string{"+254711000101", "+254711000102"} {
					w, err := db.WorkerByPhone(context.Background(), p)
					if err != nil {
						t.Fatal(err)
					}
					members = append(members, w.ID)
				}
				storetest.Group(t, db, "Cold Chain Team", c.clock.Now(), members...)
				c.post("/sms/inbound", incoming("urg-a", supervisorPhone, tt.text))
				if got := c.lastReply(t, supervisorPhone); !strings.Contains(got, tt.reply) {
					t.Errorf("reply to %q = %q, want it to contain %q", tt.text, got, tt.reply)
				}
				c.post("/sms/inbound", incoming("urg-b", supervisorPhone, "YES"))
				urgent := len(c.broadcastSMS(t, func(o storetest.Out) bool { return o.Urgent }))
				if want := map[bool]int{true: 2}[tt.urgent]; urgent != want {
					t.Errorf("urgent broadcast SMS = %d, want %d", urgent, want)
				}
			})
		})
	}
}

func TestBroadcastBySMSSaysQuietHoursHoldIt(t *testing.T) {
	tests := []struct {
		name, bc, draft, reply string
	}{
		{"held", "BC Kibra Meeting moved to Monday.", "1 SMS each, about KES 1.60. Quiet hours hold it until 07:00 (BC! skips them). Reply YES",
			`your broadcast "Meeting moved to Monday." to 2 recipients is held for quiet hours until 07:00; it goes then, no need to resend`},
		{"urgent goes now", "BC! Kibra Meeting moved to Monday.", "1 SMS each, about KES 1.60. Reply YES", `your broadcast "Meeting moved to Monday." is going out to 2 recipients`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := newSupervisorRig(t, db)
				c.clock.Set(at(23, 21))
				c.post("/sms/inbound", incoming("q-a", supervisorPhone, tt.bc))
				if got := c.lastReply(t, supervisorPhone); !strings.Contains(got, tt.draft) {
					t.Errorf("reply to %q at 23:21 = %q, want it to contain %q", tt.bc, got, tt.draft)
				}
				c.post("/sms/inbound", incoming("q-b", supervisorPhone, "YES"))
				if got := c.lastReply(t, supervisorPhone); !strings.Contains(got, tt.reply) {
					t.Errorf("reply to YES at 23:21 = %q, want it to contain %q", got, tt.reply)
				}
			})
		})
	}
}
