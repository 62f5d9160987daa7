package ussd

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisCounter counts round trips (a command or a pipeline) and commands.
type redisCounter struct{ trips, cmds atomic.Int64 }

func (h *redisCounter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *redisCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.trips.Add(1)
		h.cmds.Add(1)
		return next(ctx, cmd)
	}
}

func (h *redisCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.trips.Add(1)
		h.cmds.Add(int64(len(cmds)))
		return next(ctx, cmds)
	}
}

type hopCost struct{ trips, cmds, sql int64 }

func (e *testEnv) measure(h *redisCounter, sid, phone, text string) (hopCost, string) {
	t0, c0, s0 := h.trips.Load(), h.cmds.Load(), e.st.calls.Load()
	_, body := e.post(sid, phone, text)
	return hopCost{h.trips.Load() - t0, h.cmds.Load() - c0, e.st.calls.Load() - s0}, body
}

// TestHopCost counts what each hop costs: at most one Redis round trip to
// read and one to write, and no SQL while a loaded nurse only navigates. A
// dial reads the session and the phone's last position (one MGET); a later
// hop reads the session only; every change writes both (kv.Client.SetPair:
// one script, or on the in-process server two SETs in one pipeline). The
// hop's commands go through the shared pipeline (kv.Client.Batched), which
// the hook sees as one pipeline a batch: with one phone dialling, a batch is
// one hop's round trip.
func TestHopCost(t *testing.T) {
	e := newTestEnv(t, false)
	h := &redisCounter{}
	e.kv.AddHook(h)
	e.post("warm-up", "+254700000013", "") // opens the pooled connection (HELLO...)
	const p = "+254700000007"
	w := int64(1) // the commands of a write
	if e.kv.Embedded {
		w = 2
	}
	hops := []struct {
		name, sid, text string
		want            hopCost
	}{
		{"first dial reads the worker", "A", "", hopCost{2, 1 + w, 2}},
		{"Settings", "A", "6", hopCost{2, 1 + w, 0}},
		{"Language", "A", "6*1", hopCost{2, 1 + w, 0}},
		{"Back", "A", "6*1*0", hopCost{2, 1 + w, 0}},
		{"About", "A", "6*1*0*3", hopCost{2, 1 + w, 0}},
		{"More", "A", "6*1*0*3*98", hopCost{2, 1 + w, 0}},
		{"Home", "A", "6*1*0*3*98*00", hopCost{2, 1 + w, 0}},
		{"garbage", "A", "6*1*0*3*98*00*x", hopCost{2, 1 + w, 0}},
		{"repeated hop reads only", "A", "6*1*0*3*98*00*x", hopCost{1, 1, 0}},
		{"My progress reads its counts", "A", "6*1*0*3*98*00*x*4", hopCost{2, 1 + w, 1}},
		{"redial within minutes uses the cached worker", "B", "", hopCost{2, 1 + w, 0}},
	}
	for _, hop := range hops {
		got, body := e.measure(h, hop.sid, p, hop.text)
		if got != hop.want {
			t.Errorf("%s: hop(%q) cost = %+v, want %+v (answer %q)", hop.name, hop.text, got, hop.want, body)
		}
	}
	e.clock = e.clock.Add(reloadAfter + time.Minute)
	if got, _ := e.measure(h, "C", p, ""); got.sql != 2 {
		t.Errorf("redial after %v: SQL statements = %d, want 2 (worker read again, dial recorded)", reloadAfter, got.sql)
	}
}

// TestKeysDoNotGrowWithDials: a phone has one USSD session at a time, so
// however often it dials, it has two keys (its session and its last
// position), and a hop of a session that is not the phone's latest does not
// read the latest one's screens as its own. Keys that grew with every dial
// until their TTL were most of the embedded Redis's memory under load.
func TestKeysDoNotGrowWithDials(t *testing.T) {
	e := newTestEnv(t, false)
	ctx := context.Background()
	const p = "+254700000009"
	for _, sid := range []string{"one", "two", "three"} {
		e.post(sid, p, "")
		e.post(sid, p, "6")
	}
	keys, err := e.kv.Keys(ctx, e.kv.Prefix+"ussd:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Errorf("keys after three sessions of one phone = %q, want its session and its last position", keys)
	}
	v, err := e.kv.Get(ctx, keysOf(e.kv.Prefix, "three", p).session).Result()
	if err != nil {
		t.Fatal(err)
	}
	if keysOf(e.kv.Prefix, "three", p).current(v) == nil {
		t.Error("the latest session does not read its own session")
	}
	if keysOf(e.kv.Prefix, "two", p).current(v) != nil {
		t.Error("an earlier session reads the latest one's session as its own")
	}
}

// TestRepeatedHopChangesNothing checks that a retried hop leaves Redis as it was.
func TestRepeatedHopChangesNothing(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000008"
	e.post("R", p, "")
	_, first := e.post("R", p, "6")
	key := keysOf(e.kv.Prefix, "R", p).session
	before, _ := e.kv.Get(context.Background(), key).Result()
	ttlBefore := e.kv.TTL(context.Background(), key).Val()
	_, again := e.post("R", p, "6")
	after, _ := e.kv.Get(context.Background(), key).Result()
	if again != first || after != before {
		t.Errorf("repeated hop: answer %q, session changed %v; want %q and no change", again, after != before, first)
	}
	if ttl := e.kv.TTL(context.Background(), key).Val(); ttl > ttlBefore {
		t.Errorf("repeated hop: TTL %v, want at most %v (not written)", ttl, ttlBefore)
	}
}

func TestSessionIsSmall(t *testing.T) {
	s := benchSession()
	b := encodeSession(&s)
	if len(b) > 600 {
		t.Errorf("encoded session = %d bytes, want at most 600: %q", len(b), b)
	}
	back, err := decodeSession(string(b))
	if err != nil || fmt.Sprint(*back) != fmt.Sprint(s) {
		t.Errorf("decodeSession(encodeSession(s)) = %+v, %v, want %+v", back, err, s)
	}
}
