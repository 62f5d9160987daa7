package peer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want peer.Command
		ok   bool
	}{
		{"G", peer.Command{Kind: peer.List}, true},
		{" g ", peer.Command{Kind: peer.List}, true},
		{"G hello all", peer.Command{Kind: peer.Post, Text: "hello all"}, true},
		{"G2 hello  all", peer.Command{Kind: peer.Post, Group: 2, Text: "hello  all"}, true},
		{"G DEL 12", peer.Command{Kind: peer.Withdraw, Message: 12}, true},
		{"g del twelve", peer.Command{Kind: peer.Post, Text: "del twelve"}, true},
		{"G MUTE 0712345678", peer.Command{Kind: peer.Mute, Text: "0712345678"}, true},
		{"G2 REMOVE 0712345678", peer.Command{Kind: peer.Remove, Group: 2, Text: "0712345678"}, true},
		{"Good morning", peer.Command{}, false},
		{"GG hello", peer.Command{}, false},
		{"", peer.Command{}, false},
	} {
		got, ok := peer.Parse(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A group of more than 30 relays nothing until its supervisor turns relaying on; a muted member is
// told until when; moderation is for the group's mentors only.
func TestRelayLimitAndModeration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ws []store.Worker
		var gid int64
		for i := range store.RelayLimit + 1 {
			w, err := db.Register(ctx, store.Registration{Phone: fmt.Sprintf("+2547120001%02d", i), Name: fmt.Sprintf("N%d", i),
				Language: "en", FacilityCode: "12345", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				g, err := db.CreateGroup(ctx, store.Scope{Admin: true}, 0, "County", w.ID)
				if err != nil {
					t.Fatal(err)
				}
				gid = g.ID
			} else if err := db.AddGroupMember(ctx, store.Scope{Admin: true}, 0, gid, w.ID); err != nil {
				t.Fatal(err)
			}
			ws = append(ws, w)
		}
		say := func(w store.Worker, key, text string) string {
			t.Helper()
			cmd, _ := peer.Parse(text)
			var answer string
			err := db.Tx(ctx, func(tx *store.Tx) error {
				var err error
				answer, err = peer.Handle(ctx, db, tx, peer.Received{Command: cmd, From: w, Source: store.ChannelSMS, Key: key})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return answer
		}
		if got := say(ws[1], "k1", "G hello"); !strings.Contains(got, "not relayed") {
			t.Errorf("post to a group of 31 = %q, want not relayed", got)
		}
		if err := db.SetGroupRelay(ctx, store.Scope{Admin: true}, 0, gid, store.RelayOn); err != nil {
			t.Fatal(err)
		}
		if got := say(ws[1], "k2", "G hello"); !strings.Contains(got, "sent to 30 members") {
			t.Errorf("post after the supervisor turned relaying on = %q, want sent to 30", got)
		}
		if got := say(ws[2], "k3", "G MUTE "+ws[1].Phone); !strings.Contains(got, "only a mentor") {
			t.Errorf("a nurse's MUTE = %q, want refused", got)
		}
		storetest.Mentors(t, db, ws[0].ID)
		if got := say(ws[0], "k4", "G MUTE 0712000101"); !strings.Contains(got, "muted in County for a day") {
			t.Errorf("the mentor's MUTE = %q", got)
		}
		if got := say(ws[1], "k5", "G hello again"); !strings.Contains(got, "a mentor paused your messages") {
			t.Errorf("a muted member's post = %q, want paused", got)
		}
		if got := say(ws[0], "k6", "G REMOVE 0712000102"); !strings.Contains(got, "was removed from County") {
			t.Errorf("the mentor's REMOVE = %q", got)
		}
		if got := say(ws[2], "k7", "G"); got != "Chanjo: you are in no group." {
			t.Errorf("a removed member's G = %q", got)
		}
		if diff := cmp.Diff("Chanjo: vikundi vyako: G1 County (30). Tuma G1 na ujumbe wako kuandikia kikundi.",
			say(store.Worker{ID: ws[3].ID, Language: "sw"}, "k8", "G")); diff != "" {
			t.Errorf("G in Kiswahili (-want +got):\n%s", diff)
		}
	})
}
