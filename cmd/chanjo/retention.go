package main

import "github.com/chanjo-health/chanjo/sms"

// retention builds the worker that folds the SMS counters and removes
// outbox rows older than SMS_KEEP.
func (a *app) retention() *sms.Retention {
	r := sms.NewRetention(a.db, sms.RetentionConfig{Keep: a.cfg.SMSKeep})
	r.Now, r.Log = a.db.Now, a.log
	return r
}
