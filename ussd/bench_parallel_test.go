package ussd

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"chanjo/kv"
)

// BenchmarkHopParallel runs navigation hops of 50 phones at once through the
// HTTP handler (form parsing, Redis read, step, Redis write, answer), as the
// gateway does under load: ns/op is the machine's time per hop when every
// core is busy. It uses TEST_REDIS_URL, else the in-process Redis.
func BenchmarkHopParallel(b *testing.B) {
	e := newTestEnv(b, false)
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		c, err := kv.Open(b.Context(), kv.Config{URL: u, Prefix: "benchpar:"})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { c.Close() })
		e.kv = c
		e.svc.kv = c
	}
	// The path of the throughput measurement: Lessons, Back, Settings,
	// About, More, Back, Back, My progress, Back.
	path := []string{"", "1", "1*0", "1*0*6", "1*0*6*3", "1*0*6*3*98", "1*0*6*3*98*0", "1*0*6*3*98*0*0", "1*0*6*3*98*0*0*4", "1*0*6*3*98*0*0*4*0"}
	var phones atomic.Int64
	b.SetParallelism(25) // 50 phones on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		n := phones.Add(1) - 1
		p := fmt.Sprintf("+2547000000%02d", n%100)
		for i := 0; pb.Next(); i++ {
			sid := fmt.Sprintf("par%d-%d", n, i/len(path))
			if code, body := e.post(sid, p, path[i%len(path)]); code != 200 || body[:4] != "CON " {
				b.Errorf("hop %q = %d %q", path[i%len(path)], code, body)
				return
			}
		}
	})
}
