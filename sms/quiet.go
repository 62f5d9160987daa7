package sms

import "time"

// QuietHours is a daily window, in minutes after local midnight, during which
// nudges and non-urgent broadcasts wait. It may wrap midnight (19:00-07:00);
// Start == End means no quiet hours.
type QuietHours struct {
	Start, End int
}

// Contains reports whether the local time t falls inside the window.
func (q QuietHours) Contains(t time.Time) bool {
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

// backoff returns how long a message waits after its attempts-th failed try:
// base, then twice as long after each further failure (5, 10, 20 min ...).
func backoff(base time.Duration, attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	return base << min(attempts-1, 16)
}
