package sms_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// benchSize reads CHANJO_BENCH_N: the full run is 100,000 recipients; CI
// runs a small one that only checks the path works.
func benchSize(t *testing.T, def int) int {
	t.Helper()
	s := os.Getenv("CHANJO_BENCH_N")
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("CHANJO_BENCH_N=%q: want a positive number", s)
	}
	return n
}

// TestBroadcastThroughput enqueues one broadcast and dispatches it to the
// fake gateway over loopback with no rate limit, logging the enqueue time
// and messages per second (run with -v; docs/performance.md has figures).
func TestBroadcastThroughput(t *testing.T) {
	n := benchSize(t, 2000)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fake := fakegatewaytest.NewServer(fakegateway.Options{})
		defer fake.Close()
		msgs := broadcast(n, "Chanjo: the measles-rubella campaign starts Monday. Check your MR stock and cold chain today.")
		// The SMS belong to a broadcast, as a real one's do, so that every
		// result also moves the broadcast's counts.
		id := storetest.Broadcast(t, db, "bench", n, db.Now())
		for i := range msgs {
			msgs[i].BroadcastID = id
		}
		start := time.Now()
		err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := db.Enqueue(ctx, tx, msgs...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		enqueued := time.Since(start)
		client := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: fake.URL})
		d := sms.NewDispatcher(db, client, sms.Config{Batch: 100})
		start = time.Now()
		for {
			claimed, err := d.Once(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if claimed == 0 {
				break
			}
		}
		elapsed := time.Since(start)
		if got, dups := fake.SentCount(), fake.Duplicates(); got != n || dups != 0 {
			t.Errorf("sent %d with %d duplicates, want %d and 0", got, dups, n)
		}
		t.Logf("%s: enqueue %d recipients in %v; dispatched in %v: %.0f messages/s (%d requests)",
			db.Dialect, n, enqueued.Round(time.Millisecond), elapsed.Round(time.Millisecond),
			float64(n)/elapsed.Seconds(), fake.Requests())
	})
}
