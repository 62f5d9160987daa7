package main

import (
	"context"

	"chanjo/sms"
)

// addReminders adds the reminder scheduler to the app's workers. It goes
// after the SMS dispatcher, so that it stops first and nothing it queues
// waits for a stopped dispatcher.
func (a *app) addReminders() {
	a.workers = append(a.workers, worker{name: "reminders", run: func(ctx context.Context) error {
		return a.scheduler().Run(ctx)
	}})
}

// scheduler builds the reminder scheduler of the content pack's rules. The
// USSD package does not yet tell whether a number is in a session, so
// Sessions stays nil: no reminder waits for a session to end.
func (a *app) scheduler() *sms.Scheduler {
	s := sms.NewScheduler(a.db, a.pack, sms.SchedulerConfig{TZ: a.cfg.TZ, USSDCode: a.cfg.USSDCode})
	s.Now, s.Log = a.db.Now, a.log
	return s
}
