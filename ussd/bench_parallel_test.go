package ussd

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chanjo-health/chanjo/kv"
)

// BenchmarkHopParallel runs hops of 50 phones at once through the HTTP
// handler (form parsing, Redis read, step, Redis write, answer), as the
// gateway does under load: ns/op is the machine's time per hop when every
// core is busy. It uses TEST_REDIS_URL, else the in-process Redis. The paths
// are those of the throughput measurement (docs/performance.md).
func BenchmarkHopParallel(b *testing.B) {
	paths := []struct{ name, inputs string }{
		// Lessons, Data recording, its first lesson, Next, Next, Home.
		{"lesson", "1,2,1,1,1,00"},
		// Lessons, Back, Settings, About, More, Back, Back, My progress, Back.
		{"navigation", "1,0,6,3,98,0,0,4,0"},
	}
	for _, path := range paths {
		b.Run(path.name, func(b *testing.B) { benchParallel(b, path.inputs) })
	}
}

func benchParallel(b *testing.B, inputs string) {
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
	texts := []string{""}
	for in := range strings.SplitSeq(inputs, ",") {
		texts = append(texts, joinText(texts[len(texts)-1], in))
	}
	var phones atomic.Int64
	b.SetParallelism(25) // 50 phones on 2 cores
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		n := phones.Add(1) - 1
		p := fmt.Sprintf("+2547000000%02d", n%100)
		for i := 0; pb.Next(); i++ {
			sid := fmt.Sprintf("par%d-%d", n, i/len(texts))
			if code, body := e.post(sid, p, texts[i%len(texts)]); code != 200 || body[:4] != "CON " {
				b.Errorf("hop %q = %d %q", texts[i%len(texts)], code, body)
				return
			}
		}
	})
}
