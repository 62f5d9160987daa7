// Package kvtest gives each test a Redis of its own: a unique key prefix on
// the server named by TEST_REDIS_URL, or an in-process server when it is unset.
package kvtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/chanjo-health/chanjo/kv"
)

// New returns a client for t whose keys no other test sees, and removes
// its keys when t ends.
func New(t testing.TB) *kv.Client {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "test:" + hex.EncodeToString(b) + ":"
	c, err := kv.Open(context.Background(), kv.Config{URL: os.Getenv("TEST_REDIS_URL"), Prefix: prefix})
	if err != nil {
		t.Fatalf("kvtest: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		c.Close()
	})
	return c
}
