package main

import (
	"context"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/ussd"
)

// addRelay adds the worker that takes questions unanswered for a day to the
// other mentors of the nurse's groups. It goes after the SMS dispatcher, so
// that it stops first and nothing it queues waits for a stopped dispatcher.
func (a *app) addRelay() {
	a.workers = append(a.workers, worker{name: "relay", run: func(ctx context.Context) error {
		r := sms.NewRelay(a.db, sms.RelayConfig{TZ: a.cfg.TZ, Pack: a.pack, Quiet: sms.QuietHours{Start: a.cfg.QuietHours.Start, End: a.cfg.QuietHours.End}})
		r.Now, r.Log, r.Owner = a.db.Now, a.log, a.process
		return r.Run(ctx)
	}})
}

// mentoring is what the USSD menus of visits and questions take from the
// SMS side, which the ussd package may not import: the visit reminder rules
// of the content pack, and the wording of a question's SMS to a mentor and of
// an answer's to the nurse.
func (a *app) mentoring() ussd.Mentoring {
	return ussd.Mentoring{Rules: sms.VisitRules(a.pack, a.cfg.TZ), Note: sms.QuestionNote(a.pack), Answer: sms.AnswerNote(a.pack, a.cfg.USSDCode)}
}
