package sms

import (
	"context"
	"time"
)

// Tick runs one round of the escalation worker at now, as Run does, for
// tests on their own clock; it returns how many questions it escalated.
func (r *Relay) Tick(ctx context.Context, now time.Time) (int, error) {
	_, n, err := r.tick(ctx, now)
	return n, err
}
