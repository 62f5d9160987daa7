package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The channels, as channel pauses, opt-outs, the outbox and a worker's
// choice name them.
const (
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
)

// Pause is a channel's sending paused for every instance because the
// gateway refused the account (a bad or just-rotated key, no credit, a
// suspended account): the messages are not at fault, so none is failed.
type Pause struct {
	Channel string    `db:"channel"`
	Reason  string    `db:"reason"`
	BeganAt time.Time `db:"began_at"`
	// ProbeAt is when the next probe (one message sent alone) may go.
	ProbeAt time.Time `db:"probe_at"`
}

const sqlPauseChannel = `INSERT INTO channel_pause (channel, reason, began_at, probe_at) VALUES (?, ?, ?, ?)
ON CONFLICT (channel) DO NOTHING`

// PauseChannel pauses channel for reason, the first probe at probeAt, and
// reports whether this call began the pause: false when it was paused
// already (another instance, or a probe that failed), which leaves the
// pause as it was, so it is logged once and keeps the time it began.
func (db *DB) PauseChannel(ctx context.Context, channel, reason string, probeAt time.Time) (bool, error) {
	n, err := db.exec(ctx, sqlPauseChannel, channel, reason, db.Now().UTC(), probeAt.UTC())
	if err != nil {
		return false, fmt.Errorf("store: pause %s: %w", channel, err)
	}
	return n > 0, nil
}

const sqlChannelPause = `SELECT channel, reason, began_at, probe_at FROM channel_pause WHERE channel = ?`

// ChannelPause returns the pause of channel; ok is false when sending on it
// is not paused.
func (db *DB) ChannelPause(ctx context.Context, channel string) (p Pause, ok bool, err error) {
	err = db.GetContext(ctx, &p, db.Rebind(sqlChannelPause), channel)
	switch {
	case errors.Is(err, sqlNoRows):
		return Pause{}, false, nil
	case err != nil:
		return Pause{}, false, fmt.Errorf("store: channel pause %s: %w", channel, err)
	}
	return p, true, nil
}

const sqlTakeProbe = `UPDATE channel_pause SET probe_at = ? WHERE channel = ? AND probe_at <= ?`

// TakeProbe moves the next probe of channel's pause to next when one is due
// now, and reports whether the caller took it: of several instances, one
// probes at a time.
func (db *DB) TakeProbe(ctx context.Context, channel string, next time.Time) (bool, error) {
	n, err := db.exec(ctx, sqlTakeProbe, next.UTC(), channel, db.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: take probe %s: %w", channel, err)
	}
	return n > 0, nil
}

const sqlResumeChannel = `DELETE FROM channel_pause WHERE channel = ? RETURNING channel, reason, began_at, probe_at`

// ResumeChannel ends channel's pause and returns it; ok is false when it
// was not paused (another instance resumed it first).
func (db *DB) ResumeChannel(ctx context.Context, channel string) (p Pause, ok bool, err error) {
	err = db.GetContext(ctx, &p, db.Rebind(sqlResumeChannel), channel)
	switch {
	case errors.Is(err, sqlNoRows):
		return Pause{}, false, nil
	case err != nil:
		return Pause{}, false, fmt.Errorf("store: resume %s: %w", channel, err)
	}
	return p, true, nil
}
