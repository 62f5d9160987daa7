package whatsapp

import (
	"context"

	"github.com/chanjo-health/chanjo/pause"
	"github.com/chanjo-health/chanjo/store"
)

// gate returns how many rows Once may claim (pause.Channel.Gate): none or
// the probe while Meta refuses the account. The WhatsApp pause is apart
// from the SMS pause.
func (d *Dispatcher) gate(ctx context.Context) (limit int, probe bool, err error) {
	return d.paused().Gate(ctx, d.cfg.Batch)
}

// pause stops WhatsApp sending for every instance: Meta refused the
// account (190 token expired, 368 restricted, …) with words.
func (d *Dispatcher) pause(ctx context.Context, words string) { d.paused().Pause(ctx, words) }

// resume ends the pause after a probe Meta did not refuse.
func (d *Dispatcher) resume(ctx context.Context) { d.paused().Resume(ctx) }

// paused is the WhatsApp channel's pause, with d's clock and log.
func (d *Dispatcher) paused() pause.Channel {
	return pause.Channel{DB: d.db, Channel: store.ChannelWhatsApp, Probe: d.cfg.Probe, Provider: "Meta", Log: d.Log, Now: d.Now}
}
