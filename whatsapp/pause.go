package whatsapp

import (
	"github.com/chanjo-health/chanjo/pause"
	"github.com/chanjo-health/chanjo/store"
)

// paused is the WhatsApp channel's pause, with d's clock and log: apart from
// the SMS pause, so a refused WhatsApp account does not stop SMS.
func (d *Dispatcher) paused() pause.Channel {
	return pause.Channel{DB: d.db, Channel: store.ChannelWhatsApp, Probe: d.cfg.Probe, Provider: "Meta", Log: d.Log, Now: d.Now}
}
