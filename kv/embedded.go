package kv

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// clockTick is how often the in-process server's key lifetimes are counted
// down: a key outlives its TTL by at most this much, as on Redis, whose
// expiry is lazy and sampled too.
const clockTick = time.Second

// embedded is the in-process Redis-protocol server used when no Redis is
// configured. It listens on no port: clients reach it over in-memory pipes
// (Dial), so nothing else on the machine can read or write the sessions.
// miniredis counts TTLs down only when told to, so a goroutine owned by
// embedded tells it, every clockTick, how much time has passed: without it
// no session would ever expire and memory would grow with every dial.
type embedded struct {
	m    *miniredis.Miniredis
	stop context.CancelFunc
	done sync.WaitGroup
}

// startEmbedded starts the in-process server and its clock.
func startEmbedded() *embedded {
	ctx, cancel := context.WithCancel(context.Background())
	e := &embedded{m: miniredis.NewMiniRedis(), stop: cancel}
	e.done.Add(1)
	go e.runClock(ctx)
	return e
}

// dial connects a client to the server over an in-memory pipe; it has the
// signature of go-redis's Options.Dialer.
func (e *embedded) dial(context.Context, string, string) (net.Conn, error) {
	return e.m.Dial()
}

// runClock moves the server's key lifetimes on by the time that really
// passed since the last tick (a busy machine may tick late), until ctx ends.
func (e *embedded) runClock(ctx context.Context) {
	defer e.done.Done()
	t := time.NewTicker(clockTick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			e.m.FastForward(now.Sub(last))
			last = now
		}
	}
}

// close stops the clock, then the server.
func (e *embedded) close() {
	e.stop()
	e.done.Wait()
	e.m.Close()
}
