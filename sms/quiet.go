package sms

import (
	"time"

	"github.com/chanjo-health/chanjo/quiet"
)

// QuietHours is the daily window in which nudges and non-urgent broadcasts
// wait; the quiet package holds it so that the console reads the same rule.
type QuietHours = quiet.Hours

// backoff returns how long a message waits after its attempts-th failed try:
// base, then twice as long after each further failure (5, 10, 20 min ...).
func backoff(base time.Duration, attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	return base << min(attempts-1, 16)
}
