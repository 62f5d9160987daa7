package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// smsView is what the console and the API show of the SMS: the broadcasts'
// counts for an admin and for Kibra's supervisor, and the dashboard's
// months.
type smsView struct {
	Old, New           store.BroadcastCounts
	KibraOld, KibraNew store.BroadcastCounts
	KibraList          int
	Feb, Mar, KibraMar store.SMSMonth
}

func readSMSView(t *testing.T, db *store.DB, old, new int64) smsView {
	t.Helper()
	ctx := context.Background()
	var v smsView
	for _, r := range []struct {
		dst *store.BroadcastCounts
		sc  store.Scope
		id  int64
	}{{&v.Old, admin, old}, {&v.New, admin, new}, {&v.KibraOld, kibra, old}, {&v.KibraNew, kibra, new}} {
		b, err := db.Broadcast(ctx, r.sc, r.id)
		if err != nil {
			t.Fatalf("Broadcast(%d): %v", r.id, err)
		}
		*r.dst = b.Counts
	}
	list, err := db.Broadcasts(ctx, kibra, 10)
	if err != nil {
		t.Fatal(err)
	}
	v.KibraList = len(list)
	// Since the start of a month in Nairobi (UTC+3): 21:00 UTC the day before.
	for _, m := range []struct {
		dst   *store.SMSMonth
		sc    store.Scope
		start time.Time
	}{
		{&v.Feb, admin, time.Date(2025, 1, 31, 21, 0, 0, 0, time.UTC)},
		{&v.Mar, admin, time.Date(2025, 2, 28, 21, 0, 0, 0, time.UTC)},
		{&v.KibraMar, kibra, time.Date(2025, 2, 28, 21, 0, 0, 0, time.UTC)},
	} {
		d, err := db.Dashboard(ctx, m.sc, m.start)
		if err != nil {
			t.Fatal(err)
		}
		*m.dst = d.SMS
	}
	return v
}

// TestSMSCountsSurviveFoldAndRetention: the counts the console shows (the
// SMS parts sent among them) are the same before and after the changes are folded (PostgreSQL), after a
// nurse moves to another sub-county, and after retention removed the old
// broadcast's outbox rows.
func TestSMSCountsSurviveFoldAndRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 2, 20, 8, 0, 0, 0, time.UTC))
		ids := audienceFixture(t, db)
		old, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "February stock count."})
		if err != nil {
			t.Fatal(err)
		}
		lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 3 {
			t.Fatalf("Claim = %d messages, %v; want 3", len(lease.Msgs), err)
		}
		var rs []store.Result
		for i, m := range lease.Msgs {
			rs = append(rs, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: "gw-" + m.Phone, Cost: 0.8, Currency: "KES",
				Segments: i + 1})
		}
		if err := db.Finish(ctx, "test", rs); err != nil {
			t.Fatal(err)
		}
		for gw, st := range map[string]string{"gw-+254711000001": store.OutDelivered, "gw-+254711000006": store.OutFailed} {
			if _, err := db.RecordDelivery(ctx, store.Delivery{GatewayID: gw, Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		// A reply to a stranger in the last UTC hours of February: March in Nairobi.
		clock(db, time.Date(2025, 2, 28, 22, 0, 0, 0, time.UTC))
		if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: "r1", Kind: store.KindReply, Phone: "+254799000001", Body: "Karibu"}); err != nil {
			t.Fatal(err)
		}
		clock(db, time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC))
		// A nudge names its worker only: Enqueue finds her sub-county.
		if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: "n1", Kind: store.KindNudge, Phone: "+254711000001", Body: "Lesson 2", WorkerID: ids["Achieng"]}); err != nil {
			t.Fatal(err)
		}
		recent, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "March stock count."})
		if err != nil {
			t.Fatal(err)
		}
		want := smsView{
			Old: store.BroadcastCounts{Accepted: 1, Delivered: 1, Failed: 1}, New: store.BroadcastCounts{Queued: 3},
			KibraOld: store.BroadcastCounts{Accepted: 1, Delivered: 1}, KibraNew: store.BroadcastCounts{Queued: 2},
			KibraList: 2,
			Feb:       store.SMSMonth{Queued: 5, Sent: 3, Parts: 6, Delivered: 1, Failed: 1, Cost: 2.4, Currency: "KES"},
			Mar:       store.SMSMonth{Queued: 5},
			KibraMar:  store.SMSMonth{Queued: 3},
		}
		approx := cmp.Comparer(func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 })
		check := func(step string) {
			t.Helper()
			if diff := cmp.Diff(want, readSMSView(t, db, old.ID, recent.ID), approx); diff != "" {
				t.Errorf("%s: counts (-want +got):\n%s", step, diff)
			}
		}
		check("before folding")
		if _, err := db.FoldCounts(ctx); err != nil {
			t.Fatal(err)
		}
		check("after folding")
		if _, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET facility_id = (SELECT facility_id FROM workers WHERE id = ?) WHERE id = ?`),
			ids["Faith"], ids["Achieng"]); err != nil {
			t.Fatal(err)
		}
		check("after Achieng moved to Embakasi")
		n, err := db.DeleteOldSMS(ctx, time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC), 2)
		if err != nil || n != 2 {
			t.Fatalf("DeleteOldSMS(batch of 2) = %d, %v; want 2", n, err)
		}
		if n, err = db.DeleteOldSMS(ctx, time.Date(2025, 2, 21, 0, 0, 0, 0, time.UTC), 2); err != nil || n != 1 {
			t.Fatalf("DeleteOldSMS(the rest) = %d, %v; want 1", n, err)
		}
		var left int
		db.Get(&left, `SELECT COUNT(*) FROM outbox`)
		if left != 5 {
			t.Errorf("outbox rows after retention = %d, want 5 (the reply, the nudge and March's broadcast)", left)
		}
		check("after retention")
		if _, err := db.FoldCounts(ctx); err != nil {
			t.Fatal(err)
		}
		check("after retention and folding")
	})
}

// TestDeleteOldSMSKeepsQueued: a message still waiting to be sent is never
// removed, however old.
func TestDeleteOldSMSKeepsQueued(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC))
		if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: "q", Kind: store.KindReply, Phone: "+254799000001", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.DeleteOldSMS(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 100); err != nil || n != 0 {
			t.Errorf("DeleteOldSMS = %d, %v; want 0 (the row is queued)", n, err)
		}
	})
}

// TestSMSCountsIgnoreLeases: a claim, a hold and a release change only a
// row's lease, so they write nothing to the counters (on PostgreSQL not even
// a change row to fold: dispatch claims a thousand rows at a time), while a
// result that changes a status moves the counts at once.
func TestSMSCountsIgnoreLeases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC))
		audienceFixture(t, db)
		b, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "March stock count."})
		if err != nil {
			t.Fatal(err)
		}
		deltas := func() int {
			t.Helper()
			var n int
			if db.Dialect == store.Postgres {
				if err := db.Get(&n, `SELECT COUNT(*) FROM sms_count_deltas`); err != nil {
					t.Fatal(err)
				}
			}
			return n
		}
		month := time.Date(2025, 2, 28, 21, 0, 0, 0, time.UTC)
		check := func(step string, want store.BroadcastCounts, wantMonth store.SMSMonth) {
			t.Helper()
			got, err := db.Broadcast(ctx, admin, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			d, err := db.Dashboard(ctx, admin, month)
			if err != nil {
				t.Fatal(err)
			}
			approx := cmp.Comparer(func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 })
			if diff := cmp.Diff(want, got.Counts); diff != "" {
				t.Errorf("%s: broadcast counts (-want +got):\n%s", step, diff)
			}
			if diff := cmp.Diff(wantMonth, d.SMS, approx); diff != "" {
				t.Errorf("%s: dashboard SMS (-want +got):\n%s", step, diff)
			}
		}
		queued := store.SMSMonth{Queued: 3}
		check("queued", store.BroadcastCounts{Queued: 3}, queued)
		before := deltas()

		lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 3 {
			t.Fatalf("Claim = %d messages, %v; want 3", len(lease.Msgs), err)
		}
		check("claimed", store.BroadcastCounts{Sending: 3}, queued)
		if _, err := db.Hold(ctx, "a", []int64{lease.Msgs[0].ID}, db.Now().Add(time.Minute), "in a USSD session"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Release(ctx, "a", ""); err != nil {
			t.Fatal(err)
		}
		check("held and released", store.BroadcastCounts{Queued: 3}, queued)
		if got := deltas(); got != before {
			t.Errorf("counter changes written by a claim, a hold and a release = %d, want 0", got-before)
		}

		clock(db, time.Date(2025, 3, 10, 8, 5, 0, 0, time.UTC))
		lease, err = db.Claim(ctx, store.ClaimOptions{Owner: "b", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 3 {
			t.Fatalf("second Claim = %d messages, %v; want 3", len(lease.Msgs), err)
		}
		if err := db.Finish(ctx, "b", []store.Result{
			{ID: lease.Msgs[0].ID, Status: store.OutAccepted, GatewayID: "gw-1", Cost: 0.8, Currency: "KES", Segments: 2},
			{ID: lease.Msgs[1].ID, Status: store.OutQueued, Reason: "InsufficientBalance", NotBefore: db.Now().Add(time.Hour)},
			{ID: lease.Msgs[2].ID, Status: store.OutFailed, Reason: "InvalidPhoneNumber"},
		}); err != nil {
			t.Fatal(err)
		}
		check("finished", store.BroadcastCounts{Queued: 1, Accepted: 1, Failed: 1},
			store.SMSMonth{Queued: 1, Sent: 1, Parts: 2, Failed: 1, Cost: 0.8, Currency: "KES"})
	})
}

// TestSMSCountsReleaseRetriesWithCosts: a release changes only the lease,
// also of rows a retry left queued with a charge, so it writes no change row
// and moves no cost. PostgreSQL's trigger (0059) adds each old row's -1 and
// -cost and each new row's +1 and +cost to their buckets without joining
// them: summed as one float, -0.1 -0.2 -0.4 +0.1 +0.2 +0.4 is -5.6e-17, not 0.
func TestSMSCountsReleaseRetriesWithCosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC))
		for _, k := range []string{"r1", "r2", "r3"} {
			enqueueAll(t, db, store.Outgoing{DedupeKey: k, Kind: store.KindNudge, Phone: "+254711000099", Body: "Stock count."})
		}
		lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 3 {
			t.Fatalf("Claim = %d messages, %v; want 3", len(lease.Msgs), err)
		}
		var rs []store.Result
		for i, cost := range []float64{0.1, 0.2, 0.4} {
			rs = append(rs, store.Result{ID: lease.Msgs[i].ID, Status: store.OutQueued, Cost: cost, Currency: "KES",
				Reason: "retry", NotBefore: db.Now()})
		}
		if err := db.Finish(ctx, "a", rs); err != nil {
			t.Fatal(err)
		}
		deltas := func() []float64 {
			t.Helper()
			var costs []float64
			if db.Dialect == store.Postgres {
				if err := db.Select(&costs, `SELECT cost FROM sms_count_deltas ORDER BY id`); err != nil {
					t.Fatal(err)
				}
			}
			return costs
		}
		before := deltas()
		if lease, err = db.Claim(ctx, store.ClaimOptions{Owner: "b", Limit: 10, Lease: time.Minute}); err != nil || len(lease.Msgs) != 3 {
			t.Fatalf("second Claim = %d messages, %v; want 3", len(lease.Msgs), err)
		}
		if n, err := db.Release(ctx, "b", ""); err != nil || n != 3 {
			t.Fatalf("Release = %d, %v; want 3", n, err)
		}
		if got := deltas(); len(got) != len(before) {
			t.Errorf("counter changes written by a claim and a release = %v, want none", got[len(before):])
		}
		d, err := db.Dashboard(ctx, admin, time.Date(2025, 2, 28, 21, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if d.SMS.Queued != 3 || d.SMS.Cost < 0.7-1e-9 || d.SMS.Cost > 0.7+1e-9 {
			t.Errorf("dashboard SMS = %+v, want 3 queued costing 0.7", d.SMS)
		}
	})
}

// TestOutboxHoursFindRowsOutOfTimeOrder: the dashboard's first hours of a
// month and retention find outbox rows by their hours' id ranges (migration
// 0061), which stay exact when rows are written out of time order (a clock
// behind another instance's): a month that starts at 21:00 UTC counts the
// rows from then on whatever their ids, before and after the ranges are
// folded, and retention removes the rows created before its time and no
// other.
func TestOutboxHoursFindRowsOutOfTimeOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		march := time.Date(2025, 2, 28, 21, 0, 0, 0, time.UTC) // 1 March in Nairobi
		// In id order: two rows in March, one in February (Nairobi), one in
		// March's first UTC hours, one in February's last UTC day.
		for i, at := range []time.Time{march.Add(9 * 24 * time.Hour), march.Add(time.Hour), march.Add(-time.Hour),
			march.Add(2*time.Hour + 30*time.Minute), march.Add(-20 * time.Hour)} {
			clock(db, at)
			if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: fmt.Sprint("r", i), Kind: store.KindReply,
				Phone: fmt.Sprintf("+25479900000%d", i), Body: "Karibu"}); err != nil {
				t.Fatal(err)
			}
		}
		clock(db, march.Add(10*24*time.Hour))
		lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 5 {
			t.Fatalf("Claim = %d messages, %v; want 5", len(lease.Msgs), err)
		}
		var rs []store.Result
		for _, m := range lease.Msgs {
			rs = append(rs, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: "gw-" + m.Phone, Segments: 1})
		}
		if err := db.Finish(ctx, "test", rs); err != nil {
			t.Fatal(err)
		}
		sent := func(step string, want int) {
			t.Helper()
			d, err := db.Dashboard(ctx, admin, march)
			if err != nil {
				t.Fatal(err)
			}
			if d.SMS.Sent != want {
				t.Errorf("%s: March's SMS sent = %d, want %d", step, d.SMS.Sent, want)
			}
		}
		sent("before folding", 3)
		if _, err := db.FoldCounts(ctx); err != nil {
			t.Fatal(err)
		}
		sent("after folding", 3)
		n, err := db.DeleteOldSMS(ctx, march.Add(30*time.Minute), 10)
		if err != nil || n != 2 {
			t.Fatalf("DeleteOldSMS(before 21:30 UTC) = %d, %v; want 2 (February's rows)", n, err)
		}
		var left []int
		if err := db.Select(&left, `SELECT CAST(substr(dedupe_key, 2) AS INTEGER) FROM outbox ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		if want := []int{0, 1, 3}; !slices.Equal(left, want) {
			t.Errorf("rows left after retention = %v, want %v", left, want)
		}
		sent("after retention", 3)
	})
}
