// Package pause is the one pause of a sending channel (issue 12): when the provider refuses the
// account (a fault of the account, not of one message), sending on that channel stops for every
// instance; one message probes every Probe, and the first the provider does not refuse ends the
// pause. The pause is kept in the database, so every instance obeys it, and each channel has its
// own: a refused SMS account does not stop WhatsApp.
package pause

import (
	"context"
	"log/slog"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Channel is one channel's pause as a dispatcher sees it.
type Channel struct {
	DB      *store.DB
	Channel string // store.ChannelSMS, store.ChannelWhatsApp
	// Probe is the wait between probes while the provider refuses the account.
	Probe time.Duration
	// Provider names who refuses, in the log: "the gateway", "Meta".
	Provider string
	Log      *slog.Logger
	Now      func() time.Time
	// Seen, when not nil, is told whether sending is paused each time it is looked at (a gauge).
	Seen func(paused bool)
	// Began, when not nil, is called when this instance begins a pause (a counter).
	Began func()
}

// Gate returns how many rows a round may claim: full when sending is not paused; one row, the
// probe, when it is and this instance took the probe that fell due; none otherwise.
func (c Channel) Gate(ctx context.Context, full int) (limit int, probe bool, err error) {
	p, paused, err := c.DB.ChannelPause(ctx, c.Channel)
	if err != nil {
		return 0, false, err
	}
	c.seen(paused)
	if !paused {
		return full, false, nil
	}
	if c.Now().Before(p.ProbeAt) {
		return 0, false, nil
	}
	took, err := c.DB.TakeProbe(ctx, c.Channel, c.Now().Add(c.Probe))
	if err != nil || !took {
		return 0, false, err
	}
	return 1, true, nil
}

// Pause stops the channel's sending for every instance: the provider refused the account with
// words. Only the instance that begins the pause logs it. It runs even when ctx has ended, so a
// refusal seen at shutdown still pauses the others.
func (c Channel) Pause(ctx context.Context, words string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	c.seen(true)
	began, err := c.DB.PauseChannel(ctx, c.Channel, words, c.Now().Add(c.Probe))
	switch {
	case err != nil:
		c.Log.Error("pause sending", "component", c.Channel, "err", err)
	case began:
		if c.Began != nil {
			c.Began()
		}
		c.Log.Error(c.Provider+" refused the account: "+c.Channel+" sending paused for every instance; one message probes every "+
			c.Probe.String()+" and sending resumes by itself", "component", c.Channel, "refusal", words)
	}
}

// Resume ends the pause after a probe the provider did not refuse.
func (c Channel) Resume(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	p, ended, err := c.DB.ResumeChannel(ctx, c.Channel)
	switch {
	case err != nil:
		c.Log.Error("resume sending", "component", c.Channel, "err", err)
	case ended:
		c.seen(false)
		c.Log.Info(c.Provider+" accepts the account again: "+c.Channel+" sending resumed", "component", c.Channel,
			"paused_for", c.Now().Sub(p.BeganAt).Round(time.Second).String())
	}
}

func (c Channel) seen(paused bool) {
	if c.Seen != nil {
		c.Seen(paused)
	}
}
