package sms

import (
	"context"
	"time"

	"github.com/chanjo-health/chanjo/pause"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// gate returns how many rows Once may claim (pause.Channel.Gate): none
// or the probe while the gateway refuses the account.
func (d *Dispatcher) gate(ctx context.Context) (limit int, probe bool, err error) {
	if d.sender == nil {
		return d.claimLimit(), false, nil
	}
	return d.paused().Gate(ctx, d.claimLimit())
}

// pause stops SMS sending for every instance: the gateway refused the
// account with words.
func (d *Dispatcher) pause(ctx context.Context, words string) { d.paused().Pause(ctx, words) }

// resume ends the pause after a probe the gateway did not refuse.
func (d *Dispatcher) resume(ctx context.Context) { d.paused().Resume(ctx) }

// paused is the SMS channel's pause, with d's clock, log and metrics.
func (d *Dispatcher) paused() pause.Channel {
	return pause.Channel{DB: d.db, Channel: store.ChannelSMS, Probe: d.cfg.Probe, Provider: "the gateway", Log: d.Log, Now: d.Now,
		Seen: func(p bool) { d.Metrics.paused.Set(boolGauge(p)) }, Began: d.Metrics.pauses.Inc}
}

// optOut opts out the numbers the gateway refused as blacklisted (406
// UserInBlacklist): it will never deliver to them, so nudges and
// broadcasts stop and the console shows why. A failure is logged: the
// next refusal opts the number out again.
func (d *Dispatcher) optOut(ctx context.Context, g group, rs []store.Result) {
	for i, r := range rs {
		if r.Status != store.OutFailed || !africastalking.BlacklistReason(r.Reason) {
			continue
		}
		octx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := d.db.RecordOptOut(octx, d.db, store.OptOut{Phone: g[i].Phone, Channel: store.ChannelSMS,
			Reason: store.OptOutGatewayBlacklist, Detail: "send answer: " + r.Reason})
		cancel()
		if err != nil {
			d.Log.Error("opt out a blacklisted number", "component", "sms", phone.LogKey, phone.Mask(g[i].Phone), "err", err)
		}
	}
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
