package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestChannelPause: one pause a channel, begun once and kept as it began;
// one probe taken per due time among instances; resumed once.
func TestChannelPause(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 3, 7, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		probe := now.Add(3 * time.Minute)
		if began, err := db.PauseChannel(ctx, store.ChannelSMS, "The supplied authentication is invalid", probe); !began || err != nil {
			t.Fatalf("PauseChannel = %v, %v, want true (began)", began, err)
		}
		now = now.Add(time.Minute)
		if began, err := db.PauseChannel(ctx, store.ChannelSMS, "InsufficientBalance", probe); began || err != nil {
			t.Errorf("second PauseChannel = %v, %v, want false: already paused", began, err)
		}
		p, ok, err := db.ChannelPause(ctx, store.ChannelSMS)
		want := store.Pause{Channel: "sms", Reason: "The supplied authentication is invalid", BeganAt: now.Add(-time.Minute), ProbeAt: probe}
		if !ok || err != nil || p.Reason != want.Reason || !p.BeganAt.Equal(want.BeganAt) || !p.ProbeAt.Equal(want.ProbeAt) {
			t.Errorf("ChannelPause = %+v, %v, %v, want %+v", p, ok, err, want)
		}
		if _, ok, _ := db.ChannelPause(ctx, "whatsapp"); ok {
			t.Errorf("whatsapp paused with sms, want channels apart")
		}
		if took, err := db.TakeProbe(ctx, store.ChannelSMS, now.Add(3*time.Minute)); took || err != nil {
			t.Errorf("TakeProbe before it is due = %v, %v, want false", took, err)
		}
		now = probe
		took := 0
		for range 3 { // three instances
			if ok, err := db.TakeProbe(ctx, store.ChannelSMS, now.Add(3*time.Minute)); err != nil {
				t.Fatal(err)
			} else if ok {
				took++
			}
		}
		if took != 1 {
			t.Errorf("instances that took the due probe = %d, want 1", took)
		}
		if p, ok, err := db.ResumeChannel(ctx, store.ChannelSMS); !ok || err != nil || p.Reason != want.Reason {
			t.Errorf("ResumeChannel = %+v, %v, %v, want the pause ended", p, ok, err)
		}
		if _, ok, err := db.ResumeChannel(ctx, store.ChannelSMS); ok || err != nil {
			t.Errorf("second ResumeChannel = %v, %v, want false", ok, err)
		}
	})
}

// TestOptOutRecord: every way of opting out keeps who, when, the channel
// and why, the latest replacing the earlier; START forgets it and lets
// broadcasts through again.
func TestOptOutRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.Register(ctx, store.Registration{Phone: "+254711000001", Name: "Nurse", FacilityCode: "12345", Language: "en", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []store.OptOut{
			{Phone: "+254711000001", Channel: store.ChannelSMS, Reason: store.OptOutKeyword, Detail: "STOP by SMS"},
			{Phone: "+254711000001", Channel: store.ChannelSMS, Reason: store.OptOutGatewayBlacklist, Detail: "send answer: UserInBlacklist"},
		} {
			if err := db.RecordOptOut(ctx, db, o); err != nil {
				t.Fatal(err)
			}
		}
		o, ok, err := db.OptOutOf(ctx, "+254711000001")
		if !ok || err != nil || o.WorkerID != w.ID || o.Reason != store.OptOutGatewayBlacklist || o.Detail != "send answer: UserInBlacklist" || o.At.IsZero() {
			t.Errorf("OptOutOf = %+v, %v, %v, want the blacklist record of worker %d", o, ok, err, w.ID)
		}
		if _, err := db.Enqueue(ctx, db, store.Outgoing{DedupeKey: "b1", Kind: store.KindBroadcast, Phone: "+254711000001", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil || l.Suppressed != 1 {
			t.Errorf("Claim after the opt-out = %+v, %v, want the broadcast suppressed", l, err)
		}
		if err := db.OptIn(ctx, db, "+254711000001"); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := db.OptOutOf(ctx, "+254711000001"); ok || err != nil {
			t.Errorf("OptOutOf after START = %v, %v, want none", ok, err)
		}
	})
}

// TestFinalStatusesAllowed: the statuses of migration 0011 are accepted by
// the outbox on both dialects, and a claim never hands them out.
func TestFinalStatusesAllowed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		statuses := []string{store.OutUnconfirmed, store.OutExpired, store.OutNotSent}
		for i := range statuses {
			if _, err := db.Enqueue(ctx, db, broadcastMsgs(3)[i]); err != nil {
				t.Fatal(err)
			}
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil || len(l.Msgs) != 3 {
			t.Fatalf("Claim = %+v, %v", l, err)
		}
		rs := make([]store.Result, 3)
		for i, m := range l.Msgs {
			rs[i] = store.Result{ID: m.ID, Status: statuses[i], Reason: "why"}
		}
		if err := db.Finish(ctx, "a", rs); err != nil {
			t.Fatalf("Finish with %v: %v", statuses, err)
		}
		if l, err := db.Claim(ctx, store.ClaimOptions{Owner: "b", Limit: 10, Lease: time.Minute}); err != nil || len(l.Msgs) != 0 {
			t.Errorf("Claim after = %d rows, %v, want none", len(l.Msgs), err)
		}
	})
}
