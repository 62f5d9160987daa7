package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// failTwo sends a broadcast to the three live recipients of audienceFixture
// and has the gateway refuse the first two (one failed, one expired).
func failTwo(t *testing.T, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	b, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "Stock count on Monday."})
	if err != nil {
		t.Fatal(err)
	}
	lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 10, Lease: time.Minute})
	if err != nil || len(lease.Msgs) != 3 {
		t.Fatalf("Claim = %d messages, %v; want 3", len(lease.Msgs), err)
	}
	rs := []store.Result{
		{ID: lease.Msgs[0].ID, Status: store.OutFailed, Reason: "InvalidPhoneNumber"},
		{ID: lease.Msgs[1].ID, Status: store.OutExpired, Reason: "gateway 500 for 48 hours"},
		{ID: lease.Msgs[2].ID, Status: store.OutAccepted, GatewayID: "gw-3"},
	}
	if err := db.Finish(ctx, "test", rs); err != nil {
		t.Fatal(err)
	}
	return b.ID
}

func TestFailedRecipientsPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
		audienceFixture(t, db)
		id := failTwo(t, db)
		first, err := db.FailedRecipients(ctx, admin, id, 0, 1)
		if err != nil || len(first) != 1 {
			t.Fatalf("FailedRecipients page 1 = %+v, %v; want 1", first, err)
		}
		second, err := db.FailedRecipients(ctx, admin, id, first[0].OutboxID, 1)
		if err != nil || len(second) != 1 {
			t.Fatalf("FailedRecipients page 2 = %+v, %v; want 1", second, err)
		}
		got := map[string]string{first[0].Status: first[0].Reason, second[0].Status: second[0].Reason}
		if got[store.OutFailed] != "InvalidPhoneNumber" || got[store.OutExpired] != "gateway 500 for 48 hours" || first[0].Name == "" {
			t.Errorf("failed recipients = %+v, %+v; want the failed and the expired one with their reasons and names", first[0], second[0])
		}
		if rest, err := db.FailedRecipients(ctx, admin, id, second[0].OutboxID, 1); err != nil || len(rest) != 0 {
			t.Errorf("FailedRecipients page 3 = %+v, %v; want none", rest, err)
		}
		if _, err := db.FailedRecipients(ctx, store.Scope{SubCounties: []string{"Nowhere"}}, id, 0, 10); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("FailedRecipients outside the scope = %v, want ErrNotFound", err)
		}
	})
}

func TestResendFailedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
		audienceFixture(t, db)
		id := failTwo(t, db)
		b, created, err := db.ResendFailed(ctx, admin, 0, id)
		if err != nil || !created || b.Recipients != 2 || b.Counts.Queued != 2 || b.ResendOf == nil || *b.ResendOf != id {
			t.Fatalf("ResendFailed = %+v, %v, %v; want a new broadcast of 2 queued, resend of %d", b, created, err, id)
		}
		again, created, err := db.ResendFailed(ctx, admin, 0, id)
		if err != nil || created || again.ID != b.ID {
			t.Errorf("second ResendFailed = %d, created %v, %v; want the first resend %d", again.ID, created, err, b.ID)
		}
		var n int
		if err := db.Get(&n, `SELECT COUNT(*) FROM outbox WHERE kind = 'broadcast'`); err != nil || n != 5 {
			t.Errorf("broadcast SMS = %d, %v; want 3 + 2", n, err)
		}
		if _, _, err := db.ResendFailed(ctx, admin, 0, b.ID); !errors.Is(err, store.ErrNoRecipients) {
			t.Errorf("ResendFailed of a resend with nothing failed = %v, want ErrNoRecipients", err)
		}
	})
}
