package store_test

import (
	"context"
	"testing"
	"time"

	"chanjo/store"
	"chanjo/store/storetest"
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
