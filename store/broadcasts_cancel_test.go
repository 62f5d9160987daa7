package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestCancelBroadcastLeavesClaimedRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
		audienceFixture(t, db)
		b, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "Stock count on Monday."})
		if err != nil {
			t.Fatal(err)
		}
		lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 1, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 1 {
			t.Fatalf("Claim = %d messages, %v; want 1", len(lease.Msgs), err)
		}
		n, err := db.CancelBroadcast(ctx, admin, 0, b.ID)
		if err != nil || n != 2 {
			t.Fatalf("CancelBroadcast = %d, %v; want 2 (the one claimed is left)", n, err)
		}
		got, err := db.Broadcast(ctx, admin, b.ID)
		if want := (store.BroadcastCounts{Sending: 1, Cancelled: 2}); err != nil || got.Counts != want {
			t.Errorf("Counts after cancel = %+v, %v; want %+v", got.Counts, err, want)
		}
		if got.CancelledAt == nil || got.Counts.Billable() != 1 {
			t.Errorf("CancelledAt = %v, Billable = %d; want a time and 1", got.CancelledAt, got.Counts.Billable())
		}
		if again, err := db.Claim(ctx, store.ClaimOptions{Owner: "other", Limit: 10, Lease: time.Minute}); err != nil || len(again.Msgs) != 0 {
			t.Errorf("Claim after cancel = %d messages, %v; want none: cancelled SMS never go", len(again.Msgs), err)
		}
		if _, err := db.CancelBroadcast(ctx, admin, 0, b.ID); !errors.Is(err, store.ErrNothingToCancel) {
			t.Errorf("second CancelBroadcast = %v, want ErrNothingToCancel", err)
		}
		var audits int
		if err := db.Get(&audits, `SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.cancel'`); err != nil || audits != 1 {
			t.Errorf("audit rows = %d, %v; want 1", audits, err)
		}
	})
}

func TestCancelBroadcastInsideScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
		audienceFixture(t, db)
		b, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "Stock count on Monday."})
		if err != nil {
			t.Fatal(err)
		}
		embakasi := store.Scope{SubCounties: []string{"Nowhere"}}
		if _, err := db.CancelBroadcast(ctx, embakasi, 0, b.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CancelBroadcast outside the scope = %v, want ErrNotFound", err)
		}
		if n, err := db.CancelBroadcast(ctx, kibra, 0, b.ID); err != nil || n != 2 {
			t.Fatalf("CancelBroadcast(kibra) = %d, %v; want Kibra's 2", n, err)
		}
		got, err := db.Broadcast(ctx, admin, b.ID)
		if want := (store.BroadcastCounts{Queued: 1, Cancelled: 2}); err != nil || got.Counts != want {
			t.Errorf("Counts seen by the admin = %+v, %v; want %+v (Embakasi's SMS still goes)", got.Counts, err, want)
		}
	})
}
