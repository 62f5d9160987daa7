package main

import (
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/ussd"
)

// scheduler builds the reminder scheduler of the content pack's rules. A
// reminder waits while its number is in a USSD session.
func (a *app) scheduler() *sms.Scheduler {
	s := sms.NewScheduler(a.db, a.pack, sms.SchedulerConfig{TZ: a.cfg.TZ, USSDCode: a.cfg.USSDCode})
	s.Now, s.Log, s.Owner = a.db.Now, a.log, a.process
	s.Sessions = a.sessions()
	return s
}

// sessions tells the reminder scheduler and the dispatcher whether a number
// is in a USSD session (one GET in Redis): no nudge, completion SMS or job
// aid interrupts one.
func (a *app) sessions() sms.Sessions { return ussd.NewPresence(a.kv) }
