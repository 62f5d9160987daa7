// Package quiet is the daily window of quiet hours (SMS_QUIET_HOURS) in
// which nudges and non-urgent broadcasts wait: the dispatcher holds them by
// it, and the console, the API and the replies by SMS say until when from
// it, so that all read one rule.
package quiet

import "time"

// Hours is a daily window, in minutes after local midnight, during which
// nudges and non-urgent broadcasts wait. It may wrap midnight (19:00-07:00);
// Start == End means no quiet hours.
type Hours struct {
	Start, End int
}

// Contains reports whether the local time t falls inside the window.
func (q Hours) Contains(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	switch {
	case q.Start == q.End:
		return false
	case q.Start < q.End:
		return m >= q.Start && m < q.End
	default:
		return m >= q.Start || m < q.End
	}
}

// Until returns the end of the window holding the local time t, in t's
// zone, and true; or t and false when t is outside the window.
func (q Hours) Until(t time.Time) (time.Time, bool) {
	if !q.Contains(t) {
		return t, false
	}
	y, m, d := t.Date()
	end := time.Date(y, m, d, 0, q.End, 0, 0, t.Location())
	if !end.After(t) {
		end = time.Date(y, m, d+1, 0, q.End, 0, 0, t.Location())
	}
	return end, true
}
