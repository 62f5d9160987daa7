package kv_test

import (
	"context"
	"testing"

	"chanjo/kv"
	"chanjo/kv/kvtest"
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
