package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestSMSCallbacksNeedToken(t *testing.T) {
	a, _ := testApp(t, nil)
	h := a.router()
	tests := []struct {
		path string
		want int
	}{
		{"/sms/delivery", http.StatusForbidden},
		{"/sms/delivery?token=wrong", http.StatusForbidden},
		{"/sms/delivery?token=" + a.token, http.StatusBadRequest}, // no id: reaches the handler
	}
	for _, tt := range tests {
		if got := do(h, http.MethodPost, tt.path).Code; got != tt.want {
			t.Errorf("POST %s = %d, want %d", strings.Replace(tt.path, a.token, "TOKEN", 1), got, tt.want)
		}
	}
	if body := do(h, http.MethodGet, "/metrics").Body.String(); !strings.Contains(body, "chanjo_sms_queue_age_seconds") {
		t.Errorf("GET /metrics lacks the SMS metrics")
	}
}

// crashSize reads CHANJO_CRASH_N and CHANJO_CRASH_KILLS: 20,000 messages and
// 10 kills outside CI, 1,000 and 3 by default.
func crashSize(t *testing.T) (n, kills int) {
	n, kills = 1000, 3
	for name, v := range map[string]*int{"CHANJO_CRASH_N": &n, "CHANJO_CRASH_KILLS": &kills} {
		if s := os.Getenv(name); s != "" {
			x, err := strconv.Atoi(s)
			if err != nil || x < 1 {
				t.Fatalf("%s=%q: want a positive number", name, s)
			}
			*v = x
		}
	}
	return n, kills
}

// TestCrashLosesNothing SIGKILLs chanjo serve at random points of a dispatch
// to the fake gateway, restarts it until the outbox is drained, and counts
// at the fake: every message arrives, and duplicates stay within the
// requests in flight at the kills.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "chanjo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "crash.db")}
	if base := os.Getenv("TEST_DATABASE_URL"); base != "" {
		dsns["postgres"] = pgSchema(t, base)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) { crashRun(t, bin, dsn) })
	}
}

func crashRun(t *testing.T, bin, dsn string) {
	const batch = 100
	n, kills := crashSize(t)
	ctx := context.Background()
	db := storetest.Open(t, dsn)
	msgs := make([]store.Outgoing, n)
	for i := range msgs {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("crash:%d", i), Kind: store.KindBroadcast,
			Phone: fmt.Sprintf("+2547%08d", i), Body: "Chanjo crash test"}
	}
	if _, err := db.Enqueue(ctx, db, msgs...); err != nil {
		t.Fatal(err)
	}
	fake := fakegatewaytest.NewServer(fakegateway.Options{})
	defer fake.Close()
	fake.SetLatency(2 * time.Millisecond)
	env := append(os.Environ(), "DATABASE_URL="+dsn, "CHANJO_ADDR=127.0.0.1:0", "CALLBACK_TOKEN=crash-test-callback-token",
		"AT_USERNAME=sandbox", "AT_API_KEY="+fakegateway.DefaultAPIKey, "AT_BASE_URL="+fake.URL,
		"AT_BATCH="+strconv.Itoa(batch), "SMS_RATE=0", "SMS_QUIET_HOURS=off", "LOG_LEVEL=error", "REDIS_URL=")
	env = append(env, "CHANJO_DRAIN_DELAY=0s") // the SIGTERM at the end stops at once
	for k := range kills {
		cmd := startServe(t, bin, env)
		target := fake.SentCount() + 1 + rand.IntN(max(1, (n-fake.SentCount())/(kills-k+1)))
		waitFor(t, 20*time.Second, func() bool { return fake.SentCount() >= target })
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	cmd := startServe(t, bin, env)
	waitFor(t, 60*time.Second, func() bool { return pending(t, db) == 0 })
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	delivered := map[string]bool{}
	for _, m := range fake.Sent() {
		delivered[m.To] = true
	}
	lost, dups := n-len(delivered), fake.Duplicates()
	t.Logf("%s: %d messages, %d kills: %d accepted by the fake, %d lost, %d duplicates (bound %d)",
		db.Dialect, n, kills, fake.SentCount(), lost, dups, kills*batch)
	if lost != 0 || dups > kills*batch {
		t.Errorf("lost %d, duplicates %d; want 0 lost and at most %d duplicates", lost, dups, kills*batch)
	}
}

func startServe(t *testing.T, bin string, env []string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.Stderr = tlog{t}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// tlog passes the child's log lines to the test log.
type tlog struct{ t *testing.T }

func (w tlog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v", limit)
		}
	}
}

// pending counts the rows not yet handed to the gateway.
func pending(t *testing.T, db *store.DB) int {
	return len(storetest.OutWhere(t, db, func(o storetest.Out) bool { return o.Status == store.OutQueued || o.Status == "sending" }))
}

// pgSchema returns base with a fresh schema as its search path, dropped
// when the test ends.
func pgSchema(t *testing.T, base string) string {
	admin, err := store.Open(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("crash_%d", rand.Int64())
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestFakeGatewayFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    error
		wantOut string
	}{
		{[]string{"fake-gateway", "--help"}, nil, "-callback"},
		{[]string{"fake-gateway", "--nope"}, errUsage, "not defined: -nope"},
		{[]string{"fake-gateway", "extra"}, errUsage, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		err := run(context.Background(), env{getenv: envOf(nil), stdout: &out, stderr: &out}, tt.args)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) || !strings.Contains(out.String(), tt.wantOut) {
			t.Errorf("chanjo %q = %v, %q; want %v and %q", tt.args, err, out.String(), tt.want, tt.wantOut)
		}
	}
}
