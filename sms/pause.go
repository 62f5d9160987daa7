package sms

import (
	"context"
	"time"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// gate returns how many rows Once may claim: a full claim when sending is
// not paused; one row (the first due, sent alone as the probe) when it is
// paused and this instance took the probe that fell due; none otherwise.
// The pause lives in the database, so every instance obeys it.
func (d *Dispatcher) gate(ctx context.Context) (limit int, probe bool, err error) {
	if d.sender == nil {
		return d.claimLimit(), false, nil
	}
	p, paused, err := d.db.ChannelPause(ctx, store.ChannelSMS)
	if err != nil {
		return 0, false, err
	}
	d.Metrics.paused.Set(boolGauge(paused))
	if !paused {
		return d.claimLimit(), false, nil
	}
	if d.Now().Before(p.ProbeAt) {
		return 0, false, nil
	}
	took, err := d.db.TakeProbe(ctx, store.ChannelSMS, d.Now().Add(d.cfg.Probe))
	if err != nil || !took {
		return 0, false, err
	}
	return 1, true, nil
}

// pause stops sending for every instance because the gateway refused the
// account with words. Only the instance that begins the pause logs it.
func (d *Dispatcher) pause(ctx context.Context, words string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	d.Metrics.paused.Set(1)
	began, err := d.db.PauseChannel(ctx, store.ChannelSMS, words, d.Now().Add(d.cfg.Probe))
	switch {
	case err != nil:
		d.Log.Error("pause sending", "component", "sms", "err", err)
	case began:
		d.Metrics.pauses.Inc()
		d.Log.Error("the gateway refused the account: sending paused for every instance; one message probes every "+
			d.cfg.Probe.String()+" and sending resumes by itself", "component", "sms", "gateway", words)
	}
}

// resume ends the pause after a probe the gateway did not refuse.
func (d *Dispatcher) resume(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	p, ended, err := d.db.ResumeChannel(ctx, store.ChannelSMS)
	switch {
	case err != nil:
		d.Log.Error("resume sending", "component", "sms", "err", err)
	case ended:
		d.Metrics.paused.Set(0)
		d.Log.Info("the gateway accepts the account again: sending resumed", "component", "sms",
			"paused_for", d.Now().Sub(p.BeganAt).Round(time.Second).String())
	}
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
