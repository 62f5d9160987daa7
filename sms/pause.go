package sms

import (
	"context"
	"time"

	"github.com/chanjo-health/chanjo/pause"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

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
