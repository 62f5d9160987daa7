package sms_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// The G commands through the gateway's callback: G alone lists her groups, G with several groups
// asks which, G2 posts to her second group once however often the gateway retries, and a G never
// becomes a question for her mentor.
func TestGroupCommandsBySMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCallbackRig(t, db)
		en, _ := db.WorkerByPhone(ctx, nurseEN)
		sw, _ := db.WorkerByPhone(ctx, nurseSW)
		for _, name := range []string{"A nurses", "B mentors"} {
			g, err := db.CreateGroup(ctx, store.Scope{Admin: true}, 0, name, en.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.AddGroupMember(ctx, store.Scope{Admin: true}, 0, g.ID, sw.ID); err != nil {
				t.Fatal(err)
			}
		}
		say := func(id, text string) string {
			t.Helper()
			if code, _ := c.post("/sms/inbound", incoming(id, nurseEN, text)); code != http.StatusOK {
				t.Fatalf("POST /sms/inbound %q = %d, want 200", text, code)
			}
			got := c.replies(t, nurseEN)
			return got[len(got)-1]
		}
		if got := say("g1", "G"); got != "Chanjo: your groups: G1 A nurses (2), G2 B mentors (2). Send G1 and your message to write to a group." {
			t.Errorf("G alone = %q", got)
		}
		if got := say("g2", "G is anyone out of BCG?"); !strings.HasPrefix(got, "Chanjo: your groups: G1") {
			t.Errorf("G with two groups = %q, want the list", got)
		}
		for range 3 {
			if code, _ := c.post("/sms/inbound", incoming("g3", nurseEN, "g2 is anyone out of BCG?")); code != http.StatusOK {
				t.Fatal(code)
			}
		}
		if got := c.replies(t, nurseEN); got[len(got)-1] != "Chanjo: sent to 1 members of B mentors (message 1)." || len(got) != 3 {
			t.Errorf("replies = %q, want the third saying sent to 1 member", got)
		}
		groupCopies := storetest.OutWhere(t, db, func(o storetest.Out) bool { return o.GroupMessageID.Valid })
		copies, questions := len(groupCopies), len(storetest.Questions(t, db))
		if copies != 1 || questions != 0 {
			t.Errorf("copies %d, questions %d; want 1 copy to her fellow member and no question", copies, questions)
		}
		if body := groupCopies[0].Body; body != "Nurse #1: is anyone out of BCG?" {
			t.Errorf("relayed copy = %q", body)
		}
	})
}
