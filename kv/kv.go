// Package kv connects to Redis, which holds short-lived state such as USSD
// sessions. Every key carries a prefix so that several deployments, or
// several tests, can share one server.
package kv

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Config says which Redis to use. With URL and Addrs empty, an in-process
// Redis-protocol server is started, reached without a network port, whose
// keys expire in real time: fine for one machine, but not durable.
type Config struct {
	URL    string   // redis:// or rediss:// URL of one server
	Addrs  []string // a Cluster, or with Master a Sentinel group
	Master string
	Prefix string
}

// Client is a Redis client that knows its key prefix.
type Client struct {
	redis.UniversalClient
	Prefix string
	// Embedded is true when the client talks to the in-process server.
	Embedded bool
	// Batched sends the commands of concurrent callers to Redis together
	// (go-redis's deferred autopipeliner): each caller still waits for its
	// own answers, but the hops of fifty phones share the connection's
	// writes and reads instead of paying a round trip each, which saves
	// Redis about a third of its CPU a hop (docs/performance.md). Two
	// commands a caller issues without waiting may still go in two batches:
	// what must travel together is one command (see SetPair). The USSD hop
	// path uses it; go-redis marks the engine experimental, so it is pinned
	// with the module and exercised by every hop test.
	Batched *redis.AutoPipeliner
	mini    *embedded
	cluster *redis.ClusterClient // set on a Cluster, whose slot map Send reloads
}

// Open connects to the Redis cfg names and checks that it answers.
func Open(ctx context.Context, cfg Config) (*Client, error) {
	c := &Client{Prefix: cfg.Prefix}
	opts := &redis.UniversalOptions{
		Addrs:        cfg.Addrs,
		MasterName:   cfg.Master,
		DialTimeout:  2 * time.Second,
		ReadTimeout:  time.Second,
		WriteTimeout: time.Second,
		PoolSize:     64,
		// Chanjo uses no RESP3 push messages (no client-side caching, no
		// pub/sub): with RESP2 go-redis does not peek for them around every
		// command, and pipelines share the main pool instead of a second
		// pool with 128 KiB buffers a connection (Batched included).
		Protocol:         2,
		PipelinePoolSize: -1,
		// A command on a plain connection gives up at its context's
		// deadline, when that comes before ReadTimeout.
		ContextTimeoutEnabled: true,
	}
	switch {
	case cfg.URL != "":
		o, err := redis.ParseURL(cfg.URL)
		if err != nil {
			return nil, fmt.Errorf("kv: parse url: %w", err)
		}
		opts.Addrs = []string{o.Addr}
		opts.Username, opts.Password, opts.DB = o.Username, o.Password, o.DB
		if o.TLSConfig != nil {
			opts.TLSConfig = o.TLSConfig.Clone()
		} else if strings.HasPrefix(cfg.URL, "rediss:") {
			opts.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
	case len(cfg.Addrs) == 0:
		c.mini, c.Embedded = startEmbedded(), true
		// The address only names the server in errors: Dialer never
		// opens it.
		opts.Addrs = []string{"in-process"}
		opts.Dialer = c.mini.dial
	}
	c.UniversalClient = redis.NewUniversalClient(opts)
	c.cluster, _ = c.UniversalClient.(*redis.ClusterClient)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("kv: connect: %w", err)
	}
	// go-redis's defaults: no flush delay. An idle pipeline sends a lone
	// command at once, and under load the batch in flight gathers the next
	// (an earlier measurement found the default waiting 1.3 ms for a lone
	// hop; measured again on this module it does not).
	// A delay of even 1 us made every batch wait on a timer: a lone hop took
	// 0.62-0.70 ms instead of 0.12-0.13 ms (BenchmarkHop/redis), and under
	// the 50-phone load serve and Redis spent 5-15 % more CPU a hop
	// (docs/performance.md, "The lesson and dial walks after i15-walk").
	ap, err := c.UniversalClient.AsyncAutoPipelineWithOptions(redis.DefaultAutoPipelineOptions())
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("kv: autopipeline: %w", err)
	}
	c.Batched = ap
	return c, nil
}

// setPairSource is SetPair's script: one command, so that the shared
// pipeline, which may split one caller's commands between batches, sends it
// at once.
const setPairSource = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 1`

var setPair = redis.NewScript(setPairSource)

// SetPair sets key1 and key2 to value, with lifetimes ttl1 and ttl2, in one
// round trip, so that neither is written without the other. On a Redis
// server it is a script sent through Batched (Send: the keys must share a
// Cluster hash tag); the in-process server runs each script in a new Lua
// state, a hundred times slower, and dies with this process, so there it is
// two SETs in one plain pipeline. The first SetPair after Redis starts costs
// one more round trip, to load the script.
func (c *Client) SetPair(ctx context.Context, key1, key2 string, value []byte, ttl1, ttl2 time.Duration) error {
	if c.Embedded {
		pipe := c.UniversalClient.Pipeline()
		pipe.Set(ctx, key1, value, ttl1)
		pipe.Set(ctx, key2, value, ttl2)
		_, err := pipe.Exec(ctx)
		return err
	}
	args := []any{"evalsha", setPair.Hash(), 2, key1, key2, value, ttl1.Milliseconds(), ttl2.Milliseconds()}
	err := c.Send(ctx, redis.NewCmd(ctx, args...))
	// HasErrorPrefix allocates even for a nil error: one allocation a hop.
	if err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		args[0], args[1] = "eval", setPairSource
		err = c.Send(ctx, redis.NewCmd(ctx, args...))
	}
	return err
}

// Send sends cmd through Batched and waits for its answer until ctx ends.
// The shared pipeline does not give up a wait when its caller's context
// ends, so that a hung Redis would hold each caller for its whole batch's
// timeouts and retries, and the batches queued behind it for theirs in
// turn (12 s measured); Send returns at the caller's deadline instead. The
// command itself may still run later: a caller must read its result only
// when Send returned nil or a Redis error.
//
// On a Cluster, a failed command also asks the client to reload the slot
// map (at most one reload runs at a time): the shared pipeline kept sending
// a dead master's slots to it long after a replica took them over (26 s
// measured), where the reload routes them to the new master as soon as the
// cluster has promoted it (docs/performance.md, "Redis failover").
func (c *Client) Send(ctx context.Context, cmd redis.Cmder) error {
	err := c.Batched.Submit(ctx, cmd).WaitContext(ctx)
	if err != nil && c.cluster != nil && !errors.Is(err, redis.Nil) {
		c.cluster.ReloadState(ctx)
	}
	return err
}

// Key joins parts onto the prefix: Key("ussd", id) = "chanjo:ussd:" + id.
func (c *Client) Key(parts ...string) string {
	return c.Prefix + strings.Join(parts, ":")
}

// Close closes the connection and stops the in-process server, if any.
func (c *Client) Close() error {
	var err error
	if c.UniversalClient != nil {
		err = c.UniversalClient.Close()
	}
	if c.mini != nil {
		c.mini.close()
	}
	return err
}

func init() {
	// go-redis logs dial failures on its own; Chanjo reports them once, as
	// errors, where the caller can name the setting at fault.
	redis.SetLogger(silent{})
}

type silent struct{}

func (silent) Printf(context.Context, string, ...interface{}) {}
