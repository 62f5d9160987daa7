package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// registerProcess records this process in the database under its random
// identity (a.process); its heartbeat is the first worker (components).
func (a *app) registerProcess(ctx context.Context) error {
	a.host, _ = os.Hostname()
	if err := a.db.Heartbeat(ctx, a.process, a.host); err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	a.log.Info("process registered", "component", "process", "process", a.process, "host", a.host)
	return nil
}

// heartbeat beats every store.HeartbeatEvery until ctx is cancelled, and
// after each beat that came on time gives the leases of dead processes (no
// beat for store.ProcessTimeout) back to the queue. After a late beat of its
// own (the database was away, the process stalled) it reaps nothing that
// round: the others' beats were likely late for the same reason, and a live
// process's leases must never be taken. The row goes when the app closes
// (endProcess).
//
// Each beat also checks the database's migration level. When a newer
// binary has migrated the database under this one (a rolling upgrade), it
// returns store.ErrNewerSchema and start stops every background worker: an
// old dispatcher must not share the outbox with new ones, whose rows it no
// longer understands. The instance still answers requests until the upgrade
// replaces it.
func (a *app) heartbeat(ctx context.Context) error {
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
		err := a.db.Heartbeat(bctx, a.process, a.host)
		if err == nil {
			err = a.db.CheckSchema(bctx)
		}
		if errors.Is(err, store.ErrNewerSchema) {
			cancel()
			return fmt.Errorf("background workers stopped: %w", err)
		}
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
