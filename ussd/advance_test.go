package ussd

import (
	"context"
	"strings"
	"testing"
)

// TestStep drives the machine without HTTP or Redis: a session and an input
// give the next session and screen.
func TestStep(t *testing.T) {
	e := newTestEnv(t, false)
	m := e.svc.m
	ctx := context.Background()
	const p = "+254700000014"
	home, _, err := m.Dial(ctx, p, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		inputs []string
		top    State
		depth  int
		prefix string
	}{
		{[]string{"6"}, StSettings, 2, "CON Settings"},
		{[]string{"6", "3", "98"}, StAbout, 4, "CON Tips come by SMS"},
		{[]string{"6", "3", "98", "0"}, StAbout, 3, "CON Chanjo helps"},
		{[]string{"6", "3", "00"}, StHome, 1, "CON Chanjo - Hi"},
		{[]string{"6", "3", "98", "98", "98"}, StAbout, 5, "CON Your supervisor sees"}, // the last page stays
		{[]string{"6", "3", "98", "9"}, StAbout, 4, "CON Invalid choice.\nTips come by SMS"},
		{[]string{" 6 ", "\t1"}, StSetLang, 3, "CON Choose your language"},
		{[]string{"0"}, StBye, 1, "END Thank you for using Chanjo."},
		{[]string{"6", "0", "00"}, StBye, 1, "END Thank you for using Chanjo."},
	}
	for _, tt := range tests {
		s, reply := home, ""
		for _, in := range tt.inputs {
			if s, reply, err = m.Step(ctx, p, s, in); err != nil {
				t.Fatal(err)
			}
		}
		if s.Top().State != tt.top || len(s.Frames) != tt.depth || !strings.HasPrefix(reply, tt.prefix) {
			t.Errorf("Step(%v) = top %s depth %d %q, want %s depth %d %q...", tt.inputs, s.Top().State, len(s.Frames), reply, tt.top, tt.depth, tt.prefix)
		}
	}
	if len(home.Frames) != 1 {
		t.Errorf("Step changed the session it started from: %v", home.Frames)
	}
}

func TestAdvanceReconcilesText(t *testing.T) {
	e := newTestEnv(t, false)
	m := e.svc.m
	ctx := context.Background()
	const p = "+254711000009"
	s, _, _, err := m.Advance(ctx, p, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"1", "1*1", "1*1*Ann*Mary"} {
		if s, _, _, err = m.Advance(ctx, p, &s, nil, in); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Reg.Name; got != "Ann*Mary" {
		t.Errorf("name after texts 1, 1*1*Ann*Mary = %q, want %q", got, "Ann*Mary")
	}
	same, reply, changed, _ := m.Advance(ctx, p, &s, nil, "1*1*Ann*Mary")
	if changed || reply != s.Reply || same.Text != s.Text {
		t.Errorf("repeated text: changed %v reply %q, want unchanged %q", changed, reply, s.Reply)
	}
	replayed, _, _, err := m.Advance(ctx, p, &s, nil, "1*1*Bo Kim")
	if err != nil || replayed.Top().State != StRegFacility || replayed.Reg.Name != "Bo Kim" {
		t.Errorf("text that does not extend: top %s name %q, %v; want replayed to %s with Bo Kim", replayed.Top().State, replayed.Reg.Name, err, StRegFacility)
	}
	fresh, _, _, _ := m.Advance(ctx, p, nil, nil, "1*1*Bo Kim")
	if fresh.Reply != replayed.Reply {
		t.Errorf("replay without a session = %q, want %q (deterministic)", fresh.Reply, replayed.Reply)
	}
}
