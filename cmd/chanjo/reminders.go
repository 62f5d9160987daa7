package main

import "github.com/chanjo-health/chanjo/sms"

// scheduler builds the reminder scheduler of the content pack's rules. A
// reminder waits while its number is in a USSD session, which the USSD
// service reads from Redis (one GET).
func (a *app) scheduler() *sms.Scheduler {
	s := sms.NewScheduler(a.db, a.pack, sms.SchedulerConfig{TZ: a.cfg.TZ, USSDCode: a.cfg.USSDCode})
	s.Now, s.Log, s.Owner = a.db.Now, a.log, a.process
	s.Sessions = a.ussd
	return s
}
