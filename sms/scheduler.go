package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// Sessions tells whether a number is in a USSD session now: a reminder for
// it waits until the session ends.
type Sessions interface {
	InSession(ctx context.Context, phone string) (bool, error)
}

// SchedulerConfig holds the reminder scheduler's settings.
type SchedulerConfig struct {
	// TZ is the zone of the rules' times and of the caps' days (CHANJO_TZ).
	TZ *time.Location
	// USSDCode is the code the texts name (USSD_CODE).
	USSDCode string
	// PerDay and PerWeek cap the nudges of one person in a local day and in
	// the last 7 days. Defaults 1 and 3.
	PerDay, PerWeek int
	// Poll is the wait between ticks. Default 30 seconds.
	Poll time.Duration
	// Batch is the most reminders claimed in one tick. Default 200.
	Batch int
	// Lease is how long a claimed reminder stays this scheduler's: one it
	// could not settle (its number in a USSD session, a failure) waits that
	// long before any scheduler tries it again. Default 1 minute.
	Lease time.Duration
}

func (c SchedulerConfig) withDefaults() SchedulerConfig {
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	if c.PerDay <= 0 {
		c.PerDay = 1
	}
	if c.PerWeek <= 0 {
		c.PerWeek = 3
	}
	if c.Poll <= 0 {
		c.Poll = 30 * time.Second
	}
	if c.Batch <= 0 {
		c.Batch = 200
	}
	if c.Lease <= 0 {
		c.Lease = time.Minute
	}
	return c
}

// Scheduler sends the reminders of the content pack's rules when they fall
// due: the visit reminders the store schedules with each visit, and the
// weekly and inactivity rules it schedules itself once a day for every
// active worker. Each due reminder is sent as a nudge through the outbox (so
// quiet hours and opt-outs apply there) or dropped by the caps, in one
// transaction. Several schedulers may share one database: each claims its
// reminders with a lease, so they settle disjoint batches side by side.
type Scheduler struct {
	db         *store.DB
	pack       *lessons.Pack
	cfg        SchedulerConfig
	itemTopics map[string]string // checklist item id -> topic
	planned    string            // the local date whose daily rules are scheduled

	// Sessions holds reminders back while their number is in a USSD
	// session; nil means never in one.
	Sessions Sessions
	// Owner is the process identity the leases name (store.NewProcessID
	// unless set).
	Owner string
	// Now is the clock of Run; tests call Tick with their own time.
	Now func() time.Time
	Log *slog.Logger
}

// NewScheduler returns a scheduler of pack's rules on db.
func NewScheduler(db *store.DB, pack *lessons.Pack, cfg SchedulerConfig) *Scheduler {
	topics := make(map[string]string, len(pack.Checklist))
	for _, it := range pack.Checklist {
		topics[it.ID] = it.Topic
	}
	return &Scheduler{db: db, pack: pack, cfg: cfg.withDefaults(), itemTopics: topics,
		Owner: store.NewProcessID(), Now: time.Now, Log: slog.New(slog.DiscardHandler)}
}

// TickResult counts what one tick did with the due reminders.
type TickResult struct {
	// Claimed is how many due reminders the tick took; the rest of the
	// counts say what became of them.
	Claimed       int
	Sent, Dropped int
	// Waiting were held back by a USSD session, or left for the next tick.
	Waiting int
}

// Run ticks until ctx is cancelled, at once again after a tick that claimed
// a full batch: reminders other schedulers hold are not this one's to wait
// for, so only a short claim means the due reminders are all taken.
func (s *Scheduler) Run(ctx context.Context) error {
	log := s.Log.With("component", "reminders")
	for {
		tctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		res, err := s.Tick(tctx, s.Now())
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			log.Error("reminders", "err", err)
		}
		if res.Claimed > 0 {
			log.Info("reminders settled", "claimed", res.Claimed, "sent", res.Sent, "dropped", res.Dropped, "waiting", res.Waiting)
		}
		if res.Claimed < s.cfg.Batch || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(s.cfg.Poll):
			}
		}
	}
}

// Tick schedules the day's weekly and inactivity reminders once per local
// date, then settles the reminders due at now. One reminder's failure does
// not stop the others; the errors are returned together.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (TickResult, error) {
	var res TickResult
	if err := s.plan(ctx, now); err != nil {
		return res, err
	}
	due, err := s.db.ClaimReminders(ctx, store.RowClaim{Owner: s.Owner, Limit: s.cfg.Batch, Lease: s.cfg.Lease}, now)
	if err != nil {
		return res, fmt.Errorf("sms: reminders: %w", err)
	}
	res.Claimed = len(due)
	var errs []error
	for _, r := range due {
		status, err := s.settle(ctx, r, now)
		switch {
		case errors.Is(err, store.ErrReminderGone):
		case err != nil:
			errs = append(errs, err)
		case status == store.ReminderSent:
			res.Sent++
		case status == store.ReminderDropped:
			res.Dropped++
		default:
			res.Waiting++
		}
	}
	return res, errors.Join(errs...)
}

// settle sends or drops one due reminder, or leaves it scheduled ("") while
// its number is in a USSD session.
func (s *Scheduler) settle(ctx context.Context, r store.DueReminder, now time.Time) (string, error) {
	// A reminder that could not go on its day (the service was down, or a
	// session lasted past midnight) would arrive out of place: drop it.
	reason := ""
	switch {
	case localDate(r.DueAt, s.cfg.TZ) != localDate(now, s.cfg.TZ):
		reason = store.DropLate
	case r.WorkerStatus != store.StatusActive:
		reason = store.DropInactive
	}
	if reason != "" {
		return store.ReminderDropped, s.db.DropReminder(ctx, r.ID, reason)
	}
	if s.Sessions != nil {
		in, err := s.Sessions.InSession(ctx, r.Phone)
		if err != nil {
			return "", fmt.Errorf("sms: reminder %d: session: %w", r.ID, err)
		}
		if in {
			return "", nil
		}
	}
	body, err := s.compose(ctx, r)
	if err != nil {
		return "", err
	}
	caps := store.Caps{TZ: s.cfg.TZ, PerDay: s.cfg.PerDay, PerWeek: s.cfg.PerWeek}
	status, reason, err := s.db.SendReminder(ctx, caps, r.ID, store.Outgoing{Phone: r.Phone, Body: body})
	if err == nil {
		s.Log.Debug("reminder settled", "component", "reminders", "id", r.ID, "rule", r.Rule, "status", status, "reason", reason)
	}
	return status, err
}

// plan schedules the weekly and inactivity rules of now's local date for
// every active worker, once per date and instance; scheduling again (another
// instance, a restart) changes nothing. A rule whose time of day is already
// past is not scheduled: reminders never fire in the past.
func (s *Scheduler) plan(ctx context.Context, now time.Time) error {
	today := localDate(now, s.cfg.TZ)
	if s.planned == today {
		return nil
	}
	local := now.In(s.cfg.TZ)
	if r, ok := s.pack.Reminder(lessons.Weekly); ok && local.Weekday() == r.When.Weekday {
		if due := dayClock(local, 0, r.When.At); due.After(now) {
			if _, err := s.db.ScheduleForActive(ctx, lessons.Weekly, today, due); err != nil {
				return fmt.Errorf("sms: plan reminders: %w", err)
			}
		}
	}
	if r, ok := s.pack.Reminder(lessons.Inactive); ok && r.When.DaysInactive > 0 {
		if due := dayClock(local, 0, r.When.At); due.After(now) {
			// Today is the DaysInactive-th day without dialling for those
			// whose last dial was on that many days ago.
			from, to := dayClock(local, -r.When.DaysInactive, lessons.Clock{}), dayClock(local, 1-r.When.DaysInactive, lessons.Clock{})
			if _, err := s.db.ScheduleInactive(ctx, today, due, from, to); err != nil {
				return fmt.Errorf("sms: plan reminders: %w", err)
			}
		}
	}
	s.planned = today
	return nil
}

// dayClock returns the instant of the local date of t moved by days, at c.
func dayClock(t time.Time, days int, c lessons.Clock) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day()+days, c.Hour, c.Minute, 0, 0, t.Location())
}

func localDate(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}
