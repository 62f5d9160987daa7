package kv_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/kv/kvtest"
)

// TestBucketIsSharedByProcesses: two clients (two processes) of one Redis
// take from one bucket, so together they wait as one would, and the bucket
// refills at its rate by Redis's clock.
func TestBucketIsSharedByProcesses(t *testing.T) {
	m := miniredis.RunT(t)
	m.SetTime(time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	var buckets []*kv.Bucket
	for range 2 {
		c, err := kv.Open(ctx, kv.Config{URL: "redis://" + m.Addr(), Prefix: "chanjo:"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		buckets = append(buckets, c.Bucket("sms", 10, 10))
	}
	a, b := buckets[0], buckets[1]
	steps := []struct {
		who     *kv.Bucket
		advance time.Duration
		n       int
		want    time.Duration
	}{
		{a, 0, 10, 0},                     // a full bucket
		{b, 0, 5, 500 * time.Millisecond}, // empty: b waits for a's use too
		{a, 0, 5, time.Second},            // and a queues behind b
		{b, 2 * time.Second, 5, 0},        // two seconds refill 20: debt 10 paid, 10 left
		{a, 0, 5, 0},                      // the other 5
		{b, time.Hour, 10, 0},             // never more than the burst
		{a, 0, 1, 100 * time.Millisecond}, // ...so the next waits
	}
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	for i, s := range steps {
		now = now.Add(s.advance)
		m.SetTime(now)
		got, err := s.who.Reserve(ctx, s.n)
		if err != nil || got != s.want {
			t.Errorf("step %d: Reserve(%d) = %v, %v, want %v", i+1, s.n, got, err, s.want)
		}
	}
	if _, err := a.Reserve(ctx, 11); err == nil {
		t.Error("Reserve(11) of a burst of 10 = nil error, want one")
	}
}

// TestBucketOnTheServer runs the script on the test Redis (a real server
// when TEST_REDIS_URL is set): a drained bucket makes the next caller wait,
// at most the time its tokens take to refill.
func TestBucketOnTheServer(t *testing.T) {
	c := kvtest.New(t)
	ctx := context.Background()
	b := c.Bucket("sms", 10, 10)
	if wait, err := b.Reserve(ctx, 10); err != nil || wait != 0 {
		t.Fatalf("Reserve(10) of a full bucket = %v, %v, want 0", wait, err)
	}
	if wait, err := b.Reserve(ctx, 5); err != nil || wait <= 0 || wait > 500*time.Millisecond {
		t.Errorf("Reserve(5) of a drained bucket = %v, %v, want a wait of at most 500ms", wait, err)
	}
	start := time.Now()
	if err := b.WaitN(ctx, 1); err != nil || time.Since(start) < 500*time.Millisecond {
		t.Errorf("WaitN(1) behind 5 reserved = %v after %v, want nil after at least 500ms", err, time.Since(start))
	}
}
