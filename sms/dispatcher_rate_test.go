package sms_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/kv/kvtest"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestDispatchersShareOneRate: two dispatchers (two instances) that take
// from one bucket in Redis send together at the one rate. 60 segments at 20
// a second with a bucket of 20 take at least 2 s whoever sends them; with a
// limiter each, the two would be done in 0.5 s.
func TestDispatchersShareOneRate(t *testing.T) {
	db := storetest.SQLite(t)
	r := newRig(t, db, sms.Config{})
	r.enqueue(t, broadcast(60, "rate")...)
	redis := kvtest.New(t)
	cfg := sms.Config{Rate: 20, Batch: 10, TZ: nairobi}
	client := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: r.fake.URL})
	var wg sync.WaitGroup
	claimed := make([]int, 2)
	start := time.Now()
	for i := range claimed {
		d := sms.NewDispatcher(db, client, cfg)
		d.Now = r.clock.Now
		d.Limiter = redis.Bucket("sms-rate", cfg.Rate, d.Burst())
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := d.Once(context.Background())
				if err != nil {
					t.Errorf("Once: %v", err)
				}
				if n == 0 || err != nil {
					return
				}
				claimed[i] += n
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if sent := len(r.fake.Sent()); sent != 60 || claimed[0] == 0 || claimed[1] == 0 {
		t.Fatalf("sent %d, claimed %v; want 60, by both dispatchers", sent, claimed)
	}
	if elapsed < 1900*time.Millisecond {
		t.Errorf("60 segments at a shared 20/s took %v, want at least 2 s (each dispatcher kept its own rate)", elapsed)
	}
}
