package admin

import (
	"time"

	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
)

// goesOut says, for people, when the SMS of b that wait will go: "held for
// quiet hours until 07:00", "scheduled for 21:30 on 10 Mar 2025", or ""
// when they go now or none waits. heldUntil is the end of the quiet hours
// holding them, zero when none do. A supervisor who sees "Queued 100" at
// 23:21 learns here why nothing moves, rather than sending again.
func goesOut(b store.Broadcast, q quiet.Hours, now time.Time, tz *time.Location) (text string, heldUntil time.Time) {
	if b.Counts.Queued == 0 {
		return "", time.Time{}
	}
	due := b.SendAt
	if now.After(due) {
		due = now
	}
	due = due.In(tz)
	if until, held := q.Until(due); held && !b.Urgent {
		return "held for quiet hours until " + clock(until, now), until.UTC()
	}
	if due.After(now) {
		return "scheduled for " + clock(due, now), time.Time{}
	}
	return "", time.Time{}
}

// clock writes t as "07:00" when it is within a day of now, else with its
// date: "07:00 on 11 Mar 2025".
func clock(t, now time.Time) string {
	if t.Sub(now) < 24*time.Hour {
		return t.Format("15:04")
	}
	return t.Format("15:04 on 2 Jan 2006")
}
