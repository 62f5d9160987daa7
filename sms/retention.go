package sms

import (
	"context"
	"log/slog"
	"time"
)

// countsStore is what the retention worker needs of the store.
type countsStore interface {
	FoldCounts(ctx context.Context) (int, error)
	DeleteOldSMS(ctx context.Context, before time.Time, limit int) (int, error)
}

// RetentionConfig holds the retention worker's settings.
type RetentionConfig struct {
	// Keep is how long an outbox row is kept after it was created
	// (SMS_KEEP); 0 keeps every row. Its counts are kept for ever.
	Keep time.Duration
	// Fold is the wait between folds of the SMS counters. Default 5 s.
	Fold time.Duration
	// Sweep is the wait between retention sweeps. Default 10 minutes.
	Sweep time.Duration
	// Batch is the most rows one DELETE removes, so that no statement holds
	// many row locks or writes much WAL at once. Default 1,000.
	Batch int
}

func (c RetentionConfig) withDefaults() RetentionConfig {
	if c.Fold <= 0 {
		c.Fold = 5 * time.Second
	}
	if c.Sweep <= 0 {
		c.Sweep = 10 * time.Minute
	}
	if c.Batch <= 0 {
		c.Batch = 1000
	}
	return c
}

// Retention keeps the counters' appended changes few (folding them)
// and removes outbox rows older than Keep in small batches; the counts the
// console shows keep the removed rows. Several instances may run it: a fold
// runs on one at a time and deletes skip each other's rows.
type Retention struct {
	db  countsStore
	cfg RetentionConfig
	// Now is the clock; Log gets one line a sweep that removed rows, and
	// errors.
	Now func() time.Time
	Log *slog.Logger
}

// NewRetention returns a retention worker on db.
func NewRetention(db countsStore, cfg RetentionConfig) *Retention {
	return &Retention{db: db, cfg: cfg.withDefaults(), Now: time.Now, Log: slog.Default()}
}

// Run folds and sweeps until ctx is cancelled; a failed step is logged and
// tried again at its next turn.
func (r *Retention) Run(ctx context.Context) error {
	fold := time.NewTicker(r.cfg.Fold)
	defer fold.Stop()
	sweep := time.NewTicker(r.cfg.Sweep)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-fold.C:
			if _, err := r.db.FoldCounts(ctx); err != nil && ctx.Err() == nil {
				r.Log.Error("fold counts", "component", "retention", "err", err)
			}
		case <-sweep.C:
			r.Sweep(ctx)
		}
	}
}

// Sweep removes the outbox rows past Keep, a batch at a time, until a
// batch comes back short, and returns how many it removed.
func (r *Retention) Sweep(ctx context.Context) int {
	if r.cfg.Keep <= 0 {
		return 0
	}
	before := r.Now().Add(-r.cfg.Keep)
	total := 0
	for ctx.Err() == nil {
		n, err := r.db.DeleteOldSMS(ctx, before, r.cfg.Batch)
		if err != nil {
			if ctx.Err() == nil {
				r.Log.Error("delete old sms", "component", "retention", "err", err)
			}
			break
		}
		total += n
		if n < r.cfg.Batch {
			break
		}
	}
	if total > 0 {
		r.Log.Info("old sms removed", "component", "retention", "rows", total, "created_before", before.UTC().Format(time.DateOnly))
	}
	return total
}
