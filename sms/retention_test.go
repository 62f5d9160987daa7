package sms_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestRetentionSweep: rows older than Keep go, in batches, once they are no
// longer queued; newer rows and the dashboard's totals stay.
func TestRetentionSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		old := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return old }
		var msgs []store.Outgoing
		for i := range 5 {
			msgs = append(msgs, store.Outgoing{DedupeKey: fmt.Sprint("old-", i), Kind: store.KindReply, Phone: "+254799000001", Body: "x"})
		}
		if _, err := db.Enqueue(ctx, db, msgs...); err != nil {
			t.Fatal(err)
		}
		storetest.MarkFailed(t, db, "old-0", "old-1", "old-2", "old-3")
		now := old.Add(200 * 24 * time.Hour)
		db.Now = func() time.Time { return now }
		if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: "new", Kind: store.KindReply, Phone: "+254799000001", Body: "x"}); err != nil {
			t.Fatal(err)
		}
		r := sms.NewRetention(db, sms.RetentionConfig{Keep: 180 * 24 * time.Hour, Batch: 2})
		r.Now = db.Now
		if n := r.Sweep(ctx); n != 4 {
			t.Errorf("Sweep = %d rows, want 4 (the old failed ones; the old queued one stays)", n)
		}
		var keys []string
		for _, o := range storetest.Outbox(t, db) {
			keys = append(keys, o.DedupeKey)
		}
		slices.Sort(keys)
		if fmt.Sprint(keys) != "[new old-4]" {
			t.Errorf("outbox after the sweep = %v, want [new old-4]", keys)
		}
		// January in Nairobi starts at 21:00 UTC on 31 December.
		d, err := db.Dashboard(ctx, store.Scope{Admin: true}, time.Date(2024, 12, 31, 21, 0, 0, 0, time.UTC))
		if err != nil || d.SMS.Failed != 4 || d.SMS.Queued != 2 {
			t.Errorf("Dashboard since January = %+v, %v; want 4 failed and 2 queued still counted", d.SMS, err)
		}
	})
}
