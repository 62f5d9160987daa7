package main

import (
	"context"

	"github.com/chanjo-health/chanjo/sms"
)

// addRetention adds the worker that folds the SMS counters and removes
// outbox rows older than SMS_KEEP. It queues nothing, so its place among
// the workers does not matter; it goes last and stops first.
func (a *app) addRetention() {
	a.workers = append(a.workers, worker{name: "retention", run: func(ctx context.Context) error {
		r := sms.NewRetention(a.db, sms.RetentionConfig{Keep: a.cfg.SMSKeep})
		r.Now, r.Log = a.db.Now, a.log
		return r.Run(ctx)
	}})
}
