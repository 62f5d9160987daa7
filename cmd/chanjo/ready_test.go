package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/google/go-cmp/cmp"
)

// readyzOf asks h for /readyz and decodes the answer.
func readyzOf(t *testing.T, h http.Handler) (int, readyAnswer) {
	t.Helper()
	rec := do(h, "GET", "/readyz")
	var ans readyAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatalf("GET /readyz: %d %q: %v", rec.Code, rec.Body.String(), err)
	}
	return rec.Code, ans
}

// TestReadyzThroughSharedRedisBlip: an outage of a Redis every instance
// shares leaves the instance ready (taking all of them out would answer
// the gateway with the balancer's 503); it shows in the detail and in
// chanjo_dependency_up, and clears when Redis is back.
func TestReadyzThroughSharedRedisBlip(t *testing.T) {
	m := miniredis.RunT(t)
	a, _ := testApp(t, map[string]string{"REDIS_URL": "redis://" + m.Addr()})
	h := a.router()
	a.state.Store(stateServing)
	want := func(redisOK bool) readyAnswer {
		return readyAnswer{Ready: true, State: "serving", Checks: []readyCheck{
			{Name: "database", OK: true}, {Name: "redis", OK: redisOK, Shared: true}}}
	}
	if code, ans := readyzOf(t, h); code != 200 || !cmp.Equal(ans, want(true)) {
		t.Fatalf("before the blip: /readyz = %d %+v, want 200 %+v", code, ans, want(true))
	}
	m.Close()
	if code, ans := readyzOf(t, h); code != 200 || !cmp.Equal(ans, want(false)) {
		t.Errorf("Redis down: /readyz = %d %+v, want 200 %+v", code, ans, want(false))
	}
	metric := `chanjo_dependency_up{dependency="redis",shared="true"} 0`
	if body := do(h, "GET", "/metrics").Body.String(); !strings.Contains(body, metric) {
		t.Errorf("Redis down: /metrics lacks %q", metric)
	}
	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	// go-redis drops the connections the outage broke as it meets them.
	for i := 0; ; i++ {
		code, ans := readyzOf(t, h)
		if code == 200 && cmp.Equal(ans, want(true)) {
			break
		}
		if i == 50 {
			t.Fatalf("Redis back: /readyz = %d %+v, want 200 %+v", code, ans, want(true))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestReadyzStartingAndDraining: /readyz is 503 until serve runs, 200 while
// it serves, and 503 from SIGTERM (ctx cancelled) while the instance drains,
// still answering, before it shuts down.
func TestReadyzStartingAndDraining(t *testing.T) {
	a, _ := testApp(t, map[string]string{"CHANJO_DRAIN_DELAY": "3s"})
	h := a.router()
	if code, ans := readyzOf(t, h); code != 503 || ans.State != "starting" {
		t.Errorf("before serve: /readyz = %d %+v, want 503 starting", code, ans)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/readyz"
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, h) }()
	get := func() (int, readyAnswer) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET /readyz: %v", err)
		}
		defer resp.Body.Close()
		var ans readyAnswer
		json.NewDecoder(resp.Body).Decode(&ans)
		return resp.StatusCode, ans
	}
	for i := 0; ; i++ {
		if code, ans := get(); code == 200 && ans.State == "serving" {
			break
		} else if i == 50 {
			t.Fatalf("serving: /readyz = %d %+v, want 200 serving", code, ans)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	for i := 0; ; i++ {
		code, ans := get()
		if code == 503 && ans.State == "draining" {
			break
		}
		if code != 200 || i == 50 {
			t.Fatalf("after SIGTERM: /readyz = %d %+v, want 503 draining", code, ans)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := <-done; err != nil {
		t.Errorf("serve after the drain = %v, want nil", err)
	}
}
