//go:build failover

// The Redis failover test starts a Redis Cluster (3 masters, 3 replicas) and
// a Sentinel group from the local redis-server on ports 7100-7199, runs 50
// phones against the service, kills a master, and reports how long after
// the promotion the apologies stop. It takes about two minutes:
//
//	go test -tags failover -run Failover -v ./cmd/chanjo/
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// failoverLimit is the README's promise ("Production"): service returns within seconds of
// a new master's promotion.
const failoverLimit = 10 * time.Second

func TestClusterFailover(t *testing.T) {
	dir := t.TempDir()
	ports := []int{7101, 7102, 7103, 7104, 7105, 7106}
	procs := map[int]*exec.Cmd{}
	var addrs []string
	for _, p := range ports {
		procs[p] = startRedis(t, dir, p, "--cluster-enabled", "yes", "--cluster-config-file", fmt.Sprintf("nodes-%d.conf", p),
			"--cluster-node-timeout", "5000")
		addrs = append(addrs, fmt.Sprintf("127.0.0.1:%d", p))
	}
	cli(t, append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "1", "--cluster-yes")...)
	awaitRedis(t, "cluster state ok", 30*time.Second, func() bool {
		for _, p := range ports {
			if !strings.Contains(cli(t, "-p", fmt.Sprint(p), "cluster", "info"), "cluster_state:ok") {
				return false
			}
		}
		return true
	})
	master, replica := 7101, 0
	awaitRedis(t, "a replica of 7101", 30*time.Second, func() bool { replica = replicaOf(t, master); return replica != 0 })
	awaitRedis(t, "replica in sync", 30*time.Second, func() bool {
		return strings.Contains(cli(t, "-p", fmt.Sprint(replica), "info", "replication"), "master_link_status:up")
	})
	runFailover(t, map[string]string{"REDIS_ADDRS": strings.Join(addrs, ",")}, procs[master], replica)
}

func TestSentinelFailover(t *testing.T) {
	dir := t.TempDir()
	master := startRedis(t, dir, 7111)
	startRedis(t, dir, 7112, "--replicaof", "127.0.0.1", "7111")
	var sentinels []string
	for _, p := range []int{7121, 7122, 7123} {
		conf := filepath.Join(dir, fmt.Sprintf("sentinel-%d.conf", p))
		os.WriteFile(conf, []byte(fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\n"+
			"sentinel monitor chanjo 127.0.0.1 7111 2\nsentinel down-after-milliseconds chanjo 2000\n"+
			"sentinel failover-timeout chanjo 10000\n", p, dir)), 0o600)
		start(t, "redis-server", conf, "--sentinel")
		sentinels = append(sentinels, fmt.Sprintf("127.0.0.1:%d", p))
	}
	awaitRedis(t, "replica in sync", 30*time.Second, func() bool {
		return strings.Contains(cli(t, "-p", "7112", "info", "replication"), "master_link_status:up")
	})
	awaitRedis(t, "sentinels see the replica", 30*time.Second, func() bool {
		return strings.Contains(cli(t, "-p", "7121", "sentinel", "replicas", "chanjo"), "7112")
	})
	runFailover(t, map[string]string{"REDIS_ADDRS": strings.Join(sentinels, ","), "REDIS_MASTER": "chanjo"}, master, 7112)
}

// runFailover serves Chanjo on the Redis of vars, runs 50 phones, kills
// master, and measures from the moment replica reports itself master to the
// last apology.
func runFailover(t *testing.T, vars map[string]string, master *exec.Cmd, replica int) {
	vars["REDIS_URL"] = ""
	a, _ := testApp(t, vars)
	if _, err := a.db.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.serve(ctx, ln, a.router()) }()
	defer func() { cancel(); <-served }()
	base := "http://" + ln.Addr().String() + "/ussd?token=" + url.QueryEscape(a.token)

	var mu sync.Mutex
	var lastApology, killed time.Time
	var apologies, hops int
	var slowest time.Duration
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			phoneLoop(base, store.DemoNursePhone(i), stop, func(reply string, took time.Duration) {
				mu.Lock()
				defer mu.Unlock()
				hops++
				slowest = max(slowest, took)
				if strings.Contains(reply, "Chanjo has a problem") {
					apologies++
					lastApology = time.Now()
				}
			})
		})
	}
	// The balancer's probe: a failover of the Redis every instance shares
	// must not take the instance out of service.
	var notReady int
	wg.Go(func() {
		ready := "http://" + ln.Addr().String() + "/readyz"
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			resp, err := http.Get(ready)
			mu.Lock()
			if err != nil || resp.StatusCode != http.StatusOK {
				notReady++
			}
			mu.Unlock()
			if err == nil {
				resp.Body.Close()
			}
		}
	})
	time.Sleep(5 * time.Second)
	mu.Lock()
	if apologies > 0 {
		t.Errorf("%d apologies before the kill", apologies)
	}
	apologies, killed = 0, time.Now()
	mu.Unlock()
	master.Process.Kill()
	var promoted time.Time
	awaitRedis(t, "promotion", 60*time.Second, func() bool {
		if strings.Contains(cli(t, "-p", fmt.Sprint(replica), "role"), "master") {
			promoted = time.Now()
			return true
		}
		return false
	})
	time.Sleep(20 * time.Second)
	close(stop)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	after := time.Duration(0)
	if lastApology.After(promoted) {
		after = lastApology.Sub(promoted)
	}
	t.Logf("hops %d, apologies %d, /readyz not 200: %d; promotion %.1f s after the kill; last apology %.1f s after the kill, %.1f s after the promotion; slowest hop %v",
		hops, apologies, notReady, promoted.Sub(killed).Seconds(), lastApology.Sub(killed).Seconds(), after.Seconds(), slowest.Round(time.Millisecond))
	if after > failoverLimit {
		t.Errorf("apologies went on %.1f s after the promotion, want at most %v", after.Seconds(), failoverLimit)
	}
	if notReady > 0 {
		t.Errorf("/readyz failed %d times during the failover, want 200 throughout", notReady)
	}
	if slowest > 6*time.Second {
		t.Errorf("slowest hop %v, want within the hop deadline", slowest)
	}
}

// phoneLoop runs the lesson walk of docs/performance.md as one phone until
// stop, reporting every answer.
func phoneLoop(base, phone string, stop <-chan struct{}, report func(string, time.Duration)) {
	client := &http.Client{Timeout: 15 * time.Second}
	path := []string{"1", "2", "1", "1", "1", "00"}
	for n := 0; ; n++ {
		sid := fmt.Sprintf("%s-%d", phone, n)
		text := ""
		for i := 0; i <= len(path); i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i > 0 {
				text = strings.TrimPrefix(text+"*"+path[i-1], "*")
			}
			start := time.Now()
			resp, err := client.PostForm(base, url.Values{"sessionId": {sid}, "phoneNumber": {phone}, "text": {text}})
			if err != nil {
				report("Chanjo has a problem: "+err.Error(), time.Since(start))
				break
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			report(string(b), time.Since(start))
			if strings.HasPrefix(string(b), "END") {
				break
			}
		}
	}
}

// startRedis starts a redis-server on port, which must be in 7100-7199,
// that keeps nothing on disk.
func startRedis(t *testing.T, dir string, port int, args ...string) *exec.Cmd {
	if port < 7100 || port > 7199 {
		t.Fatalf("port %d outside 7100-7199", port)
	}
	return start(t, "redis-server", append([]string{"--port", fmt.Sprint(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir}, args...)...)
}

// start runs a process until the test ends, and waits until it is gone.
func start(t *testing.T, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		t.Skipf("%s: %v", name, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	time.Sleep(200 * time.Millisecond)
	return cmd
}

// cli runs redis-cli and returns its output.
func cli(t *testing.T, args ...string) string {
	out, _ := exec.Command("redis-cli", args...).CombinedOutput()
	return string(out)
}

// replicaOf returns the port of the replica of the master on port, or 0.
func replicaOf(t *testing.T, port int) int {
	var id string
	nodes := cli(t, "-p", fmt.Sprint(port), "cluster", "nodes")
	for _, line := range strings.Split(nodes, "\n") {
		if f := strings.Fields(line); len(f) > 2 && strings.Contains(f[2], "myself") {
			id = f[0]
		}
	}
	for _, line := range strings.Split(nodes, "\n") {
		if f := strings.Fields(line); len(f) > 3 && f[3] == id {
			var p int
			fmt.Sscanf(strings.TrimPrefix(f[1], "127.0.0.1:"), "%d", &p)
			return p
		}
	}
	return 0
}

func awaitRedis(t *testing.T, what string, limit time.Duration, ok func() bool) {
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
