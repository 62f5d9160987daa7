package sms

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// horizon is when m stops being worth sending (docs/operations.md, "How long a message is tried"; "When something
// fails"): a reply or relayed answer RetryReply after it was due, a
// broadcast RetryBroadcast after, a reminder at the end of its day. Time
// paused for an account fault counts, as any other wait does: a morning
// reminder is no use at night, however long the pause.
func (d *Dispatcher) horizon(m store.Claimed) time.Time {
	switch m.Kind {
	case store.KindReply:
		return m.Due.Add(d.cfg.RetryReply)
	case store.KindNudge:
		return d.endOfDay(m.Due)
	default:
		return m.Due.Add(d.cfg.RetryBroadcast)
	}
}

// endOfDay is the local midnight that ends a reminder's day. A reminder due
// during quiet hours waits for their end, so its day is the day they end.
func (d *Dispatcher) endOfDay(due time.Time) time.Time {
	t := due.In(d.cfg.TZ)
	for range 24 * 60 / 15 {
		if !d.cfg.Quiet.Contains(t) {
			break
		}
		t = t.Add(15 * time.Minute)
	}
	y, mo, day := t.Date()
	return time.Date(y, mo, day+1, 0, 0, 0, 0, d.cfg.TZ)
}

// retry queues m again after its backoff (doubled each attempt, at most
// BackoffMax), or expires it, keeping reason, when the next try would fall
// past its horizon.
func (d *Dispatcher) retry(m store.Claimed, reason string) store.Result {
	wait := min(backoff(d.cfg.Backoff, m.Attempts+1), d.cfg.BackoffMax)
	at := d.Now().Add(wait).Truncate(time.Millisecond)
	if at.After(d.horizon(m)) {
		return store.Result{ID: m.ID, Status: store.OutExpired, Reason: reason}
	}
	return store.Result{ID: m.ID, Status: store.OutQueued, Reason: reason, NotBefore: at}
}

// expire records the claimed messages already past their horizon (a long
// pause, a gateway down all day) as expired without sending them, and
// returns the others.
func (d *Dispatcher) expire(ctx context.Context, msgs []store.Claimed) ([]store.Claimed, error) {
	now := d.Now()
	// Nothing is past its horizon in the usual round: the claim's messages
	// go on as they are, where copying them cost a dispatch of 100,000 SMS
	// 57 MB (docs/performance.md).
	if !slices.ContainsFunc(msgs, func(m store.Claimed) bool { return !now.Before(d.horizon(m)) }) {
		return msgs, nil
	}
	live := make([]store.Claimed, 0, len(msgs))
	var rs []store.Result
	for _, m := range msgs {
		if now.Before(d.horizon(m)) {
			live = append(live, m)
			continue
		}
		reason := m.LastReason
		if reason == "" {
			reason = "not sent before its horizon"
		}
		rs = append(rs, store.Result{ID: m.ID, Status: store.OutExpired, Reason: reason, Segments: m.Segments})
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := d.db.Finish(fctx, d.Instance, rs); err != nil {
		return nil, fmt.Errorf("sms: expire: %w", err)
	}
	d.Metrics.expired.Add(float64(len(rs)))
	return live, nil
}
