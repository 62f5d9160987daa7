package sms_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestGroupDigestAfterQuietHours: six group messages posted during quiet
// hours wait for a member on SMS; at 07:00 she gets them as digests, in
// her language, each within peer.DigestSegments parts, holding all six in
// the order they were posted, each once; the outbox records every copy
// sent, and nothing goes again; the SMS parts counted are those sent.
func TestGroupDigestAfterQuietHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
		r.clock.Set(at(21, 0))
		var ws []store.Worker
		for i, name := range []string{"Amina", "Otieno", "Wanjiku"} {
			lang := map[bool]string{true: "sw", false: "en"}[name == "Wanjiku"]
			w, err := db.Register(ctx, store.Registration{Phone: fmt.Sprintf("+25471100030%d", i), Name: name, Language: lang,
				FacilityCode: "12345", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			ws = append(ws, w)
		}
		storetest.Group(t, db, "Kibra nurses", r.clock.Now(), ws[0].ID, ws[1].ID, ws[2].ID)
		var texts []string
		for i := range 6 {
			from := ws[i%2]
			text := fmt.Sprintf("message %d: the fridge log shows 9 degrees this evening, we moved the vials to the cool box", i+1)
			texts = append(texts, text)
			err := db.Tx(ctx, func(tx *store.Tx) error {
				_, err := peer.Handle(ctx, db, tx, peer.Received{Command: peer.Command{Kind: peer.Post, Text: text}, From: from,
					Source: store.ChannelSMS, Key: fmt.Sprintf("sms:%d", i)})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		toHer := func() []string {
			var out []string
			for _, m := range r.fake.Sent() {
				if "+"+strings.TrimPrefix(m.To, "+") == ws[2].Phone {
					out = append(out, m.Text)
				}
			}
			return out
		}
		r.drain(t)
		if got := toHer(); len(got) != 0 {
			t.Fatalf("during quiet hours she got %q, want nothing", got)
		}
		r.clock.Set(at(21, 0).Add(10 * time.Hour))
		r.drain(t)
		r.drain(t)
		got := toHer()
		if len(got) == 0 || len(got) >= 6 {
			t.Fatalf("at 07:00 she got %d SMS, want the six in fewer digests: %q", len(got), got)
		}
		all := strings.Join(got, "\n")
		last := -1
		for _, text := range texts {
			if n := strings.Count(all, text); n != 1 {
				t.Errorf("%q is in her SMS %d times, want once", text, n)
			}
			at := strings.Index(all, text)
			if at < last {
				t.Errorf("%q came before an earlier message", text)
			}
			last = at
		}
		for _, s := range got {
			if !strings.HasPrefix(s, "Jumbe ") || gsm.Segments(s).Segments > peer.DigestSegments {
				t.Errorf("digest %q: want Kiswahili, within %d parts (it takes %d)", s, peer.DigestSegments, gsm.Segments(s).Segments)
			}
		}
		queued := len(storetest.OutWhere(t, db, func(o storetest.Out) bool { return o.GroupMessageID.Valid && o.Status == "queued" }))
		sent := len(storetest.OutWhere(t, db, func(o storetest.Out) bool {
			return o.GroupMessageID.Valid && o.WorkerID.Int64 == ws[2].ID && o.Status == "accepted"
		}))
		if queued != 0 || sent != 6 {
			t.Errorf("outbox: %d copies queued, %d to her accepted; want 0 and 6", queued, sent)
		}
		// The parts counted are the parts sent: a digest's riders add none.
		parts := 0
		for _, m := range r.fake.Sent() {
			parts += gsm.Segments(m.Text).Segments
		}
		d, err := db.Dashboard(ctx, store.Scope{Admin: true}, r.clock.Now().AddDate(0, -1, 0))
		if err != nil {
			t.Fatal(err)
		}
		if d.SMS.Parts != parts {
			t.Errorf("dashboard: %d SMS parts sent, want the %d the gateway took", d.SMS.Parts, parts)
		}
	})
}
