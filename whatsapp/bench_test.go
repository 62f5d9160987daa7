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
