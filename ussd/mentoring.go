package ussd

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Mentoring changes visits and relays questions, with the reminders and
// SMS that follow (mentoring.Service, which cmd/chanjo hands over): the
// menus decide nothing of that policy, so they act as the SMS handler and
// the console do.
type Mentoring interface {
	ScheduleVisit(ctx context.Context, mentorID, menteeID int64, at time.Time) (store.Visit, error)
	RescheduleVisit(ctx context.Context, id int64, at time.Time) (store.Visit, error)
	CancelVisit(ctx context.Context, id int64) error
	MarkVisitDone(ctx context.Context, id int64, doneAt time.Time) (store.Visit, error)
	AskQuestion(ctx context.Context, workerID int64, body, source string) (store.Asked, error)
	AnswerQuestion(ctx context.Context, id, mentorID int64, answer string) (store.Question, error)
	PassQuestion(ctx context.Context, id, mentorID int64) (int, error)
}

// mentoring returns the menus' settings.
func (c *Ctx) mentoring() Mentoring { return c.m.mentoring }

// zone returns CHANJO_TZ, the zone of the dates a mentor reads and types.
func (c *Ctx) zone() *time.Location { return c.m.tz }

// Date entry: DDMM, or DD/MM/YYYY (also with '.' or '-').
var (
	shortDate = regexp.MustCompile(`^(\d{2})(\d{2})$`)
	longDate  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$`)
)

// Errors of a typed date.
var (
	errBadDate  = errors.New("not a date")
	errPastDate = errors.New("date is past")
)

// recentPast is how far back a DDMM date reads as this year's, and so as
// past; an earlier day and month means next year's (0501 typed in December).
const recentPast = 60 * 24 * time.Hour

// parseDay reads a typed date as a local day in loc, relative to today:
// DDMM is this year's date, or next year's when this year's was more than
// recentPast ago; a day before today is errPastDate.
func parseDay(in string, today time.Time, loc *time.Location) (time.Time, error) {
	start := startOfDay(today, loc)
	var d, m, y int
	if p := shortDate.FindStringSubmatch(in); p != nil {
		d, m, y = atoi(p[1]), atoi(p[2]), start.Year()
	} else if p := longDate.FindStringSubmatch(in); p != nil {
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
	} else {
		return time.Time{}, errBadDate
	}
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if m < 1 || m > 12 || d < 1 || day.Day() != d {
		return time.Time{}, errBadDate
	}
	if shortDate.MatchString(in) && start.Sub(day) > recentPast {
		day = day.AddDate(1, 0, 0)
	}
	if day.Before(start) {
		return time.Time{}, errPastDate
	}
	return day, nil
}

// startOfDay returns local midnight of t's day in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// onDay returns the instant on local day at the local clock time of like:
// a visit moved or followed by the next keeps its time.
func onDay(day, like time.Time, loc *time.Location) time.Time {
	l := like.In(loc)
	return time.Date(day.Year(), day.Month(), day.Day(), l.Hour(), l.Minute(), 0, 0, loc)
}

// clock reads a typed time of day: HHMM ("0930", "1400"), or with a colon
// or a dot ("9:30", "14.00").
var clock = regexp.MustCompile(`^(\d{1,2})[:.]?(\d{2})$`)

// parseClock returns the minutes after midnight of a typed time of day.
func parseClock(in string) (int, bool) {
	p := clock.FindStringSubmatch(in)
	if p == nil {
		return 0, false
	}
	h, m := atoi(p[1]), atoi(p[2])
	return h*60 + m, h < 24 && m < 60
}

// dateRetry is the re-ask of a date entry that did not read as a future day.
func dateRetry(c *Ctx, err error) Move {
	if errors.Is(err, errPastDate) {
		return Retry(c.Say("mentor.date_past"))
	}
	return Retry(c.Say("mentor.date_bad"))
}
