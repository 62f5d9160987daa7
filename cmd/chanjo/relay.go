package main

import (
	"context"

	"github.com/chanjo-health/chanjo/sms"
)

// addRelay adds the worker that takes questions unanswered for a day to the
// other mentors of the nurse's groups. It goes after the SMS dispatcher, so
// that it stops first and nothing it queues waits for a stopped dispatcher.
func (a *app) addRelay() {
	a.workers = append(a.workers, worker{name: "relay", run: func(ctx context.Context) error {
		r := sms.NewRelay(a.db, a.mentoring, sms.RelayConfig{TZ: a.cfg.TZ, Quiet: sms.QuietHours{Start: a.cfg.QuietHours.Start, End: a.cfg.QuietHours.End}})
		r.Now, r.Log, r.Owner = a.db.Now, a.log, a.process
		return r.Run(ctx)
	}})
}
