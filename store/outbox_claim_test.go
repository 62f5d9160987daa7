package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// outboxClock is a settable outboxClock for the store.
type outboxClock struct{ t time.Time }

func (c *outboxClock) now() time.Time { return c.t }

func enqueueAll(t *testing.T, db *store.DB, msgs ...store.Outgoing) {
	t.Helper()
	if _, err := db.Enqueue(context.Background(), db, msgs...); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
}

func claimKeys(t *testing.T, db *store.DB, opt store.ClaimOptions) []string {
	t.Helper()
	l, err := db.Claim(context.Background(), opt)
	if err != nil {
		t.Fatalf("Claim(%+v): %v", opt, err)
	}
	var bodies []string
	for _, m := range l.Msgs {
		bodies = append(bodies, m.Body)
	}
	return bodies
}

func TestClaimOrderAndQuietHours(t *testing.T) {
	tests := []struct {
		name  string
		quiet bool
		want  []string
	}{
		{"day: replies, nudges, broadcasts", false, []string{"reply", "nudge", "broadcast", "urgent"}},
		{"quiet: replies and urgent only", true, []string{"reply", "urgent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				enqueueAll(t, db,
					store.Outgoing{DedupeKey: "b", Kind: store.KindBroadcast, Phone: "+254711000001", Body: "broadcast"},
					store.Outgoing{DedupeKey: "u", Kind: store.KindBroadcast, Phone: "+254711000001", Body: "urgent", Urgent: true},
					store.Outgoing{DedupeKey: "n", Kind: store.KindNudge, Phone: "+254711000001", Body: "nudge"},
					store.Outgoing{DedupeKey: "r", Kind: store.KindReply, Phone: "+254711000001", Body: "reply"},
					store.Outgoing{DedupeKey: "later", Kind: store.KindReply, Phone: "+254711000001", Body: "later", NotBefore: db.Now().Add(time.Hour)},
				)
				got := claimKeys(t, db, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute, Quiet: tt.quiet})
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Claim(quiet=%v) bodies (-want +got):\n%s", tt.quiet, diff)
				}
				if again := claimKeys(t, db, store.ClaimOptions{Owner: "b", Limit: 10, Lease: time.Minute, Quiet: tt.quiet}); len(again) != 0 {
					t.Errorf("second Claim = %v, want nothing (all leased)", again)
				}
			})
		})
	}
}

func TestLeaseExpiryAndRelease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := &outboxClock{t: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}
		db.Now = c.now
		enqueueAll(t, db, store.Outgoing{DedupeKey: "1", Kind: store.KindNudge, Phone: "+254711000001", Body: "one"})
		opt := store.ClaimOptions{Owner: "crashed", Limit: 10, Lease: time.Minute}
		if got := claimKeys(t, db, opt); len(got) != 1 {
			t.Fatalf("Claim = %v, want one row", got)
		}
		opt.Owner = "other"
		c.t = c.t.Add(59 * time.Second)
		if got := claimKeys(t, db, opt); len(got) != 0 {
			t.Errorf("Claim before lease expiry = %v, want nothing", got)
		}
		c.t = c.t.Add(2 * time.Second)
		if got := claimKeys(t, db, opt); len(got) != 1 {
			t.Errorf("Claim after lease expiry = %v, want the row reclaimed", got)
		}
		if n, err := db.Release(context.Background(), "other", ""); n != 1 || err != nil {
			t.Errorf("Release(other) = %d, %v, want 1", n, err)
		}
		if got := claimKeys(t, db, opt); len(got) != 1 {
			t.Errorf("Claim after Release = %v, want the row again", got)
		}
	})
}

func TestFinishAfterLeaseLost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := &outboxClock{t: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}
		db.Now = c.now
		enqueueAll(t, db, store.Outgoing{DedupeKey: "1", Kind: store.KindNudge, Phone: "+254711000001", Body: "one"})
		slow, err := db.Claim(ctx, store.ClaimOptions{Owner: "slow", Limit: 10, Lease: time.Minute})
		if err != nil || len(slow.Msgs) != 1 {
			t.Fatalf("Claim(slow) = %+v, %v; want one row", slow, err)
		}
		c.t = c.t.Add(2 * time.Minute)
		taker, err := db.Claim(ctx, store.ClaimOptions{Owner: "taker", Limit: 10, Lease: time.Minute})
		if err != nil || len(taker.Msgs) != 1 {
			t.Fatalf("Claim(taker) after expiry = %+v, %v; want the row", taker, err)
		}
		accepted := []store.Result{{ID: slow.Msgs[0].ID, Status: store.OutAccepted, GatewayID: "ATXid_slow"}}
		if err := db.Finish(ctx, "slow", accepted); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("Finish(slow) after its lease was taken = %v, want ErrLeaseLost", err)
		}
		var status, owner string
		if err := db.QueryRow(`SELECT status, lease_owner FROM outbox`).Scan(&status, &owner); err != nil || status != store.OutQueued || owner != "taker" {
			t.Errorf("row after lost Finish = %q leased to %q, %v; want queued, leased to taker", status, owner, err)
		}
		accepted[0].GatewayID = "ATXid_taker"
		if err := db.Finish(ctx, "taker", accepted); err != nil {
			t.Errorf("Finish(taker) = %v, want nil", err)
		}
	})
}

func TestFinishAndDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		enqueueAll(t, db,
			store.Outgoing{DedupeKey: "ok", Kind: store.KindNudge, Phone: "+254711000001", Body: "ok"},
			store.Outgoing{DedupeKey: "retry", Kind: store.KindNudge, Phone: "+254711000002", Body: "retry"},
			store.Outgoing{DedupeKey: "bad", Kind: store.KindNudge, Phone: "+254711000003", Body: "bad"},
		)
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil || len(l.Msgs) != 3 {
			t.Fatalf("Claim = %+v, %v", l, err)
		}
		later := db.Now().Add(5 * time.Minute)
		rs := []store.Result{
			{ID: l.Msgs[0].ID, Status: store.OutAccepted, GatewayID: "ATXid_1", Cost: 0.8, Currency: "KES"},
			{ID: l.Msgs[1].ID, Status: store.OutQueued, Reason: "InsufficientBalance", NotBefore: later},
			{ID: l.Msgs[2].ID, Status: store.OutFailed, Reason: "InvalidPhoneNumber"},
		}
		if err := db.Finish(ctx, "a", rs); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if got := claimKeys(t, db, store.ClaimOptions{Owner: "b", Limit: 10, Lease: time.Minute}); len(got) != 0 {
			t.Errorf("Claim after Finish = %v, want nothing (accepted, failed, retry not yet due)", got)
		}
		reports := []struct {
			d    store.Delivery
			want bool
		}{
			{store.Delivery{GatewayID: "ATXid_1", GatewayStatus: "Sent"}, true},
			{store.Delivery{GatewayID: "ATXid_1", GatewayStatus: "Success", Status: store.OutDelivered}, true},
			{store.Delivery{GatewayID: "ATXid_1", GatewayStatus: "Success", Status: store.OutDelivered}, false},
			{store.Delivery{GatewayID: "ATXid_1", GatewayStatus: "Buffered"}, false},
			{store.Delivery{GatewayID: "ATXid_1", GatewayStatus: "Failed", Status: store.OutFailed}, false},
			{store.Delivery{GatewayID: "unknown", GatewayStatus: "Success", Status: store.OutDelivered}, false},
		}
		for _, r := range reports {
			if got, err := db.RecordDelivery(ctx, r.d); got != r.want || err != nil {
				t.Errorf("RecordDelivery(%+v) = %v, %v, want %v", r.d, got, err, r.want)
			}
		}
		var row struct {
			Status   string  `db:"status"`
			GwStatus string  `db:"gateway_status"`
			Cost     float64 `db:"cost"`
			Attempts int     `db:"attempts"`
		}
		if err := db.Get(&row, `SELECT status, gateway_status, cost, attempts FROM outbox WHERE dedupe_key = 'ok'`); err != nil {
			t.Fatal(err)
		}
		want := struct {
			Status   string  `db:"status"`
			GwStatus string  `db:"gateway_status"`
			Cost     float64 `db:"cost"`
			Attempts int     `db:"attempts"`
		}{"delivered", "Success", 0.8, 1}
		if row != want {
			t.Errorf("row after reports = %+v, want %+v", row, want)
		}
	})
}

// A claimed message is due from when it was queued or, for a broadcast
// scheduled later, from its send time: retry horizons count from it, so a
// broadcast queued a day ahead does not expire on its first retry.
func TestClaimDueFromSendTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		queued := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
		c := &outboxClock{t: queued}
		db.Now = c.now
		scheduled := storetest.Broadcast(t, db, "tomorrow", 1, queued.Add(24*time.Hour))
		past := storetest.Broadcast(t, db, "now", 1, queued.Add(-time.Hour))
		enqueueAll(t, db,
			store.Outgoing{DedupeKey: "s", Kind: store.KindBroadcast, Phone: "+254711000001", Body: "scheduled",
				BroadcastID: scheduled, NotBefore: queued.Add(24 * time.Hour)},
			store.Outgoing{DedupeKey: "p", Kind: store.KindBroadcast, Phone: "+254711000002", Body: "past", BroadcastID: past},
			store.Outgoing{DedupeKey: "r", Kind: store.KindReply, Phone: "+254711000003", Body: "reply"},
		)
		c.t = queued.Add(25 * time.Hour)
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]time.Time{}
		for _, m := range l.Msgs {
			got[m.Body] = m.Due.UTC()
		}
		want := map[string]time.Time{"scheduled": queued.Add(24 * time.Hour), "past": queued, "reply": queued}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Due of the claimed messages (-want +got):\n%s", diff)
		}
	})
}
