package kv

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Bucket is a token bucket kept in Redis, so that every process using the
// same key shares one rate: the SMS rate is the gateway account's, whatever
// the number of instances sending.
type Bucket struct {
	c     *Client
	key   string
	rate  float64
	burst int
}

// Bucket returns the shared bucket named name, refilled at rate tokens a
// second and holding at most burst.
func (c *Client) Bucket(name string, rate float64, burst int) *Bucket {
	return &Bucket{c: c, key: c.Key("bucket", name), rate: rate, burst: burst}
}

// takeTokens reserves ARGV[3] tokens of the bucket KEYS[1] (rate ARGV[1] a
// second, at most ARGV[2]) and returns how many microseconds the caller must
// wait before using them. Tokens are taken at once, even into debt, so that
// callers queue in arrival order, as golang.org/x/time/rate's Reserve does;
// the clock is Redis's own (TIME), so the instances' clocks need not agree.
// The key expires once the bucket would be full again.
var takeTokens = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate, burst, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(s[1]), tonumber(s[2])
if tokens == nil or at == nil then tokens, at = burst, now end
tokens = math.min(burst, tokens + (now - at) * rate / 1000000) - n
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
local wait = 0
if tokens < 0 then wait = math.ceil(-tokens * 1000000 / rate) end
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return wait`)

// WaitN takes n tokens and waits until the bucket allows their use, or ctx
// ends (the tokens stay spent: the rate errs low, never high). It fails
// when n exceeds the burst, or when Redis does not answer: then nothing may
// be sent, since no process could know the others' pace.
func (b *Bucket) WaitN(ctx context.Context, n int) error {
	wait, err := b.Reserve(ctx, n)
	if err != nil || wait == 0 {
		return err
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Reserve takes n tokens and returns how long the caller must wait before
// using them.
func (b *Bucket) Reserve(ctx context.Context, n int) (time.Duration, error) {
	if n > b.burst {
		return 0, fmt.Errorf("kv: bucket %s: %d tokens exceed the burst %d", b.key, n, b.burst)
	}
	us, err := takeTokens.Run(ctx, b.c.UniversalClient, []string{b.key}, b.rate, b.burst, n).Int64()
	if err != nil {
		return 0, fmt.Errorf("kv: bucket %s: %w", b.key, err)
	}
	return time.Duration(us) * time.Microsecond, nil
}
