package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// Several instances on one PostgreSQL database (README "Production", "Several
// instances"): three `chanjo serve` processes built from the tree share the
// reminders and the outbox. CHANJO_INSTANCES_REMINDERS (default 2,000),
// CHANJO_INSTANCES_N (default 3) and CHANJO_INSTANCES_BROADCAST (default
// 3,000) size it; docs/performance.md has the figures measured with it.

// instance is one running `chanjo serve` and what its log said.
type instance struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	seen map[string]int // message → sum of its "claimed" attributes
	id   string         // the process identity it logged
	done chan struct{}
}

// startInstance starts bin serve with env, reading its JSON log: errors go to
// the test log, "claimed" counts are summed by message.
func startInstance(t *testing.T, bin string, env []string) *instance {
	t.Helper()
	in := &instance{cmd: exec.Command(bin, "serve"), seen: map[string]int{}, done: make(chan struct{})}
	in.cmd.Env = append(env, "LOG_FORMAT=json", "LOG_LEVEL=info")
	r, w := io.Pipe()
	in.cmd.Stderr = w
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(in.done)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			var line struct {
				Level, Msg, Process string
				Claimed             int
			}
			if json.Unmarshal(sc.Bytes(), &line) != nil || line.Level == "ERROR" {
				t.Log(sc.Text())
			}
			in.mu.Lock()
			in.seen[line.Msg] += line.Claimed
			if line.Msg == "process registered" {
				in.id = line.Process
			}
			in.mu.Unlock()
		}
	}()
	go func() { in.cmd.Wait(); w.Close() }()
	return in
}

func (in *instance) claimed(msg string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.seen[msg]
}

// process returns the instance's process identity, once it has logged it.
func (in *instance) process(t *testing.T) string {
	var id string
	waitFor(t, 30*time.Second, func() bool {
		in.mu.Lock()
		defer in.mu.Unlock()
		id = in.id
		return id != ""
	})
	return id
}

// stop ends the instance with sig and waits for its log to close.
func (in *instance) stop(sig syscall.Signal) {
	in.cmd.Process.Signal(sig)
	<-in.done
}

func envInt(t *testing.T, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// instancesRig is a migrated PostgreSQL schema, a fake gateway and the
// environment of the instances.
type instancesRig struct {
	db   *store.DB
	fake *fakegatewaytest.Server
	bin  string
	env  []string
}

// TestInstances builds the binary once and runs the multi-instance cases on
// it, each on a schema of its own.
func TestInstances(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" || testing.Short() {
		t.Skip("needs TEST_DATABASE_URL and builds the binary (skipped with -short)")
	}
	bin := filepath.Join(t.TempDir(), "chanjo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("reminders", func(t *testing.T) { instancesShareReminders(t, bin) })
	t.Run("kill", func(t *testing.T) { instanceKilledMidBroadcast(t, bin) })
	t.Run("rate", func(t *testing.T) { instancesShareOneRate(t, bin) })
}

// newInstancesRig returns a rig on a fresh schema of TEST_DATABASE_URL whose
// instances run bin.
func newInstancesRig(t *testing.T, bin string) *instancesRig {
	base := os.Getenv("TEST_DATABASE_URL")
	dsn := pgSchema(t, base)
	db := storetest.Open(t, dsn)
	fake := fakegatewaytest.NewServer(fakegateway.Options{})
	t.Cleanup(fake.Close)
	fake.SetLatency(2 * time.Millisecond)
	env := append(os.Environ(), "DATABASE_URL="+dsn, "CHANJO_ADDR=127.0.0.1:0", "CALLBACK_TOKEN=instances-test-token",
		"AT_USERNAME=sandbox", "AT_API_KEY="+fakegateway.DefaultAPIKey, "AT_BASE_URL="+fake.URL,
		"AT_BATCH=100", "SMS_RATE=0", "SMS_QUIET_HOURS=off", "REDIS_URL=", "CHANJO_TZ=UTC")
	return &instancesRig{db: db, fake: fake, bin: bin, env: env}
}

// scheduleReminders enrols n active nurses and gives each a reminder due
// now.
func (r *instancesRig) scheduleReminders(t *testing.T, n int) {
	ctx := context.Background()
	now := time.Now().UTC()
	f := storetest.Facility(t, r.db, "99001", "Instances Dispensary", "Test", "Test", now)
	storetest.Nurses(t, r.db, f, "Nurse", 10_000_001, n, now)
	if got, err := r.db.ScheduleForActive(ctx, store.RuleWeekly, "instances-test", now.Add(-time.Minute)); err != nil || got != n {
		t.Fatalf("ScheduleForActive = %d, %v, want %d", got, err, n)
	}
}

// instancesShareReminders: N instances settle the due reminders in
// disjoint claims (the claims they log add up to the reminders, none
// claimed twice), each nurse gets one nudge, and every instance worked.
func instancesShareReminders(t *testing.T, bin string) {
	r := newInstancesRig(t, bin)
	n, procs := envInt(t, "CHANJO_INSTANCES_REMINDERS", 2000), envInt(t, "CHANJO_INSTANCES_N", 3)
	r.scheduleReminders(t, n)
	start := time.Now()
	var ins []*instance
	for range procs {
		ins = append(ins, startInstance(t, r.bin, r.env))
	}
	waitFor(t, 5*time.Minute, func() bool {
		return storetest.DueReminders(t, r.db, time.Now()) == 0
	})
	elapsed := time.Since(start)
	waitFor(t, time.Minute, func() bool { return pending(t, r.db) == 0 })
	claims, total := make([]int, procs), 0
	for i, in := range ins {
		in.stop(syscall.SIGTERM)
		claims[i] = in.claimed("reminders settled")
		total += claims[i]
	}
	sent, first2last := storetest.SentReminders(t, r.db)
	span := first2last.Seconds() // from the first reminder settled to the last
	nudged := map[string]bool{}
	for _, o := range storetest.OutWhere(t, r.db, func(o storetest.Out) bool { return o.Kind == store.KindNudge }) {
		nudged[o.Phone] = true
	}
	nudges := len(nudged)
	t.Logf("%d reminders on %d instances: settled %v after start (%.0f/s), first to last %.2fs (%.0f/s), claims per instance %v, gateway duplicates %d",
		n, procs, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), span, float64(n)/span, claims, r.fake.Duplicates())
	if sent != n || nudges != n || r.fake.SentCount() != n || r.fake.Duplicates() != 0 {
		t.Errorf("sent %d reminders, nudges to %d numbers, %d at the gateway with %d duplicates; want %d, %d, %d, 0",
			sent, nudges, r.fake.SentCount(), r.fake.Duplicates(), n, n, n)
	}
	if total != n {
		t.Errorf("claims add up to %d, want %d: a reminder claimed twice, or one never", total, n)
	}
	for i, c := range claims {
		if c == 0 && procs > 1 && n >= 1000 {
			t.Errorf("instance %d claimed no reminder: the others took them all", i)
		}
	}
}

// instanceKilledMidBroadcast: of three instances sending a broadcast,
// one is SIGKILLed while it holds a lease; the others send its rows within
// 30 s of the kill (its heartbeat stops, they take its leases back), none
// is lost, and at most its request in flight is sent twice.
func instanceKilledMidBroadcast(t *testing.T, bin string) {
	r := newInstancesRig(t, bin)
	n := envInt(t, "CHANJO_INSTANCES_BROADCAST", 3000)
	msgs := make([]store.Outgoing, n)
	for i := range msgs {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("kill:%d", i), Kind: store.KindBroadcast,
			Phone: fmt.Sprintf("+2547%08d", i), Body: "Chanjo: instances test"}
	}
	if _, err := r.db.Enqueue(context.Background(), r.db, msgs...); err != nil {
		t.Fatal(err)
	}
	r.fake.SetLatency(20 * time.Millisecond) // slow enough that every instance holds a lease at the kill
	var ins []*instance
	for range 3 {
		ins = append(ins, startInstance(t, r.bin, r.env))
	}
	victim := ins[0].process(t)
	var held int
	waitFor(t, time.Minute, func() bool {
		held = len(storetest.OutWhere(t, r.db, func(o storetest.Out) bool {
			return o.Status == store.OutQueued && o.LeaseOwner.String == victim
		}))
		return held > 0 && r.fake.SentCount() > n/10
	})
	ins[0].stop(syscall.SIGKILL)
	kill := time.Now()
	waitFor(t, 30*time.Second, func() bool { return pending(t, r.db) == 0 })
	after := time.Since(kill)
	delivered := map[string]bool{}
	for _, m := range r.fake.Sent() {
		delivered[m.To] = true
	}
	lost, dups := n-len(delivered), r.fake.Duplicates()
	t.Logf("%d messages, one of 3 instances killed holding %d rows: all sent %v after the kill, %d lost, %d duplicates",
		n, held, after.Round(100*time.Millisecond), lost, dups)
	if lost != 0 || dups > 100 {
		t.Errorf("lost %d, duplicates %d; want 0 lost and at most one request (100)", lost, dups)
	}
	for _, in := range ins[1:] {
		in.stop(syscall.SIGTERM)
	}
}

// instancesShareOneRate measures the gateway's rate with three instances
// sending at SMS_RATE=10 through one Redis (TEST_REDIS_URL) for
// CHANJO_RATE_SECONDS seconds; it runs only when that is set (a measurement,
// recorded in docs/performance.md), and fails above SMS_RATE + 10 %.
func instancesShareOneRate(t *testing.T, bin string) {
	secs, redis := os.Getenv("CHANJO_RATE_SECONDS"), os.Getenv("TEST_REDIS_URL")
	if secs == "" || redis == "" {
		t.Skip("a measurement: set CHANJO_RATE_SECONDS and TEST_REDIS_URL")
	}
	window := time.Duration(envInt(t, "CHANJO_RATE_SECONDS", 30)) * time.Second
	r := newInstancesRig(t, bin)
	msgs := make([]store.Outgoing, 20*int(window.Seconds())+200)
	for i := range msgs {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("rate:%d", i), Kind: store.KindBroadcast,
			Phone: fmt.Sprintf("+2547%08d", i), Body: "Chanjo: rate test"}
	}
	if _, err := r.db.Enqueue(context.Background(), r.db, msgs...); err != nil {
		t.Fatal(err)
	}
	env := append(r.env, "SMS_RATE=10", "REDIS_URL="+redis, fmt.Sprintf("REDIS_PREFIX=ratetest%d:", time.Now().UnixNano()))
	var ins []*instance
	for range 3 {
		ins = append(ins, startInstance(t, r.bin, env))
	}
	waitFor(t, time.Minute, func() bool { return r.fake.SentCount() > 20 }) // all three up and sending
	from, start := r.fake.SentCount(), time.Now()
	time.Sleep(window)
	sent, elapsed := r.fake.SentCount()-from, time.Since(start)
	for _, in := range ins {
		in.stop(syscall.SIGTERM)
	}
	rate := float64(sent) / elapsed.Seconds()
	t.Logf("3 instances at SMS_RATE=10: %d messages in %v at the gateway = %.2f msg/s", sent, elapsed.Round(time.Millisecond), rate)
	if rate > 11 {
		t.Errorf("gateway rate %.2f msg/s, want at most 11 (SMS_RATE=10 + 10 %%)", rate)
	}
}
