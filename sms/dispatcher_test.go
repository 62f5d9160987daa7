package sms_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestQuietHoursHoldNudgeNotReply(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRig(t, db, sms.Config{Quiet: sms.QuietHours{Start: 19 * 60, End: 7 * 60}})
		r.clock.Set(at(21, 0))
		r.enqueue(t, nudge("n", "+254711000001"),
			store.Outgoing{DedupeKey: "u", Kind: store.KindBroadcast, Phone: "+254711000002", Body: "urgent", Urgent: true},
			store.Outgoing{DedupeKey: "r", Kind: store.KindReply, Phone: "+254711000003", Body: "reply"})
		steps := []struct {
			now  time.Time
			want []string
		}{
			{at(21, 0), []string{"reply", "urgent"}},
			{at(21, 0).Add(9*time.Hour + 59*time.Minute), []string{"reply", "urgent"}},
			{at(21, 0).Add(10 * time.Hour), []string{"reply", "urgent", "nudge n"}},
		}
		for _, s := range steps {
			r.clock.Set(s.now)
			r.drain(t)
			if diff := cmp.Diff(s.want, r.sentTexts()); diff != "" {
				t.Errorf("sent by %s (-want +got):\n%s", s.now.In(nairobi).Format("Jan 2 15:04"), diff)
			}
		}
	})
}

// TestRetryUntilHorizonThenExpire: a retryable failure is retried with a
// doubling backoff capped at BackoffMax until its horizon, then expires with
// its last reason.
func TestRetryUntilHorizonThenExpire(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRig(t, db, sms.Config{RetryReply: 2 * time.Hour})
		r.fake.SetCode("+254711000001", 500) // InternalServerError: retryable
		r.enqueue(t, store.Outgoing{DedupeKey: "r", Kind: store.KindReply, Phone: "+254711000001", Body: "reply"})
		start := r.clock.Now()
		steps := []struct {
			minutes int
			want    row
		}{
			{0, row{"queued", 1, "InternalServerError"}},
			{4, row{"queued", 1, "InternalServerError"}},
			{5, row{"queued", 2, "InternalServerError"}},
			{15, row{"queued", 3, "InternalServerError"}},
			{35, row{"queued", 4, "InternalServerError"}},
			{65, row{"queued", 5, "InternalServerError"}},  // 40 min is capped to 30
			{95, row{"expired", 6, "InternalServerError"}}, // 125 min would pass the 2 h horizon
			{300, row{"expired", 6, "InternalServerError"}},
		}
		for _, s := range steps {
			r.clock.Set(start.Add(time.Duration(s.minutes) * time.Minute))
			r.drain(t)
			if got := r.row(t, "r"); got != s.want {
				t.Errorf("row after %d min = %+v, want %+v", s.minutes, got, s.want)
			}
		}
		if got := r.fake.Requests(); got != 6 {
			t.Errorf("send requests = %d, want 6 (one per attempt)", got)
		}
	})
}

func TestSendOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(g *fakegatewaytest.Server)
		want    row
		resend  bool // a second drain after the backoff sends it again
	}{
		{"accepted", func(*fakegatewaytest.Server) {}, row{"accepted", 1, ""}, false},
		{"invalid number fails at once", func(g *fakegatewaytest.Server) { g.SetCode("+254711000001", africastalking.CodeInvalidPhoneNumber) }, row{"failed", 1, "InvalidPhoneNumber"}, false},
		{"blacklisted fails at once", func(g *fakegatewaytest.Server) { g.SetCode("+254711000001", africastalking.CodeUserInBlacklist) }, row{"failed", 1, "UserInBlacklist"}, false},
		{"server error retried", func(g *fakegatewaytest.Server) { g.FailNext(1, fakegateway.FailServer) }, row{"queued", 1, "HTTP 500"}, true},
		{"throttled retried", func(g *fakegatewaytest.Server) { g.FailNext(1, fakegateway.FailThrottle) }, row{"queued", 1, "HTTP 429"}, true},
		{"unreadable 2xx never resent", func(g *fakegatewaytest.Server) { g.FailNext(1, fakegateway.FailMalformed) }, row{"unconfirmed", 1, "unreadable answer"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, storetest.SQLite(t), sms.Config{})
			tt.prepare(r.fake)
			r.enqueue(t, nudge("n", "+254711000001"))
			r.drain(t)
			if got := r.row(t, "n"); got != tt.want {
				t.Errorf("row = %+v, want %+v", got, tt.want)
			}
			before := r.fake.Requests()
			r.clock.Set(r.clock.Now().Add(time.Hour))
			r.drain(t)
			if resent := r.fake.Requests() > before; resent != tt.resend {
				t.Errorf("sent again after an hour = %v, want %v", resent, tt.resend)
			}
		})
	}
}

func TestBroadcastBatchesIdenticalBodies(t *testing.T) {
	r := newRig(t, storetest.SQLite(t), sms.Config{Batch: 10})
	r.enqueue(t, broadcast(25, "clinic moved")...)
	r.enqueue(t, broadcast(3, "other text")...)
	r.drain(t)
	if got := r.fake.SentCount(); got != 28 {
		t.Errorf("SentCount = %d, want 28", got)
	}
	// 25 in requests of 10, 10, 5, plus 3: four requests.
	if got := r.fake.Requests(); got != 4 {
		t.Errorf("Requests = %d, want 4", got)
	}
}

// TestNoGatewayNeverDelivers: without a gateway a message is marked
// not_sent_no_gateway, never delivered, and printed only to Out.
func TestNoGatewayNeverDelivers(t *testing.T) {
	db := storetest.SQLite(t)
	var out bytes.Buffer
	d := sms.NewDispatcher(db, nil, sms.Config{})
	d.Out = &out
	r := &rig{db: db, disp: d}
	r.enqueue(t, nudge("n", "+254711223344"))
	r.drain(t)
	if got := r.row(t, "n"); got.Status != store.OutNotSent {
		t.Errorf("status = %q, want %s", got.Status, store.OutNotSent)
	}
	if s := out.String(); strings.Contains(s, "+254711223344") || !strings.Contains(s, "nudge n") {
		t.Errorf("printed %q, want the body with the number masked", s)
	}
}

func TestTwoDispatchersNeverSendTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 400
		r := newRig(t, db, sms.Config{Batch: 20, Poll: 5 * time.Millisecond})
		r.enqueue(t, broadcast(n, "one body")...)
		client := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: r.fake.URL})
		other := sms.NewDispatcher(db, client, sms.Config{Batch: 20, Poll: 5 * time.Millisecond})
		other.Now = r.clock.Now
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, d := range []*sms.Dispatcher{r.disp, other} {
			wg.Add(1)
			go func() { defer wg.Done(); d.Run(ctx) }()
		}
		deadline := time.Now().Add(30 * time.Second)
		for r.fake.SentCount() < n && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		if got, dups := r.fake.SentCount(), r.fake.Duplicates(); got != n || dups != 0 {
			t.Errorf("sent %d with %d duplicates, want %d and 0", got, dups, n)
		}
	})
}

func TestGroupsNeverRepeatANumber(t *testing.T) {
	r := newRig(t, storetest.SQLite(t), sms.Config{})
	r.enqueue(t,
		store.Outgoing{DedupeKey: "a", Kind: store.KindNudge, Phone: "+254711000001", Body: "same"},
		store.Outgoing{DedupeKey: "b", Kind: store.KindNudge, Phone: "+254711000001", Body: "same"})
	r.drain(t)
	if got := r.fake.Requests(); got != 2 {
		t.Errorf("Requests = %d, want 2 (one number twice cannot share a request)", got)
	}
	for _, k := range []string{"a", "b"} {
		if got := r.row(t, k); got.Status != "accepted" {
			t.Errorf("row %s = %+v, want accepted", k, got)
		}
	}
}

func TestRecordsSegmentsAndCost(t *testing.T) {
	r := newRig(t, storetest.SQLite(t), sms.Config{})
	long := strings.Repeat("Tally as you vaccinate. ", 8) // 192 GSM-7 characters: 2 segments
	uni := "Karibu \u2764"                                // a heart forces UCS-2: 1 segment of 70
	r.enqueue(t, store.Outgoing{DedupeKey: "long", Kind: store.KindNudge, Phone: "+254711000001", Body: long},
		store.Outgoing{DedupeKey: "uni", Kind: store.KindNudge, Phone: "+254711000002", Body: uni})
	r.drain(t)
	for _, tt := range []struct {
		key      string
		segments int
		cost     float64
	}{{"long", 2, 1.6}, {"uni", 1, 0.8}} {
		got := storetest.OutByKey(t, r.db, tt.key)
		if got.Segments != tt.segments || got.Cost != tt.cost {
			t.Errorf("%s: segments, cost = %d, %v, want %d, %v", tt.key, got.Segments, got.Cost, tt.segments, tt.cost)
		}
	}
}

// TestEarlyDeliveryCounted: a delivery report that came before its send's
// result is applied by the running dispatcher and counted as delivered.
func TestEarlyDeliveryCounted(t *testing.T) {
	db := storetest.SQLite(t)
	r := newRig(t, db, sms.Config{})
	reg := prometheus.NewRegistry()
	r.disp.Metrics = sms.NewMetrics(reg)
	ctx := context.Background()
	r.enqueue(t, nudge("n", "+254711000001"))
	l, err := db.Claim(ctx, store.ClaimOptions{Owner: "elsewhere", Limit: 1, Lease: time.Minute})
	if err != nil || len(l.Msgs) != 1 {
		t.Fatalf("Claim = %+v, %v", l, err)
	}
	if _, err := db.RecordDelivery(ctx, store.Delivery{GatewayID: "ATXid_early", GatewayStatus: "Success", Status: store.OutDelivered}); err != nil {
		t.Fatal(err)
	}
	if err := db.Finish(ctx, "elsewhere", []store.Result{{ID: l.Msgs[0].ID, Status: store.OutAccepted, GatewayID: "ATXid_early"}}); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.disp.Run(runCtx) }()
	deadline := time.Now().Add(5 * time.Second)
	for counter(t, reg, "chanjo_sms_delivered_total") < 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	if got := counter(t, reg, "chanjo_sms_delivered_total"); got != 1 {
		t.Errorf("chanjo_sms_delivered_total = %v, want 1", got)
	}
	if got := r.row(t, "n"); got.Status != "delivered" {
		t.Errorf("message = %+v, want delivered", got)
	}
}

// counter reads the value of the counter called name from reg.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == name && len(f.GetMetric()) > 0 {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}
