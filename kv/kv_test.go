package kv_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/kv/kvtest"
)

func TestPrefixesKeepTestsApart(t *testing.T) {
	ctx := context.Background()
	a, b := kvtest.New(t), kvtest.New(t)
	if err := a.Set(ctx, a.Key("ussd", "s1"), "from a", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Exists(ctx, b.Key("ussd", "s1")).Result(); err != nil || n != 0 {
		t.Errorf("b sees a's key: Exists = %d, %v, want 0", n, err)
	}
	if got := a.Key("ussd", "s1"); got != a.Prefix+"ussd:s1" {
		t.Errorf("Key = %q, want prefix + ussd:s1", got)
	}
}

// TestSetPair writes one value under two keys with their own lifetimes, on
// the in-process server and, with TEST_REDIS_URL, on a real one (where it is
// a script).
func TestSetPair(t *testing.T) {
	ctx := context.Background()
	c := kvtest.New(t)
	k1, k2 := c.Key("s", "{p}", "1"), c.Key("p", "{p}")
	for _, v := range []string{"first", "second"} {
		if err := c.SetPair(ctx, k1, k2, []byte(v), 200*time.Second, 30*time.Minute); err != nil {
			t.Fatalf("SetPair(%q) = %v", v, err)
		}
		for _, k := range []string{k1, k2} {
			if got, err := c.Get(ctx, k).Result(); err != nil || got != v {
				t.Errorf("after SetPair(%q): GET %s = %q, %v", v, k, got, err)
			}
		}
	}
	ttl1, ttl2 := c.PTTL(ctx, k1).Val(), c.PTTL(ctx, k2).Val()
	if ttl1 <= 190*time.Second || ttl1 > 200*time.Second || ttl2 <= 29*time.Minute || ttl2 > 30*time.Minute {
		t.Errorf("lifetimes = %v and %v, want about 200s and 30m", ttl1, ttl2)
	}
}

func TestOpenWithoutURLStartsEmbeddedServer(t *testing.T) {
	c, err := kv.Open(context.Background(), kv.Config{Prefix: "x:"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !c.Embedded {
		t.Error("Embedded = false, want true with no URL or addresses")
	}
}

func TestOpenUnreachable(t *testing.T) {
	if _, err := kv.Open(context.Background(), kv.Config{URL: "redis://127.0.0.1:1"}); err == nil {
		t.Error("Open(unreachable) = nil error, want a connection error")
	}
}
