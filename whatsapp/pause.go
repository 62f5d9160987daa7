package whatsapp

import (
	"context"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// gate returns how many rows Once may claim: a full claim when WhatsApp
// sending is not paused; one row, the probe, when it is and this instance
// took the probe that fell due; none otherwise. The pause is in the
// database, so every instance obeys it, apart from the SMS pause.
func (d *Dispatcher) gate(ctx context.Context) (limit int, probe bool, err error) {
	p, paused, err := d.db.ChannelPause(ctx, store.ChannelWhatsApp)
	if err != nil || !paused {
		return d.cfg.Batch, false, err
	}
	if d.Now().Before(p.ProbeAt) {
		return 0, false, nil
	}
	took, err := d.db.TakeProbe(ctx, store.ChannelWhatsApp, d.Now().Add(d.cfg.Probe))
	if err != nil || !took {
		return 0, false, err
	}
	return 1, true, nil
}

// pause stops WhatsApp sending for every instance: Meta refused the
// account (190 token expired, 368 restricted, …) with words.
func (d *Dispatcher) pause(ctx context.Context, words string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	began, err := d.db.PauseChannel(ctx, store.ChannelWhatsApp, words, d.Now().Add(d.cfg.Probe))
	switch {
	case err != nil:
		d.Log.Error("pause sending", "component", "whatsapp", "err", err)
	case began:
		d.Log.Error("Meta refused the account: WhatsApp sending paused for every instance; one message probes every "+
			d.cfg.Probe.String()+" and sending resumes by itself", "component", "whatsapp", "meta", words)
	}
}

// resume ends the pause after a probe Meta did not refuse.
func (d *Dispatcher) resume(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	p, ended, err := d.db.ResumeChannel(ctx, store.ChannelWhatsApp)
	switch {
	case err != nil:
		d.Log.Error("resume sending", "component", "whatsapp", "err", err)
	case ended:
		d.Log.Info("Meta accepts the account again: WhatsApp sending resumed", "component", "whatsapp",
			"paused_for", d.Now().Sub(p.BeganAt).Round(time.Second).String())
	}
}
