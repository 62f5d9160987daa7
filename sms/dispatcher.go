// Package sms sends and receives Chanjo's SMS: the dispatcher that drains the
// outbox through the gateway, and the gateway's callbacks (incoming SMS,
// delivery reports, opt-outs).
package sms

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/chanjo-health/chanjo/dispatch"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// Limiter paces the segments sent to the gateway. A *rate.Limiter paces one
// process; a limiter kept in Redis (kv.Bucket) paces every instance together,
// since SMS_RATE is the gateway account's rate.
type Limiter interface {
	// WaitN waits until n segments may go; an error means they may not
	// (ctx ended, or the shared limiter cannot be reached).
	WaitN(ctx context.Context, n int) error
}

// Sender sends one text to several numbers in one request.
// *africastalking.Client is one.
type Sender interface {
	Send(ctx context.Context, m africastalking.Message) (*africastalking.Response, error)
}

// Config holds the dispatcher's settings (AT_BATCH, SMS_RATE, ...).
type Config struct {
	// Batch is the most recipients per send request (AT_BATCH).
	Batch int
	// Rate is the segments per second sent to the gateway; 0 = no limit.
	Rate float64
	// RetryReply and RetryBroadcast are how long after it was due a reply
	// (or a relayed answer) and a broadcast are retried (SMS_RETRY_REPLY,
	// SMS_RETRY_BROADCAST); a reminder is retried until the end of its day.
	// Defaults 24 and 48 hours.
	RetryReply, RetryBroadcast time.Duration
	Quiet                      QuietHours
	// TZ is the zone of the quiet hours (CHANJO_TZ).
	TZ *time.Location
	// From is the sender ID (AT_SENDER_ID); "" leaves the gateway's default.
	From string
	// Lease is how long claimed rows stay reserved; a crashed dispatcher's
	// rows go to another after it. Default 2 minutes.
	Lease time.Duration
	// Poll is the wait when the outbox has nothing due. Default 1 second.
	Poll time.Duration
	// Backoff is the wait after the first retryable failure, doubled after
	// each further one, up to BackoffMax (SMS_BACKOFF_MAX). Defaults 5 and
	// 30 minutes.
	Backoff, BackoffMax time.Duration
	// Probe is the wait between probes while the gateway refuses the
	// account. Default 3 minutes.
	Probe time.Duration
	// SendTimeout bounds one send request. Default 20 seconds.
	SendTimeout time.Duration
	// Channel is the outbox rows this dispatcher sends: store.ChannelSMS
	// when a WhatsApp dispatcher sends the others; "" every row by SMS
	// (WhatsApp is not configured).
	Channel string
}

// Dispatcher drains the outbox: it claims due rows with a lease, sends
// identical bodies together, and records each recipient's result. Several
// dispatchers (in several instances) may share one database, each with its
// own Instance.
type Dispatcher struct {
	db     *store.DB
	sender Sender
	cfg    Config

	// Limiter paces the sends, at most Burst segments a call: a
	// per-process limiter at Config.Rate unless replaced; nil sends as fast
	// as the gateway answers.
	Limiter Limiter
	// Instance names this dispatcher in the leases it takes: the process's
	// identity, random at each start (store.NewProcessID). A dead process's
	// leases go back to the queue when its heartbeat stops (store.ReapDead).
	Instance string
	// Out receives the messages when there is no gateway (Sender nil);
	// only a demo should set it, since it shows message bodies.
	Out io.Writer
	// Sessions, when set, holds a nudge or reply (a completion SMS, a job
	// aid) while its number is in a USSD session: an SMS arriving on a
	// basic phone ends the session (issue 19). Broadcasts go as they are.
	Sessions Sessions
	// Pack words the digests of group messages (peer.Digest); nil is the
	// embedded pack.
	Pack *lessons.Pack
	// Now is the clock of quiet hours and retry times; tests replace it.
	Now     func() time.Time
	Log     *slog.Logger
	Metrics *Metrics

	// ahead claims the next lease while one is sent (dispatch.Ahead).
	ahead dispatch.Ahead
}

// sessionHold is how long a message held for a USSD session waits before
// its number is asked again: a session lasts up to SessionTTL past its last
// hop, and a nurse who just hung up may dial again at once.
const sessionHold = 30 * time.Second

// ReasonInSession is the failure_reason of a message waiting for its
// number's USSD session to end.
const ReasonInSession = "in USSD session"

// NewDispatcher returns a dispatcher for db that sends through s, or, when s
// is nil, marks messages not_sent_no_gateway (printing them to Out).
func NewDispatcher(db *store.DB, s Sender, cfg Config) *Dispatcher {
	cfg = cfg.withDefaults()
	d := &Dispatcher{db: db, sender: s, cfg: cfg, Out: io.Discard, Now: time.Now,
		Log: slog.New(slog.DiscardHandler), Metrics: NewMetrics(prometheus.NewRegistry())}
	d.Instance = store.NewProcessID()
	if cfg.Rate > 0 {
		d.Limiter = rate.NewLimiter(rate.Limit(cfg.Rate), d.Burst())
	}
	return d
}

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Lease, 2*time.Minute)
	def(&c.Poll, time.Second)
	def(&c.Backoff, 5*time.Minute)
	def(&c.BackoffMax, 30*time.Minute)
	def(&c.Probe, 3*time.Minute)
	def(&c.RetryReply, 24*time.Hour)
	def(&c.RetryBroadcast, 48*time.Hour)
	def(&c.SendTimeout, 20*time.Second)
	if c.Batch <= 0 {
		c.Batch = 100
	}
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	return c
}

// Burst is the rate limiter's bucket: one second's worth of segments, so a
// request never sends more than the rate allows in one second.
func (d *Dispatcher) Burst() int {
	return max(1, int(math.Ceil(d.cfg.Rate)))
}

// Run dispatches until ctx is cancelled; on the way out it finishes the send
// in flight and releases the rest of its lease.
func (d *Dispatcher) Run(ctx context.Context) error {
	log := d.Log.With("component", "sms")
	var lastStats, lastEarly time.Time
	return dispatch.Run(ctx, log, d.cfg.Poll, func(ctx context.Context) (int, error) {
		if time.Since(lastStats) > 10*time.Second {
			d.refreshStats(ctx, log)
			lastStats = time.Now()
		}
		// Reports that came before their send's result was recorded.
		if time.Since(lastEarly) > time.Second {
			finals, err := d.db.ApplyEarlyDeliveries(ctx)
			if err != nil && ctx.Err() == nil {
				log.Error("apply early delivery reports", "err", err)
			}
			d.Metrics.delivery(finals...)
			lastEarly = time.Now()
		}
		return d.Once(ctx)
	})
}

// refreshStats updates the queue gauges.
func (d *Dispatcher) refreshStats(ctx context.Context, log *slog.Logger) {
	s, err := d.db.QueueStats(ctx, d.quiet())
	if err != nil {
		log.Warn("queue stats", "err", err)
		return
	}
	d.Metrics.queued.Set(float64(s.Due))
	age := 0.0
	if !s.Oldest.IsZero() {
		age = max(0, d.Now().Sub(s.Oldest).Seconds())
	}
	d.Metrics.queueAge.Set(age)
}

// quiet reports whether it is quiet hours now in the configured zone.
func (d *Dispatcher) quiet() bool {
	return d.cfg.Quiet.Contains(d.Now().In(d.cfg.TZ))
}

// Once claims one lease of due messages and sends it, request by request
// (dispatch.Loop), identical bodies together. A claimed message past its
// horizon expires unsent. It returns how many messages it claimed.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	lp := dispatch.Loop[request]{Name: "sms", DB: d.db, Channel: smsChannel{d},
		Claim: store.ClaimOptions{Owner: d.Instance, Limit: d.claimLimit(), Lease: d.cfg.Lease, Channel: d.cfg.Channel},
		Quiet: d.cfg.Quiet, TZ: d.cfg.TZ, SendTimeout: d.cfg.SendTimeout, Now: d.Now}
	if d.sender != nil {
		p := d.paused()
		lp.Pause = &p
	}
	// The next lease is claimed while this one is sent where that can overlap: on PostgreSQL
	// (SQLite has one writer at a time) and with no rate limit (under one, the rate sets the
	// pace and a second lease would only hold rows back from other instances longer).
	if d.db.Dialect == store.Postgres && d.Limiter == nil {
		lp.Ahead = &d.ahead
	}
	return lp.Once(ctx)
}

// request is one send request and the digest copies riding in it.
type request struct {
	group
	riders map[int64][]int64
}

// smsChannel is the SMS side of the claim loop.
type smsChannel struct{ d *Dispatcher }

// Prepare expires the messages past their horizon, holds those whose number
// is in a USSD session, folds group messages into digests and groups the rest
// into requests of one body.
func (c smsChannel) Prepare(ctx context.Context, l store.Lease) ([]request, int, error) {
	d := c.d
	d.Metrics.suppressed.Add(float64(l.Suppressed))
	live, err := d.expire(ctx, l.Msgs)
	if err != nil {
		return nil, 0, err
	}
	if live, err = d.hold(ctx, live); err != nil {
		return nil, 0, err
	}
	held := len(live)
	live, riders, err := d.digest(ctx, live)
	if err != nil {
		return nil, 0, err
	}
	countSegments(live)
	gs := groups(live, d.cfg.Batch, d.Burst(), d.Limiter != nil)
	reqs := make([]request, len(gs))
	for i, g := range gs {
		reqs[i] = request{group: g, riders: riders}
	}
	return reqs, len(l.Msgs) - held, nil
}

// Wait paces the requests by segments (Limiter).
func (c smsChannel) Wait(ctx context.Context, r request) error {
	if c.d.Limiter == nil {
		return nil
	}
	if err := c.d.Limiter.WaitN(ctx, min(c.d.Burst(), r.segments())); err != nil {
		return fmt.Errorf("sms: dispatch: rate limiter: %w", err)
	}
	return nil
}

// Send sends one request; the digest copies riding in it share its results.
func (c smsChannel) Send(ctx context.Context, r request) (dispatch.Outcome, error) {
	rs, fault := c.d.send(ctx, r.group)
	if fault != "" {
		return dispatch.Outcome{Refusal: fault}, nil
	}
	for i := range rs {
		rs[i].Segments = r.group[i].Segments
	}
	rs = append(slices.Clip(rs), ridersResults(rs, r.riders)...)
	return dispatch.Outcome{Results: rs, Rows: len(rs)}, nil
}

// Recorded counts the request's results and opts out the numbers the
// gateway refused as blacklisted.
func (c smsChannel) Recorded(ctx context.Context, r request, rs []store.Result) {
	rs = rs[:len(r.group)] // the riders' copies are counted on their carrier
	c.d.count(r.group, rs)
	c.d.optOut(ctx, r.group, rs)
}

// hold puts back, for sessionHold, the claimed nudges and replies whose
// number is in a USSD session, and returns the others. A session store that
// does not answer holds nothing: an interruption is better than no SMS.
func (d *Dispatcher) hold(ctx context.Context, msgs []store.Claimed) ([]store.Claimed, error) {
	if d.Sessions == nil {
		return msgs, nil
	}
	live := msgs[:0:0]
	var held []int64
	for _, m := range msgs {
		if m.Kind != store.KindBroadcast {
			in, err := d.Sessions.InSession(ctx, m.Phone)
			if err != nil {
				d.Log.Warn("session check failed: sending", "component", "dispatcher", "error", err)
			}
			if in {
				held = append(held, m.ID)
				continue
			}
		}
		live = append(live, m)
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := d.db.Hold(fctx, d.Instance, held, d.Now().Add(sessionHold), ReasonInSession); err != nil {
		return nil, fmt.Errorf("sms: dispatch: %w", err)
	}
	return live, nil
}

// claimLimit is how many rows one claim leases: ten requests' worth without a
// rate limit (fewer claims, each a single statement), about one second's
// worth of segments under one (at least one request), so that a lease is
// sent well within its time and a reply queued meanwhile does not wait long
// behind a broadcast.
func (d *Dispatcher) claimLimit() int {
	n := 10 * d.cfg.Batch
	if d.Limiter != nil {
		n = min(n, max(d.cfg.Batch, d.Burst()))
	}
	return n
}

// count feeds the metrics with one request's results.
func (d *Dispatcher) count(g group, rs []store.Result) {
	for i, r := range rs {
		switch r.Status {
		case store.OutAccepted, store.OutDelivered:
			d.Metrics.sent.WithLabelValues(string(g[i].Kind)).Inc()
			if r.Currency != "" {
				d.Metrics.cost.WithLabelValues(r.Currency).Add(r.Cost)
			}
		case store.OutQueued:
			d.Metrics.retries.Inc()
		case store.OutFailed:
			d.Metrics.failed.WithLabelValues(r.Reason).Inc()
		case store.OutExpired:
			d.Metrics.expired.Inc()
		case store.OutUnconfirmed:
			d.Metrics.unconfirmed.Inc()
		case store.OutNotSent:
			d.Metrics.notSent.Inc()
		}
	}
}
