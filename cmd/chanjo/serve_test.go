package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/ussd"
)

// testApp wires the service on a temporary SQLite file and the Redis of
// TEST_REDIS_URL (or an in-process one), as `chanjo serve` does.
func testApp(t *testing.T, extra map[string]string) (*app, *bytes.Buffer) {
	t.Helper()
	vars := map[string]string{
		"DATABASE_URL": filepath.Join(t.TempDir(), "chanjo.db"),
		"REDIS_PREFIX": fmt.Sprintf("test:%s:%d:", strings.ReplaceAll(t.Name(), "/", "_"), time.Now().UnixNano()),
		"REDIS_URL":    os.Getenv("TEST_REDIS_URL"),
		// Tests stop serve at once; ready_test.go sets a drain.
		"CHANJO_DRAIN_DELAY": "0s",
	}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := loadConfig(envOf(vars))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return a, &out
}

func TestCallbackTokenGeneratedOnceAndShared(t *testing.T) {
	a, out := testApp(t, nil)
	if len(a.token) < 32 || !strings.Contains(out.String(), "/ussd?token="+a.token) {
		t.Fatalf("first start: token %q, printed %q", a.token, out.String())
	}
	// A second instance on the same database reads the same token and prints nothing.
	var out2 bytes.Buffer
	b, err := newApp(context.Background(), a.cfg, a.log, &out2)
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	if b.token != a.token || out2.Len() != 0 {
		t.Errorf("second instance: token %q printed %q, want %q and nothing printed", b.token, out2.String(), a.token)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	a, _ := testApp(t, nil)
	h := a.router()
	a.state.Store(stateServing)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		rec := do(h, "GET", path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, rec.Code)
		}
	}
	body := do(h, "GET", "/metrics").Body.String()
	for _, want := range []string{`chanjo_http_requests_total{method="GET",route="/healthz",status="200"} 1`, "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestReadyzFailsWhenRedisIsDown: a Redis client the instance closed is its
// own fault, whatever server it talked to.
func TestReadyzFailsWhenRedisIsDown(t *testing.T) {
	a, _ := testApp(t, nil)
	h := a.router()
	a.state.Store(stateServing)
	a.kv.Close()
	if rec := do(h, "GET", "/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with Redis closed = %d, want 503", rec.Code)
	}
}

func TestRequireToken(t *testing.T) {
	r := gin.New()
	r.POST("/cb", requireToken("s3cret-token-0123456789", newRefusals(slog.New(slog.DiscardHandler))), func(c *gin.Context) { c.String(200, "done") })
	for _, tt := range []struct {
		query string
		want  int
	}{{"", 403}, {"?token=wrong", 403}, {"?token=s3cret-token-0123456789", 200},
		{"?a=1&token=s3cret%2Dtoken-0123456789&token=wrong", 200}, {"?token=wrong&token=s3cret-token-0123456789", 403},
		{"?tok%en=x&%74oken=s3cret-token-0123456789", 200}, {"?token=%zz&token=s3cret-token-0123456789", 200},
		{"?tokens=s3cret-token-0123456789", 403}} {
		if rec := do(r, "POST", "/cb"+tt.query); rec.Code != tt.want {
			t.Errorf("POST /cb%s = %d, want %d", tt.query, rec.Code, tt.want)
		}
	}
}

// TestShutdownFinishesInFlightRequests cancels the server while a request is
// being answered; the request must still get its full answer.
func TestShutdownFinishesInFlightRequests(t *testing.T) {
	a, _ := testApp(t, nil)
	stopped := make(chan string, 2)
	a.workers = []worker{
		{"first", func(ctx context.Context) error { <-ctx.Done(); stopped <- "first"; return nil }},
		{"second", func(ctx context.Context) error { <-ctx.Done(); stopped <- "second"; return nil }},
	}
	h := a.router()
	started := make(chan struct{})
	h.GET("/slow", func(c *gin.Context) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		c.String(200, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, h) }()
	type result struct {
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{string(b), err}
	}()
	<-started
	cancel()
	if r := <-res; r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request during shutdown = %q, %v, want finished", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("serve = %v, want nil after a graceful shutdown", err)
	}
	if first, second := <-stopped, <-stopped; first != "second" || second != "first" {
		t.Errorf("workers stopped in order %s, %s, want second, first (reverse of start)", first, second)
	}
}

// TestRootRedirectsToConsole: the bare address opens the console, not a 404.
func TestRootRedirectsToConsole(t *testing.T) {
	a, _ := testApp(t, nil)
	rec := do(a.router(), "GET", "/")
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "/admin" {
		t.Errorf("GET / = %d to %q, want 302 to /admin", rec.Code, rec.Header().Get("Location"))
	}
}

// TestRouterChangesNothing: the workers are listed once, in start order,
// when the app is built; building the router (as every test and dial
// --local do, and as often as they like) adds none, and the reminder
// scheduler and the dispatcher ask Redis about USSD sessions (no second USSD
// service).
func TestRouterChangesNothing(t *testing.T) {
	a, _ := testApp(t, nil)
	names := func() string {
		var n []string
		for _, w := range a.workers {
			n = append(n, w.name)
		}
		return strings.Join(n, " ")
	}
	const want = "process sms reminders relay retention ussd-progress"
	if got := names(); got != want {
		t.Errorf("workers = %q, want %q (start order)", got, want)
	}
	a.router()
	a.router()
	if got := names(); got != want {
		t.Errorf("workers after building the router twice = %q, want %q", got, want)
	}
	if s, ok := a.scheduler().Sessions.(*ussd.Presence); !ok {
		t.Errorf("scheduler's sessions = %T, want *ussd.Presence", s)
	}
	if s, ok := a.dispatcher(io.Discard).Sessions.(*ussd.Presence); !ok {
		t.Errorf("dispatcher's sessions = %T, want *ussd.Presence", s)
	}
}
