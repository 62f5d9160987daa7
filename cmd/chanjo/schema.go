package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// schemaEvery is how often a running instance checks the database's
// migration level: in a rolling upgrade, an old instance stops its workers
// within this long of the new binary's migration.
const schemaEvery = 15 * time.Second

// addSchemaWatch adds the worker that watches the database's migration
// level. When a newer binary has migrated the database under this one, it
// returns store.ErrNewerSchema and startWorkers stops every background
// worker: an old dispatcher must not share the outbox with new ones, whose
// rows it no longer understands. The instance still answers requests until
// the upgrade replaces it.
func (a *app) addSchemaWatch() {
	a.workers = append(a.workers, worker{name: "schema", run: func(ctx context.Context) error {
		return watchSchema(ctx, a.db, a.schemaEvery)
	}})
}

func watchSchema(ctx context.Context, db *store.DB, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := db.CheckSchema(cctx)
		cancel()
		// Any other error is the database not answering: the next tick
		// tries again, and /readyz and the other workers report the outage.
		if errors.Is(err, store.ErrNewerSchema) {
			return fmt.Errorf("background workers stopped: %w", err)
		}
	}
}
