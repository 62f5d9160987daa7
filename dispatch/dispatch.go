// Package dispatch is the claim loop every sending channel's dispatcher runs (SMS, WhatsApp): claim a
// lease of the channel's due outbox rows (quiet hours and opt-outs applied at the claim), obey the
// channel's pause (pause.Channel: nothing, or one probe, while the provider refuses the account),
// send request by request, recording each request's results before the next so that a crash repeats
// at most the request in flight, and give back what the lease did not cover. What a request is and
// how it goes is the channel's own (Channel), so the rules of the loop are written once.
package dispatch

import (
	"context"
	"errors"
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
	// Ahead, when set, claims the next round's lease while this round sends (Ahead); nil
	// claims each lease in turn.
	Ahead *Ahead
}

// Ahead claims a dispatcher's next lease while it sends the current one, so that the claim (on
// PostgreSQL a fifth of a broadcast's dispatch time) overlaps the requests instead of coming
// between two leases. A crash still repeats at most the request in flight: rows claimed ahead
// are leased, not sent, and go back with the process's other leases. A dispatcher keeps one
// across its rounds, which run one at a time; the zero value is ready.
type Ahead struct {
	next chan claimed // the claim made, or being made, for the next round; nil when none
}

// claimed is a claim's options and outcome.
type claimed struct {
	opt store.ClaimOptions
	l   store.Lease
	err error
}

// start claims opt in the background for the next round.
func (a *Ahead) start(ctx context.Context, db *store.DB, opt store.ClaimOptions) {
	ch := make(chan claimed, 1)
	a.next = ch
	go func() {
		l, err := db.Claim(ctx, opt)
		ch <- claimed{opt: opt, l: l, err: err}
	}()
}

// take waits for the claim made ahead and returns it; false when there is none.
func (a *Ahead) take() (claimed, bool) {
	if a == nil || a.next == nil {
		return claimed{}, false
	}
	c := <-a.next
	a.next = nil
	return c, true
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
			if _, ok := lp.Ahead.take(); ok {
				err = errors.Join(err, lp.giveBack(ctx))
			}
			return 0, err
		}
	}
	opt := lp.Claim
	opt.Limit, opt.Quiet = limit, lp.Quiet.Contains(lp.Now().In(lp.TZ))
	l, err := lp.lease(ctx, opt)
	if err != nil {
		return 0, err
	}
	if lp.Ahead != nil && !probe && len(l.Msgs) == lp.Claim.Limit {
		// A full lease: more is likely due. Released at the end of the round with the rest
		// when the round stops early.
		lp.Ahead.start(ctx, lp.DB, opt)
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
	if done < len(l.Msgs) || ctx.Err() != nil {
		// Stopped early or stopping: what was claimed ahead goes back too.
		lp.Ahead.take()
		if err := lp.giveBack(ctx); err != nil {
			return len(l.Msgs), err
		}
	}
	return len(l.Msgs), waitErr
}

// lease returns the round's lease: the one claimed ahead when it was claimed as opt, else a
// new claim (rows claimed ahead for another claim, a probe's or one outside quiet hours, go back
// first).
func (lp Loop[R]) lease(ctx context.Context, opt store.ClaimOptions) (store.Lease, error) {
	if c, ok := lp.Ahead.take(); ok {
		if c.err == nil && c.opt == opt {
			return c.l, nil
		}
		if err := lp.giveBack(ctx); err != nil {
			return store.Lease{}, err
		}
	}
	l, err := lp.DB.Claim(ctx, opt)
	if err != nil {
		return store.Lease{}, fmt.Errorf("%s: dispatch: %w", lp.Name, err)
	}
	return l, nil
}

// giveBack releases every row of the channel still leased to this dispatcher and unsent.
func (lp Loop[R]) giveBack(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := lp.DB.Release(rctx, lp.Claim.Owner, lp.Claim.Channel); err != nil {
		return fmt.Errorf("%s: dispatch: %w", lp.Name, err)
	}
	return nil
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
