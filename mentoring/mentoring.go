// Package mentoring decides what follows a change in mentoring, and which
// SMS says so (its words are the content pack's catalogue, messages-sms.yaml): the reminders of a visit and the notices of its
// scheduling, move or cancellation; where a nurse's question goes, what the
// mentor is told of it, and how her answer reaches the nurse. The store
// only stores: each operation here runs in one store transaction, so an SMS
// is queued if and only if the change is made. The USSD menus, the SMS
// handler and the console all go through a Service, so the three act alike.
package mentoring

import (
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// Config holds a Service's settings.
type Config struct {
	// TZ is CHANJO_TZ, the zone of visit days and reminder times; nil is UTC.
	TZ *time.Location
	// USSDCode is where a nurse reads an answer cut to fit an SMS.
	USSDCode string
}

// Service changes visits and relays questions for every surface.
type Service struct {
	db       *store.DB
	pack     *lessons.Pack
	tz       *time.Location
	ussdCode string
	// before fires its days before the local date of a visit, to mentor
	// and mentee; after fires its days after a visit done, to the mentee.
	before, after ruleTime
}

// ruleTime is a local time some whole days away from a date.
type ruleTime struct {
	days, hour, minute int
}

// New returns the Service of the content pack's rules visit-before and
// visit-review.
func New(db *store.DB, p *lessons.Pack, cfg Config) *Service {
	s := &Service{db: db, pack: p, tz: cfg.TZ, ussdCode: cfg.USSDCode}
	if s.tz == nil {
		s.tz = time.UTC
	}
	if r, ok := p.Reminder(lessons.VisitBefore); ok {
		s.before = ruleTime{r.When.DaysBeforeVisit, r.When.At.Hour, r.When.At.Minute}
	}
	if r, ok := p.Reminder(lessons.VisitReview); ok {
		s.after = ruleTime{r.When.DaysAfterVisit, r.When.At.Hour, r.When.At.Minute}
	}
	return s
}

// Zone returns the zone of visit days.
func (s *Service) Zone() *time.Location { return s.tz }

// dayAt returns the UTC instant of the local date of t, moved by days, at
// hour:minute in loc.
func dayAt(t time.Time, loc *time.Location, days, hour, minute int) time.Time {
	d := t.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day()+days, hour, minute, 0, 0, loc).UTC()
}
