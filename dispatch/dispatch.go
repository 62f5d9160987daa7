// Package dispatch is the claim loop every sending channel's dispatcher runs (SMS, WhatsApp): claim a
// lease of the channel's due outbox rows (quiet hours and opt-outs applied at the claim), obey the
// channel's pause (pause.Channel: nothing, or one probe, while the provider refuses the account),
// send request by request, recording each request's results before the next so that a crash repeats
// at most the request in flight, and give back what the lease did not cover. What a request is and
// how it goes is the channel's own (Channel), so the rules of the loop are written once.
package dispatch

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/chanjo-health/chanjo/pause"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
)

// Channel is what a dispatcher does its own way: R is one request to its provider.
type Channel[R any] interface {
	// Prepare settles the claimed rows that need no request (expired, held back, folded into
	// another) and returns the requests for the others, in send order, and how many rows it settled.
	// An error ends the round; the lease runs out.
	Prepare(ctx context.Context, l store.Lease) (reqs []R, settled int, err error)
	// Wait waits until r may go (a rate limit); an error ends the round, the rest of the lease
	// given back.
	Wait(ctx context.Context, r R) error
	// Send makes one request. An error ends the round; the lease runs out.
	Send(ctx context.Context, r R) (Outcome, error)
	// Recorded is told a request's results once they are recorded (metrics, opt-outs).
	Recorded(ctx context.Context, r R, rs []store.Result)
}

// Outcome is what one request came to.
type Outcome struct {
	// Results are the rows' results to record.
	Results []store.Result
	// Rows counts the claimed rows the request settles: its results, and rows it recorded itself.
	Rows int
	// Refusal is the provider's words when it refused the account rather than the messages:
	// nothing is recorded, the channel pauses (Loop.Pause, which a channel that can be refused
	// has) and the rows wait for the pause to end.
	Refusal string
}

// Loop is one dispatcher's claim loop over its channel's rows. A dispatcher builds it for each round
// from its own fields, which tests may replace.
type Loop[R any] struct {
	// Name is the channel in errors: "sms", "whatsapp".
	Name    string
	DB      *store.DB
	Channel Channel[R]
	// Claim is what a round claims: Owner, Limit (a full round), Lease, Channel. Quiet is set at
	// each claim from Quiet and TZ.
	Claim store.ClaimOptions
	Quiet quiet.Hours
	TZ    *time.Location
	// Pause is the channel's pause; nil when nothing can refuse the account (SMS without a gateway).
	Pause *pause.Channel
	// SendTimeout bounds one request: none starts that the lease might not cover.
	SendTimeout time.Duration
	Now         func() time.Time
}

// Once claims one lease of due rows and sends it, request by request, recording each request's
// results before the next. While the provider refuses the account it claims nothing but, every
// Probe, one row to send alone; a probe the provider takes ends the pause. It returns how many rows
// it claimed.
func (lp Loop[R]) Once(ctx context.Context) (int, error) {
	limit, probe := lp.Claim.Limit, false
	if lp.Pause != nil {
		var err error
		if limit, probe, err = lp.Pause.Gate(ctx, limit); err != nil || limit == 0 {
			return 0, err
		}
	}
	opt := lp.Claim
	opt.Limit, opt.Quiet = limit, lp.Quiet.Contains(lp.Now().In(lp.TZ))
	l, err := lp.DB.Claim(ctx, opt)
	if err != nil {
		return 0, fmt.Errorf("%s: dispatch: %w", lp.Name, err)
	}
	reqs, done, err := lp.Channel.Prepare(ctx, l)
	if err != nil {
		return len(l.Msgs), err
	}
	var waitErr error
	for _, r := range reqs {
		if err := lp.Channel.Wait(ctx, r); err != nil {
			if ctx.Err() == nil {
				waitErr = err
			}
			break
		}
		// Never start a send the lease might not cover: another dispatcher could take the rows
		// over mid-request and send them again.
		if ctx.Err() != nil || lp.Now().Add(lp.SendTimeout).After(l.Until) {
			break
		}
		out, err := lp.Channel.Send(ctx, r)
		if err != nil {
			return len(l.Msgs), err
		}
		if out.Refusal != "" {
			// The account, not the messages: the rest of the lease is released below as it was,
			// attempts untouched.
			lp.Pause.Pause(ctx, out.Refusal)
			break
		}
		if probe {
			lp.Pause.Resume(ctx)
		}
		if len(out.Results) > 0 {
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			err := lp.DB.Finish(fctx, lp.Claim.Owner, out.Results)
			cancel()
			if err != nil {
				return len(l.Msgs), fmt.Errorf("%s: dispatch: %w", lp.Name, err)
			}
			lp.Channel.Recorded(ctx, r, out.Results)
		}
		done += out.Rows
	}
	if done < len(l.Msgs) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := lp.DB.Release(rctx, lp.Claim.Owner, lp.Claim.Channel); err != nil {
			return len(l.Msgs), fmt.Errorf("%s: dispatch: %w", lp.Name, err)
		}
	}
	return len(l.Msgs), waitErr
}

// Run calls round until ctx is cancelled, waiting poll after a round that claimed nothing or
// failed (the failure logged); it returns nil when ctx ends.
func Run(ctx context.Context, log *slog.Logger, poll time.Duration, round func(context.Context) (int, error)) error {
	for {
		n, err := round(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			log.Error("dispatch", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(poll):
			}
		}
	}
}
