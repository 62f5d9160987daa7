package whatsapp

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// groupRig is a 12-member peer group: 7 on WhatsApp (chose it and wrote), 5 on SMS, the first SMS
// member a mentor.
type groupRig struct {
	*sendRig
	group int64
	wa    []store.Worker
	sms   []store.Worker
}

func newGroupRig(t *testing.T, db *store.DB) *groupRig {
	ctx := context.Background()
	g := &groupRig{sendRig: newSendRig(t, db, "T")}
	for i := range 12 {
		p := fmt.Sprintf("+2547110001%02d", i)
		w, err := db.Register(ctx, store.Registration{Phone: p, Name: fmt.Sprintf("Nurse %d", i), Language: "en", FacilityCode: "12345", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			grp, err := db.CreateGroup(ctx, store.Scope{Admin: true}, 0, "Kisumu nurses", w.ID)
			if err != nil {
				t.Fatal(err)
			}
			g.group = grp.ID
		} else if err := db.AddGroupMember(ctx, store.Scope{Admin: true}, 0, g.group, w.ID); err != nil {
			t.Fatal(err)
		}
		if i < 7 {
			g.nurseOnWhatsApp(w)
			g.wa = append(g.wa, w)
		} else {
			g.sms = append(g.sms, w)
		}
	}
	storetest.Mentors(t, db, g.sms[0].ID)
	storetest.NameFacility(t, db, "12345", "Kisumu HC")
	g.sms[0].Role = store.RoleMentor
	return g
}

func (g *groupRig) nurseOnWhatsApp(w store.Worker) {
	g.t.Helper()
	if err := g.db.SetWorkerChannel(context.Background(), w.ID, store.ChannelWhatsApp); err != nil {
		g.t.Fatal(err)
	}
	g.fake.Inbound(strings.TrimPrefix(w.Phone, "+"), "Habari")
	g.settle()
}

// bySMS handles text from w as the SMS handler does.
func (g *groupRig) bySMS(w store.Worker, text, id string) string {
	g.t.Helper()
	cmd, ok := peer.Parse(text)
	if !ok {
		g.t.Fatalf("peer.Parse(%q) = not a group command", text)
	}
	full, err := g.db.WorkerByPhone(context.Background(), w.Phone)
	if err != nil {
		g.t.Fatal(err)
	}
	var answer string
	err = g.db.Tx(context.Background(), func(tx *store.Tx) error {
		var err error
		answer, err = peer.Handle(context.Background(), g.db, tx, peer.Received{Command: cmd, From: full, Source: store.ChannelSMS, Key: "sms:" + id})
		return err
	})
	if err != nil {
		g.t.Fatal(err)
	}
	return answer
}

// messageID returns the number of the group message that came in the message key.
func (g *groupRig) messageID(key string) int64 {
	g.t.Helper()
	for _, m := range storetest.GroupPosts(g.t, g.db) {
		if m.InboundKey == key {
			return m.ID
		}
	}
	g.t.Fatalf("no group message came in %s", key)
	return 0
}

// copies returns the outbox rows of group message id by phone.
func (g *groupRig) copies(id int64) map[string]outboxRow {
	g.t.Helper()
	out := map[string]outboxRow{}
	for _, r := range storetest.OutWhere(g.t, g.db, func(o storetest.Out) bool { return o.GroupMessageID.Valid && o.GroupMessageID.Int64 == id }) {
		if _, dup := out[r.Phone]; dup {
			g.t.Errorf("group message %d queued twice to %s", id, r.Phone)
		}
		out[r.Phone] = rowOf(r)
	}
	return out
}

// Must-show 4: a G message from an SMS member reaches the 11 others once each, on their channel
// (free-form inside a WhatsApp member's window, the group template outside it); quiet hours hold the
// SMS copies; a mentor withdraws a message from those who have not got it; STOP'd members get nothing.
func TestPeerGroupAcrossChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		g := newGroupRig(t, db)
		sender := g.sms[1]
		// The last WhatsApp member's window has closed: her copy is the group template.
		storetest.WhatsAppHeardAt(t, db, g.wa[6].Phone, g.clock().Add(-Window-time.Hour))
		answer := g.bySMS(sender, "G Who has BCG diluent to spare?", "at1")
		if !strings.Contains(answer, "sent to 11 members of Kisumu nurses (message 1)") {
			t.Errorf("answer to the sender = %q, want sent to 11 members", answer)
		}
		if again := g.bySMS(sender, "G Who has BCG diluent to spare?", "at1"); again != "" {
			t.Errorf("the same SMS received again answered %q, want nothing (posted once)", again)
		}
		copies := g.copies(1)
		if len(copies) != 11 {
			t.Fatalf("copies of message 1 = %d, want 11", len(copies))
		}
		for _, w := range g.wa {
			if copies[w.Phone].Channel != store.ChannelWhatsApp {
				t.Errorf("copy to WhatsApp member %s: %+v, want whatsapp", w.Phone, copies[w.Phone])
			}
		}
		for _, w := range g.sms[2:] {
			if copies[w.Phone].Channel != store.ChannelSMS {
				t.Errorf("copy to SMS member %s: %+v, want sms", w.Phone, copies[w.Phone])
			}
		}

		// Quiet hours hold the SMS copies; after them each SMS member's copy is claimed once.
		held, err := db.Claim(ctx, store.ClaimOptions{Owner: "sms", Limit: 100, Lease: time.Minute, Quiet: true, Channel: store.ChannelSMS})
		if err != nil || len(held.Msgs) != 0 {
			t.Errorf("SMS claim in quiet hours = %+v, %v; want nothing", held.Msgs, err)
		}
		g.once()
		g.settle()
		const want = "Nurse 8 (Kisumu HC) #1: Who has BCG diluent to spare?"
		for i, w := range g.wa {
			sent := g.sentTo(w.Phone)
			if len(sent) != 1 || !strings.Contains(string(sent[0].Body), want) {
				t.Errorf("WhatsApp member %d got %d messages, want one with %q", i, len(sent), want)
				continue
			}
			kind := sent[0].Type
			if i == 6 && (kind != "template" || templateOf(t, sent[0]) != "chanjo_group_message/en") {
				t.Errorf("member outside her window got %s %s, want the group template", kind, templateOf(t, sent[0]))
			}
			if i < 6 && kind != "text" {
				t.Errorf("member %d inside her window got a %s, want free-form text", i, kind)
			}
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "sms", Limit: 100, Lease: time.Minute, Channel: store.ChannelSMS})
		if err != nil || len(l.Msgs) != 4 {
			t.Fatalf("SMS claim after quiet hours = %d rows, %v; want the 4 SMS members' copies", len(l.Msgs), err)
		}
		for _, m := range l.Msgs {
			if m.Body != want {
				t.Errorf("SMS copy to %s = %q, want %q", m.Phone, m.Body, want)
			}
		}
		if _, err := db.Release(ctx, "sms", ""); err != nil {
			t.Fatal(err)
		}

		// A WhatsApp member writes to the group from her chat; the mentor withdraws it before it goes.
		wamid := g.fake.Inbound(strings.TrimPrefix(g.wa[0].Phone, "+"), "G Sorry, wrong group")
		g.settle()
		second := g.messageID("wa:" + wamid)
		if n := len(g.copies(second)); n != 11 {
			t.Fatalf("copies of the WhatsApp member's message = %d, want 11", n)
		}
		del := fmt.Sprintf("G DEL %d", second)
		if answer := g.bySMS(g.sms[2], del, "at2"); !strings.Contains(answer, "only a mentor") {
			t.Errorf("a nurse's G DEL = %q, want refused", answer)
		}
		if answer := g.bySMS(g.sms[0], del, "at3"); !strings.Contains(answer, fmt.Sprintf("message %d withdrawn: 11 members", second)) {
			t.Errorf("the mentor's G DEL = %q, want 11 withdrawn", answer)
		}
		before := len(g.fake.Sent())
		g.once()
		g.settle()
		for _, m := range g.fake.Sent()[before:] {
			if strings.Contains(string(m.Body), "wrong group") {
				t.Errorf("withdrawn message reached %s", m.To)
			}
		}
		if sent := g.sentTo(g.wa[0].Phone); len(sent) != 2 || !strings.Contains(string(sent[1].Body), fmt.Sprintf("sent to 11 members of Kisumu nurses (message %d)", second)) {
			t.Errorf("the WhatsApp sender got %d messages, want message 1 and the answer to hers on WhatsApp", len(sent))
		}

		// STOP'd members get nothing.
		if _, err := db.SetOptOut(ctx, g.sms[4].Phone, true); err != nil {
			t.Fatal(err)
		}
		g.bySMS(sender, "G Thank you all", "at4")
		copies = g.copies(g.messageID("sms:at4"))
		if _, got := copies[g.sms[4].Phone]; got || len(copies) != 10 {
			t.Errorf("copies after a member's STOP = %d (hers: %v), want 10 and none to her", len(copies), got)
		}
	})
}
