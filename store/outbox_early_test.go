package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestDeliveryBeforeSendResult covers a gateway that reports a message
// before it answers the request that sent it: the report must wait for the
// gateway id and then apply, with a final report never undone by a later
// intermediate one.
func TestDeliveryBeforeSendResult(t *testing.T) {
	tests := []struct {
		name       string
		reports    []store.Delivery
		wantStatus string
		wantGw     string
	}{
		{"final", []store.Delivery{{GatewayStatus: "Success", Status: store.OutDelivered}}, "delivered", "Success"},
		{"intermediate then final", []store.Delivery{{GatewayStatus: "Sent"}, {GatewayStatus: "Success", Status: store.OutDelivered}}, "delivered", "Success"},
		{"final then intermediate", []store.Delivery{{GatewayStatus: "Failed", Status: store.OutFailed, Reason: "UserInBlacklist"}, {GatewayStatus: "Buffered"}}, "failed", "Failed"},
		{"intermediate only", []store.Delivery{{GatewayStatus: "Sent"}}, "accepted", "Sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				enqueueAll(t, db, store.Outgoing{DedupeKey: "m", Kind: store.KindReply, Phone: "+254711000001", Body: "hello"})
				l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 1, Lease: time.Minute})
				if err != nil || len(l.Msgs) != 1 {
					t.Fatalf("Claim = %+v, %v", l, err)
				}
				for _, d := range tt.reports {
					d.GatewayID = "ATXid_early"
					if changed, err := db.RecordDelivery(ctx, d); changed || err != nil {
						t.Fatalf("RecordDelivery before the send result = %v, %v, want false, nil", changed, err)
					}
				}
				if err := db.Finish(ctx, "a", []store.Result{{ID: l.Msgs[0].ID, Status: store.OutAccepted, GatewayID: "ATXid_early"}}); err != nil {
					t.Fatal(err)
				}
				finals, err := db.ApplyEarlyDeliveries(ctx)
				wantFinals := 0
				if tt.wantStatus != "accepted" {
					wantFinals = 1
				}
				if err != nil || len(finals) != wantFinals || (wantFinals == 1 && finals[0].Status != tt.wantStatus) {
					t.Errorf("ApplyEarlyDeliveries = %+v, %v, want %d final report(s) of status %s", finals, err, wantFinals, tt.wantStatus)
				}
				var got struct {
					Status string `db:"status"`
					Gw     string `db:"gateway_status"`
				}
				if err := db.Get(&got, `SELECT status, gateway_status FROM outbox WHERE dedupe_key = 'm'`); err != nil {
					t.Fatal(err)
				}
				if got.Status != tt.wantStatus || got.Gw != tt.wantGw {
					t.Errorf("message = %s/%s, want %s/%s", got.Status, got.Gw, tt.wantStatus, tt.wantGw)
				}
				var kept int
				if err := db.Get(&kept, `SELECT COUNT(*) FROM delivery_early`); err != nil || kept != 0 {
					t.Errorf("reports still kept after applying = %d, %v, want 0", kept, err)
				}
			})
		})
	}
}

func TestEarlyReportsForUnknownIdsExpire(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := &outboxClock{t: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
		db.Now = clock.now
		if _, err := db.RecordDelivery(ctx, store.Delivery{GatewayID: "ATXid_other", GatewayStatus: "Success", Status: store.OutDelivered}); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			var n int
			if err := db.Get(&n, `SELECT COUNT(*) FROM delivery_early`); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, step := range []struct {
			after time.Duration
			want  int
		}{{time.Hour, 1}, {store.EarlyReportTTL + time.Minute, 0}} {
			clock.t = clock.t.Add(step.after)
			if _, err := db.ApplyEarlyDeliveries(ctx); err != nil {
				t.Fatal(err)
			}
			if got := count(); got != step.want {
				t.Errorf("kept reports %v after arrival = %d, want %d", step.after, got, step.want)
			}
		}
	})
}

// TestEarlyReportStoredWhileApplyingIsNotLost drives, step by step on
// PostgreSQL, the interleaving that lost reports under READ COMMITTED: the
// apply has begun (and waits on a row lock another transaction holds) when a
// second report is kept and its send's result is recorded. That report must
// survive the apply in progress and be applied by the next one.
func TestEarlyReportStoredWhileApplyingIsNotLost(t *testing.T) {
	db := storetest.Postgres(t)
	if db == nil {
		t.Skip("TEST_DATABASE_URL not set: the interleaving is PostgreSQL's (SQLite's writes are serial)")
	}
	ctx := context.Background()
	enqueueAll(t, db,
		store.Outgoing{DedupeKey: "x", Kind: store.KindReply, Phone: "+254711000001", Body: "x"},
		store.Outgoing{DedupeKey: "y", Kind: store.KindReply, Phone: "+254711000002", Body: "y"})
	l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 2, Lease: time.Minute})
	if err != nil || len(l.Msgs) != 2 {
		t.Fatalf("Claim = %+v, %v", l, err)
	}
	x, y := l.Msgs[0].ID, l.Msgs[1].ID
	// x's report came early and its result is recorded: the apply has work.
	if _, err := db.RecordDelivery(ctx, store.Delivery{GatewayID: "gw-x", GatewayStatus: "Success", Status: store.OutDelivered}); err != nil {
		t.Fatal(err)
	}
	if err := db.Finish(ctx, "a", []store.Result{{ID: x, Status: store.OutAccepted, GatewayID: "gw-x"}}); err != nil {
		t.Fatal(err)
	}

	// Step 1: another transaction holds x's row, so the apply stops on it.
	holder, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	var xid string
	if err := holder.Get(&xid, db.Rebind(`SELECT CAST(txid_current() AS TEXT) FROM outbox WHERE id = ? FOR UPDATE`), x); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := db.ApplyEarlyDeliveries(ctx)
		done <- err
	}()
	for waiting := 0; waiting == 0; {
		if err := db.Get(&waiting, `SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'
			AND CAST(transactionid AS TEXT) = $1`, xid); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			t.Fatalf("ApplyEarlyDeliveries returned (%v) before waiting on the held row", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	// Step 2: while the apply waits, y's report is kept (y has no gateway id
	// yet) and then y's send result is recorded.
	if _, err := db.RecordDelivery(ctx, store.Delivery{GatewayID: "gw-y", GatewayStatus: "Success", Status: store.OutDelivered}); err != nil {
		t.Fatal(err)
	}
	if err := db.Finish(ctx, "a", []store.Result{{ID: y, Status: store.OutAccepted, GatewayID: "gw-y"}}); err != nil {
		t.Fatal(err)
	}
	// Step 3: the holder lets go; the apply finishes, then runs once more.
	holder.Rollback()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApplyEarlyDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := db.Select(&got, `SELECT dedupe_key || '=' || status FROM outbox ORDER BY dedupe_key`); err != nil {
		t.Fatal(err)
	}
	if want := []string{"x=delivered", "y=delivered"}; !slices.Equal(got, want) {
		t.Errorf("messages after the interleaving = %v, want %v (a report answered 200 is applied, always)", got, want)
	}
}
