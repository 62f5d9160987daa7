package kv_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/kv"
)

// TestEmbeddedKeysExpire: on the embedded default, a session's key goes
// away after its lifetime, in real time, and its remaining lifetime counts
// down meanwhile (the reminder worker reads it to tell who is on a menu).
func TestEmbeddedKeysExpire(t *testing.T) {
	ctx := context.Background()
	c, err := kv.Open(ctx, kv.Config{Prefix: "x:"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Set(ctx, "x:short", "v", 1500*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, "x:long", "v", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := c.Get(ctx, "x:short").Result()
		if errors.Is(err, redis.Nil) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("a key set to live 1.5 s is still there after 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ttl := c.PTTL(ctx, "x:long").Val(); ttl >= time.Hour || ttl < 50*time.Minute {
		t.Errorf("PTTL of a one-hour key after the short one expired = %v, want under an hour", ttl)
	}
}

// TestEmbeddedOpensNoSocket: the embedded default is reached over
// in-memory pipes, so no other process can connect to it.
func TestEmbeddedOpensNoSocket(t *testing.T) {
	before, err := sockets()
	if err != nil {
		t.Skipf("cannot count this process's sockets: %v", err)
	}
	ctx := context.Background()
	c, err := kv.Open(ctx, kv.Config{Prefix: "x:"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 20 {
		if err := c.Batched.Set(ctx, "x:k", i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	after, err := sockets()
	if err != nil {
		t.Fatal(err)
	}
	if after > before {
		t.Errorf("sockets open: %d before Open, %d after, want no new one", before, after)
	}
}

// sockets counts the sockets this process holds open (Linux).
func sockets() (int, error) {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, fd := range fds {
		if l, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(l, "socket:") {
			n++
		}
	}
	return n, nil
}
