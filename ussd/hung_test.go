package ussd

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/kv/kvtest"
)

// TestHungRedisAnswersWithinTheDeadline: Redis stops answering (a proxy
// the test owns holds everything, as a redis-server stopped with SIGSTOP
// would) while twenty phones hop at once; each hop answers the apology
// within the hop deadline, whose waits do not stack in the shared pipeline
// (kv.Client.Batched), so the gateway shows Chanjo's apology, never its own
// error. When Redis answers again, hops work again.
func TestHungRedisAnswersWithinTheDeadline(t *testing.T) {
	backend := hungBackend(t)
	px := kvtest.NewProxy(t, backend.Host)
	backend.Host = px.Addr()
	c, err := kv.Open(context.Background(), kv.Config{URL: backend.String(), Prefix: fmt.Sprintf("test:hung:%d:", time.Now().UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	e := newTestEnvOn(t, false, c)
	const phones = 20
	phone := func(i int) string { return fmt.Sprintf("+2547000000%02d", i) }
	for i := range phones {
		if _, got := e.post(fmt.Sprint("H", i), phone(i), ""); got[:4] != "CON " {
			t.Fatalf("dial before the hang = %q, want CON", got)
		}
	}
	px.Hang()
	type result struct {
		reply   string
		elapsed time.Duration
	}
	results := make([]result, phones)
	var wg sync.WaitGroup
	for i := range phones {
		wg.Go(func() {
			start := time.Now()
			_, reply := e.post(fmt.Sprint("H", i), phone(i), "6")
			results[i] = result{reply, time.Since(start)}
		})
	}
	wg.Wait()
	// The deadline is hopTimeout; the grace covers a busy test machine,
	// and is far below one more stacked wait.
	limit := hopTimeout + time.Second
	var slowest time.Duration
	for i, r := range results {
		slowest = max(slowest, r.elapsed)
		if r.elapsed > limit || r.reply[:4] != "END " {
			t.Errorf("hop %d with Redis hung = %q after %v, want the apology within %v", i, r.reply, r.elapsed.Round(time.Millisecond), limit)
		}
	}
	t.Logf("slowest of %d hops with Redis hung: %v", phones, slowest.Round(time.Millisecond))
	px.Resume()
	for i := 0; ; i++ {
		_, got := e.post("after", phone(0), "")
		if got[:4] == "CON " {
			break
		}
		if i == 50 {
			t.Fatalf("dial after Redis answers again = %q, want CON", got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// hungBackend returns the URL of the Redis to put behind the proxy:
// TEST_REDIS_URL's server, or an in-process one on a local port.
func hungBackend(t *testing.T) *url.URL {
	raw := os.Getenv("TEST_REDIS_URL")
	if raw == "" {
		raw = "redis://" + miniredis.RunT(t).Addr()
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
