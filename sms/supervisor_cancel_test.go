package sms_test

import (
	"net/http"
	"strings"
	"testing"

	"chanjo/store"
	"chanjo/store/storetest"
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
				if n := c.count(t, "outbox WHERE kind = 'broadcast' AND status = 'cancelled'"); n != tt.cancelled {
					t.Errorf("broadcast SMS cancelled = %d, want %d", n, tt.cancelled)
				}
				c.drain(t)
				for _, m := range c.fake.Sent() {
					if strings.HasPrefix(m.Text, "Meeting") {
						t.Errorf("a cancelled or dropped broadcast was sent to %s", m.To)
					}
				}
			})
		})
	}
}
