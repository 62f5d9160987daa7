package sms_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// testClock is the injected clock shared by the store and the dispatcher.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t.UTC()
}

var nairobi = mustZone("Africa/Nairobi")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at returns 2025-03-03 at hh:mm Nairobi time.
func at(hh, mm int) time.Time {
	return time.Date(2025, 3, 3, hh, mm, 0, 0, nairobi)
}

// rig is a database, a fake gateway and a dispatcher wired together.
type rig struct {
	db    *store.DB
	fake  *fakegatewaytest.Server
	clock *testClock
	disp  *sms.Dispatcher
}

func newRig(t *testing.T, db *store.DB, cfg sms.Config) *rig {
	t.Helper()
	fake := fakegatewaytest.NewServer(fakegateway.Options{})
	t.Cleanup(fake.Close)
	c := &testClock{}
	c.Set(at(10, 0))
	db.Now = c.Now
	client := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: fake.URL})
	if cfg.TZ == nil {
		cfg.TZ = nairobi
	}
	d := sms.NewDispatcher(db, client, cfg)
	d.Now = c.Now
	return &rig{db: db, fake: fake, clock: c, disp: d}
}

func (r *rig) enqueue(t *testing.T, msgs ...store.Outgoing) {
	t.Helper()
	if _, err := r.db.Enqueue(context.Background(), r.db, msgs...); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
}

// drain runs Once until nothing is claimed.
func (r *rig) drain(t *testing.T) {
	t.Helper()
	for range 1000 {
		n, err := r.disp.Once(context.Background())
		if err != nil {
			t.Fatalf("Once: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("Once never ran dry")
}

// sentTexts returns the texts the fake accepted, in order.
func (r *rig) sentTexts() []string {
	var out []string
	for _, m := range r.fake.Sent() {
		out = append(out, m.Text)
	}
	return out
}

type row struct {
	Status   string
	Attempts int
	Reason   string
}

func (r *rig) row(t *testing.T, key string) row {
	t.Helper()
	o := storetest.OutByKey(t, r.db, key)
	return row{Status: o.Status, Attempts: o.Attempts, Reason: o.FailureReason}
}

func nudge(key, phone string) store.Outgoing {
	return store.Outgoing{DedupeKey: key, Kind: store.KindNudge, Phone: phone, Body: "nudge " + key}
}

func broadcast(n int, body string) []store.Outgoing {
	msgs := make([]store.Outgoing, n)
	for i := range msgs {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("b:%s:%d", body, i), Kind: store.KindBroadcast,
			Phone: fmt.Sprintf("+2547%08d", i), Body: body}
	}
	return msgs
}
