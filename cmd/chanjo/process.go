package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// addProcess records this process in the database under its random identity
// (a.process) and adds its heartbeat as the first worker, so it beats before
// any other worker takes a lease and stops after all of them have released
// theirs.
func (a *app) addProcess(ctx context.Context) error {
	host, _ := os.Hostname()
	if err := a.db.Heartbeat(ctx, a.process, host); err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	a.log.Info("process registered", "component", "process", "process", a.process, "host", host)
	a.workers = append(a.workers, worker{name: "process", run: func(ctx context.Context) error {
		return a.heartbeat(ctx, host)
	}})
	return nil
}

// heartbeat beats every store.HeartbeatEvery until ctx is cancelled, and
// after each beat that came on time gives the leases of dead processes (no
// beat for store.ProcessTimeout) back to the queue. After a late beat of its
// own (the database was away, the process stalled) it reaps nothing that
// round: the others' beats were likely late for the same reason, and a live
// process's leases must never be taken. The row goes when the app closes
// (endProcess).
func (a *app) heartbeat(ctx context.Context, host string) error {
	log := a.log.With("component", "process", "process", a.process)
	tick := time.NewTicker(store.HeartbeatEvery)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		bctx, cancel := context.WithTimeout(ctx, store.HeartbeatEvery)
		err := a.db.Heartbeat(bctx, a.process, host)
		if err == nil && time.Since(last) < 2*store.HeartbeatEvery {
			var n int
			if n, err = a.db.ReapDead(bctx); n > 0 {
				log.Info("took back the leases of a stopped instance", "rows", n)
			}
		}
		cancel()
		if err != nil && ctx.Err() == nil {
			log.Warn("heartbeat", "err", err)
			continue
		}
		last = time.Now()
	}
}

// endProcess removes the process's row, giving back anything still leased:
// the app calls it as it closes, after its workers have stopped (or for
// `dial --local`, which runs none), so no other process need wait for the
// row to go stale.
func (a *app) endProcess() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.db.EndProcess(ctx, a.process); err != nil {
		a.log.Warn("end process", "component", "process", "err", err)
	}
}
