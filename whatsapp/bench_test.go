package whatsapp

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// BenchmarkWebhook posts signed one-message webhooks from 200 conversations at once through the
// router and reports the latency to the 200 OK (the durable inbox row written first), p50 and p99,
// then checks every message was stored once. PostgreSQL too when TEST_DATABASE_URL is set.
//
//	go test ./whatsapp/ -run '^$' -bench Webhook -benchtime 4000x
func BenchmarkWebhook(b *testing.B) {
	dbs := map[string]*store.DB{"sqlite": storetest.SQLite(b)}
	if pg := storetest.Postgres(b); pg != nil {
		dbs["postgres"] = pg
	}
	for name, db := range dbs {
		b.Run(name, func(b *testing.B) { benchWebhook(b, db) })
	}
}

// benchSeq numbers the benchmark's messages across its runs on one database, so each is new.
var benchSeq atomic.Int64

func benchWebhook(b *testing.B, db *store.DB) {
	h := newWebhookHarness(b, db)
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	b.SetParallelism(max(1, 200/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := benchSeq.Add(1)
			body := fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":"PNID"},"messages":[{"from":"2547%08d","id":"wamid.B%d","timestamp":"1764576000","type":"text","text":{"body":"1"}}]}}]}]}`, n%200, n)
			req := httptest.NewRequest(http.MethodPost, "/whatsapp", bytes.NewReader(body))
			req.Header.Set(cloudapi.SignatureHeader, cloudapi.Sign(testSecret, body))
			w := httptest.NewRecorder()
			start := time.Now()
			h.router.ServeHTTP(w, req)
			d := time.Since(start)
			if w.Code != 200 {
				b.Errorf("POST = %d", w.Code)
			}
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		}
	})
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	if err := h.inbox.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	if got := count(h.metrics.messages); int(got) != b.N {
		b.Errorf("%v messages stored, want %d", got, b.N)
	}
}

// BenchmarkWebhookConversations is 200 conversations at once as nurses make them: each posts a
// message, then waits a think time (0.5 to 1.5 s, as a nurse reads and taps) before the next, so
// about 200 POSTs a second arrive whatever the server does (an open loop), while the inbox applies
// them. It reports the latency to the 200 OK, p50 and p99, and checks every message was stored once;
// b.N is the number of POSTs.
//
//	go test ./whatsapp/ -run '^$' -bench WebhookConversations -benchtime 4000x
func BenchmarkWebhookConversations(b *testing.B) {
	dbs := map[string]*store.DB{"sqlite": storetest.SQLite(b)}
	if pg := storetest.Postgres(b); pg != nil {
		dbs["postgres"] = pg
	}
	for name, db := range dbs {
		b.Run(name, func(b *testing.B) { benchConversations(b, db) })
	}
}

func benchConversations(b *testing.B, db *store.DB) {
	const conversations = 200
	h := newWebhookHarness(b, db)
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	// The inbox applies what is stored meanwhile, as in production: on SQLite it takes turns with
	// the webhook's commits for the one writer.
	stored := func() int { return storetest.WhatsAppMessageCount(b, db, "wamid.C") }
	before := stored()
	ctx, stop := context.WithCancel(context.Background())
	inboxDone := make(chan struct{})
	go func() { h.inbox.Run(ctx); close(inboxDone) }()
	b.ResetTimer()
	for c := range conversations {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Stagger the first messages over one think time, as conversations do not start together.
			time.Sleep(time.Duration(c) * time.Second / conversations)
			for next.Add(1) <= int64(b.N) {
				n := benchSeq.Add(1)
				body := fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":"PNID"},"messages":[{"from":"2547%08d","id":"wamid.C%d","timestamp":"1764576000","type":"text","text":{"body":"1"}}]}}]}]}`, c, n)
				req := httptest.NewRequest(http.MethodPost, "/whatsapp", bytes.NewReader(body))
				req.Header.Set(cloudapi.SignatureHeader, cloudapi.Sign(testSecret, body))
				w := httptest.NewRecorder()
				start := time.Now()
				h.router.ServeHTTP(w, req)
				d := time.Since(start)
				if w.Code != 200 {
					b.Errorf("POST = %d", w.Code)
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				time.Sleep(500*time.Millisecond + time.Duration(n%1000)*time.Millisecond)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	stop()
	<-inboxDone
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	if err := h.inbox.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	// Counted in the table: the inbox stopped mid-commit may have committed what it could not count.
	if got := stored() - before; got != len(lat) {
		b.Errorf("%d messages stored, want %d", got, len(lat))
	}
}
