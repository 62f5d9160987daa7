package ussd

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/store"
)

func benchSession() Session {
	return Session{
		Text:   "6*1*0*3",
		Frames: []Frame{{State: StHome}, {State: StSettings}, {State: StAbout, Page: 1}},
		Nurse:  Nurse{ID: 42, Name: "Wanjiru", Role: store.RoleNurse, Lang: "en", Status: store.StatusActive, Loaded: 1741080600},
		Reply:  "CON Tips come by SMS to this number: reply STOP to end them, START to get them again, HELP for the USSD code.\n98 More\n0 Back 00 Home",
		Shape:  Shape{Kind: screen.Menu, More: true},
	}
}

// BenchmarkSessionCodec measures the encoding of a session, encoded and
// decoded once per hop.
func BenchmarkSessionCodec(b *testing.B) {
	s := benchSession()
	b.ReportMetric(float64(len(encodeSession(&s))), "bytes/session")
	for b.Loop() {
		if _, err := decodeSession(string(encodeSession(&s))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHop measures one navigation hop of an active nurse through
// Service.Hop (Redis read, step, Redis write), on the in-process Redis and,
// when TEST_REDIS_URL is set, on a real one.
func BenchmarkHop(b *testing.B) {
	b.Run("inprocess", func(b *testing.B) { benchHop(b, kv.Config{Prefix: "bench:"}) })
	if u := os.Getenv("TEST_REDIS_URL"); u != "" {
		b.Run("redis", func(b *testing.B) { benchHop(b, kv.Config{URL: u, Prefix: "bench:"}) })
	}
}

func benchHop(b *testing.B, cfg kv.Config) {
	e := newTestEnv(b, false)
	c, err := kv.Open(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	svc := mustNew(b, Config{Store: e.st, KV: c, Now: func() time.Time { return testNow }})
	ctx := context.Background()
	const p = "+254700000012"
	i := 0
	for b.Loop() {
		// Sessions of "dial, 6, 0, 6, 0...": 20 hops each.
		sid, n := "bench"+strconv.Itoa(i/20), i%20
		text := ""
		for k := 1; k <= n; k++ {
			text = joinText(text, map[bool]string{true: "6", false: "0"}[k%2 == 1])
		}
		if r := svc.Hop(ctx, Request{SessionID: sid, Phone: p, Text: text}); r[:4] != "CON " {
			b.Fatalf("hop %q = %q", text, r)
		}
		i++
	}
}
