package ussd

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestReplayKeepsFreeTextWhole: after a lost session (a restart on the
// embedded Redis, a TTL) the gateway's whole text is replayed; a free-text
// screen takes the rest of it, '*' included, up to the parts the screens
// after it accept, and nothing is written for a split that was not taken.
func TestReplayKeepsFreeTextWhole(t *testing.T) {
	tests := []struct {
		name, phone, text string
		want              string   // the start of the answer
		outbox            []string // bodies queued by the hop
	}{
		{"question shown whole", "+254700000001", "5*1*Is 2*3 ok?",
			"CON Send this question?\nIs 2*3 ok?\n1 Send", nil},
		{"question sent whole", "+254700000002", "5*1*Is 2*3 ok?*1",
			"END Sent as Q1.", []string{"Q1 from Achieng (Chanjo Demo): Is 2*3 ok?, reply A1 <answer>"}},
		{"a last part the next screen refuses is text", "+254700000003", "5*1*Is 2*3",
			"CON Send this question?\nIs 2*3\n1 Send", nil},
		{"a choice that would write is only tried last", "+254700000004", "5*1*Use 1*2 vials",
			"CON Send this question?\nUse 1*2 vials\n1 Send", nil},
		{"a name followed by the screens after it", "+254711000009", "1*1*Jane*Wambui*12345*1*1",
			"END Thank you for registering", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, false)
			// No hop came before in this session: the text is replayed.
			_, got := e.post("lost-"+tt.phone, tt.phone, tt.text)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("replay of %q = %q, want it to start %q", tt.text, got, tt.want)
			}
			bodies := storetest.Bodies(storetest.Outbox(t, e.db))
			if diff := cmp.Diff(tt.outbox, bodies); diff != "" {
				t.Errorf("outbox after %q (-want +got):\n%s", tt.text, diff)
			}
		})
	}
	t.Run("the name is kept whole", func(t *testing.T) {
		e := newTestEnv(t, false)
		e.post("lost-name", "+254711000009", "1*1*Jane*Wambui*12345*1*1")
		w, err := e.db.WorkerByPhone(context.Background(), "+254711000009")
		if err != nil || w.Name != "Jane*Wambui" {
			t.Errorf("registered name = %q, %v, want Jane*Wambui", w.Name, err)
		}
	})
}

// TestShowNeverWrites shows every state of every tree, for a nurse and a
// mentor, on a store that refuses every write: a screen only reads, so that
// "98 More" and an item's action (which shows the screen again) record
// nothing twice.
func TestShowNeverWrites(t *testing.T) {
	e := newTestEnv(t, false)
	dry := e.svc.m.dry()
	for state, node := range dry.nodes {
		for _, role := range []string{"nurse", "mentor"} {
			// A lesson page with a real lesson, so that its Show has a page to mark if it would.
			s := Session{Frames: []Frame{{State: state, Key: "rec-tally", N: 1}}, Nurse: Nurse{ID: 1, Name: "Achieng", Role: role, Lang: "en"}}
			c := &Ctx{Context: context.Background(), S: &s, m: dry}
			if _, err := node.Show(c); errors.Is(err, errDryRun) {
				t.Errorf("Show(%s) as a %s writes: %v", state, role, err)
			}
		}
	}
}
