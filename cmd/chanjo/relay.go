package main

import "github.com/chanjo-health/chanjo/sms"

// relay builds the worker that takes questions unanswered for a day to the
// other mentors of the nurse's groups.
func (a *app) relay() *sms.Relay {
	r := sms.NewRelay(a.db, a.mentoring, sms.RelayConfig{TZ: a.cfg.TZ, Quiet: sms.QuietHours{Start: a.cfg.QuietHours.Start, End: a.cfg.QuietHours.End}})
	r.Now, r.Log, r.Owner = a.db.Now, a.log, a.process
	return r
}
