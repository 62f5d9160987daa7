package whatsapp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/chanjo-health/chanjo/dispatch"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// Sender sends one WhatsApp message, and uploads the file of a job aid
// sent as a document; *cloudapi.Client is one.
type Sender interface {
	Send(ctx context.Context, m cloudapi.Message) (cloudapi.Sent, error)
	UploadMedia(ctx context.Context, filename, mimeType string, data io.Reader) (string, error)
}

// DispatcherConfig holds the WhatsApp dispatcher's settings.
type DispatcherConfig struct {
	// Templates are the pack's templates by kind (lessons.TemplateKinds).
	Templates map[string]lessons.WhatsAppTemplate
	// JobAids are the pack's job aids: inside her window one goes as a
	// document (jobAidDocs).
	JobAids []lessons.JobAid
	// Prices are a template's price by category (WA_PRICE_*, in the SMS
	// cost's currency): a settled row's estimated cost. A category left out
	// is unknown, recorded as 0.
	Prices map[string]float64
	// Quiet is the quiet hours in TZ: nudges and non-urgent broadcasts wait
	// then, on WhatsApp as by SMS.
	Quiet quiet.Hours
	TZ    *time.Location
	// Retry is how long after it was due a message is retried. Default 24 hours.
	Retry time.Duration
	// Backoff is the wait after a retryable failure, doubled after each
	// further one up to BackoffMax. Defaults 1 and 30 minutes.
	Backoff, BackoffMax time.Duration
	// Probe is the wait between probes while Meta refuses the account.
	// Default 3 minutes.
	Probe time.Duration
	// Lease, Poll, SendTimeout and Batch: as for SMS. Defaults 2 minutes,
	// 1 second, 20 seconds and 50 rows a claim.
	Lease, Poll, SendTimeout time.Duration
	Batch                    int
}

func (c DispatcherConfig) withDefaults() DispatcherConfig {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Retry, 24*time.Hour)
	def(&c.Backoff, time.Minute)
	def(&c.BackoffMax, 30*time.Minute)
	def(&c.Probe, 3*time.Minute)
	def(&c.Lease, 2*time.Minute)
	def(&c.Poll, time.Second)
	def(&c.SendTimeout, 20*time.Second)
	if c.Batch <= 0 {
		c.Batch = 50
	}
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	return c
}

// Window is how long after a user's last message free-form messages may
// reach her (whatsapp-api.md §3); outside it only a template may.
const Window = 24 * time.Hour

// Dispatcher sends the outbox's WhatsApp rows, one request a message (the
// Cloud API has no batch send), with the SMS dispatcher's rules: a lease per
// claim, each result recorded before the next send, quiet hours and opt-outs
// at the claim, account faults pausing every instance.
type Dispatcher struct {
	db     *store.DB
	sender Sender
	cfg    DispatcherConfig
	aids   *jobAidDocs

	// Instance names this dispatcher in its leases (store.NewProcessID).
	Instance string
	// Now is the clock of windows, quiet hours and retries; tests replace it.
	Now func() time.Time
	Log *slog.Logger
}

// NewDispatcher returns a dispatcher of db's WhatsApp rows through s.
func NewDispatcher(db *store.DB, s Sender, cfg DispatcherConfig) *Dispatcher {
	return &Dispatcher{db: db, sender: s, cfg: cfg.withDefaults(), aids: newJobAidDocs(cfg.JobAids), Instance: store.NewProcessID(),
		Now: time.Now, Log: slog.New(slog.DiscardHandler)}
}

// Run dispatches until ctx is cancelled.
func (d *Dispatcher) Run(ctx context.Context) error {
	return dispatch.Run(ctx, d.Log.With("component", "whatsapp"), d.cfg.Poll, d.Once)
}

// Once claims one lease of due WhatsApp rows and sends them one by one
// (dispatch.Loop): the Cloud API has no batch send. It returns how many rows
// it claimed.
func (d *Dispatcher) Once(ctx context.Context) (int, error) {
	p := d.paused()
	return dispatch.Loop[store.Claimed]{Name: "whatsapp", DB: d.db, Channel: waChannel{d},
		Claim: store.ClaimOptions{Owner: d.Instance, Limit: d.cfg.Batch, Lease: d.cfg.Lease, Channel: store.ChannelWhatsApp},
		Quiet: d.cfg.Quiet, TZ: d.cfg.TZ, Pause: &p, SendTimeout: d.cfg.SendTimeout, Now: d.Now}.Once(ctx)
}

// waChannel is the WhatsApp side of the claim loop: a request is one row.
type waChannel struct{ d *Dispatcher }

// Prepare sends every claimed row, each in its own request.
func (waChannel) Prepare(_ context.Context, l store.Lease) ([]store.Claimed, int, error) {
	return l.Msgs, 0, nil
}

// Wait lets every request go: Meta's limits are per recipient, not a rate.
func (waChannel) Wait(context.Context, store.Claimed) error { return nil }

// Send delivers one row (deliver).
func (c waChannel) Send(ctx context.Context, m store.Claimed) (dispatch.Outcome, error) {
	r, fault, err := c.d.deliver(ctx, m)
	out := dispatch.Outcome{Rows: 1, Refusal: fault}
	if r != nil {
		out.Results = []store.Result{*r}
	}
	return out, err
}

// Recorded has nothing to do: WhatsApp keeps no dispatcher metrics.
func (waChannel) Recorded(context.Context, store.Claimed, []store.Result) {}

// deliver sends m and returns its result to record; no result when the row
// went on by SMS (recorded already); Meta's words when it refused the
// account (nothing recorded: the row waits for the pause to end).
func (d *Dispatcher) deliver(ctx context.Context, m store.Claimed) (*store.Result, string, error) {
	now := d.Now()
	if now.After(m.Due.Add(d.cfg.Retry)) {
		return &store.Result{ID: m.ID, Status: store.OutExpired, Reason: m.LastReason}, "", nil
	}
	rcp, err := d.db.WhatsAppRecipientOf(ctx, m.Phone)
	if err != nil {
		return nil, "", fmt.Errorf("whatsapp: dispatch: %w", err)
	}
	// Free-form text only inside her window, and not again after Meta
	// said the window was closed.
	free := !rcp.LastIn.IsZero() && now.Sub(rcp.LastIn) < Window && m.LastReason != store.ReasonOutsideWindow
	msg, tmpl := d.message(ctx, m, rcp.Language, free)
	sent, err := d.send(ctx, msg)
	var ce *cloudapi.Error
	if free && errors.As(err, &ce) && ce.Code == cloudapi.CodeOutsideWindow {
		free = false
		msg, tmpl = d.message(ctx, m, rcp.Language, false)
		sent, err = d.send(ctx, msg)
	}
	switch {
	case err == nil:
		if err := d.db.SettleWhatsApp(ctx, d.Instance, m.ID, d.cost(tmpl, free)); err != nil {
			return nil, "", fmt.Errorf("whatsapp: dispatch: %w", err)
		}
		return &store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: sent.MessageID}, "", nil
	case !errors.As(err, &ce):
		// ErrInvalidMessage: no request was made, and none would succeed.
		return &store.Result{ID: m.ID, Status: store.OutFailed, Reason: "invalid message"}, "", nil
	case ce.AccountFault():
		return nil, strconv.Itoa(ce.Code) + " " + ce.Details, nil
	case ce.Code == cloudapi.CodeUndeliverable && m.WAContent != store.WAText:
		// A menu answers a message she wrote on WhatsApp, and a group invite is a WhatsApp
		// template: by SMS either would mean nothing.
		return &store.Result{ID: m.ID, Status: store.OutFailed, Reason: "code " + strconv.Itoa(ce.Code)}, "", nil
	case ce.Code == cloudapi.CodeUndeliverable:
		if err := d.db.FallBackToSMS(ctx, d.Instance, m.ID, m.Phone); err != nil {
			return nil, "", fmt.Errorf("whatsapp: dispatch: %w", err)
		}
		return nil, "", nil
	case ce.Unconfirmed() && m.LastReason == store.ReasonNoAnswer:
		// The copy before may have reached her too: a third would make two
		// duplicates. The status webhooks settle the row.
		return &store.Result{ID: m.ID, Status: store.OutUnconfirmed, Reason: store.ReasonNoAnswer}, "", nil
	case ce.Unconfirmed():
		// No idempotency key exists: this retry may reach her a second time
		// (at most one duplicate), and if the first copy's statuses come
		// first the row is settled before the retry.
		return d.retry(m, store.ReasonNoAnswer), "", nil
	case ce.Retryable():
		return d.retry(m, ce.Error()), "", nil
	}
	return &store.Result{ID: m.ID, Status: store.OutFailed, Reason: "code " + strconv.Itoa(ce.Code)}, "", nil
}

// cost is how a message went, by its template (nil for free-form text),
// and its estimated price (whatsapp-api.md §4.4): free-form is free,
// and so is a utility template inside her open window (the invite goes as a
// template in or out of it).
func (d *Dispatcher) cost(t *lessons.WhatsAppTemplate, open bool) store.WhatsAppCost {
	if t == nil {
		return store.WhatsAppCost{Form: store.WAFree}
	}
	c := store.WhatsAppCost{Form: store.WATemplate, Category: t.Category, Cost: d.cfg.Prices[t.Category]}
	if open && t.Category == "utility" {
		c.Cost = 0
	}
	return c
}

// send makes one request that runs to its end even when ctx is cancelled:
// an abandoned request may still have been sent.
func (d *Dispatcher) send(ctx context.Context, msg cloudapi.Message) (cloudapi.Sent, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
	defer cancel()
	return d.sender.Send(sctx, msg)
}

// message is m by what its body holds (m.WAContent): text free-form (a job
// aid as its document) and a menu as its list or buttons, or either as its
// kind's template in her language, the text its one parameter; a circle
// group's invite is the group-invite template. Without a template for its
// kind (a pack without one) the text goes, and Meta refuses it outside the
// window. It returns the template it used, nil for free-form.
func (d *Dispatcher) message(ctx context.Context, m store.Claimed, lang string, free bool) (cloudapi.Message, *lessons.WhatsAppTemplate) {
	kind := string(m.Kind)
	if m.GroupMessageID != 0 {
		kind = "group" // a peer group's message: the group template says so
	}
	var msg cloudapi.Message
	var tmpl *lessons.WhatsAppTemplate
	t, hasTemplate := d.cfg.Templates[kind]
	switch m.WAContent {
	case store.WAGroupInvite:
		// The library's invite template, in or out of her window: Meta fills in the link.
		t := d.cfg.Templates[InviteTemplate]
		msg, tmpl = cloudapi.GroupInvite(m.Phone, t.Name, t.Language.In(lang), m.Body), &t
	case store.WAMenu:
		menu := menuOf(m.Body)
		if hasTemplate && !free {
			msg, tmpl = cloudapi.Template(m.Phone, t.Name, t.Language.In(lang), menu.Body), &t
		} else {
			msg = menu.Message(m.Phone)
		}
	default:
		if hasTemplate && !free {
			// A template's text with its parameter filled in is bounded (Meta
			// refuses one past 1,024 characters, 132005), so a whole answer goes
			// as its SMS form, cut with the pointer to the rest.
			msg, tmpl = cloudapi.Template(m.Phone, t.Name, t.Language.In(lang), cmp.Or(m.SMSBody, m.Body)), &t
		} else if doc, ok := d.document(ctx, m.Phone, m.Body); ok {
			msg = doc
		} else {
			msg = cloudapi.Text(m.Phone, m.Body)
		}
	}
	msg.Opaque = store.OutboxOpaque(m.ID)
	return msg, tmpl
}

// retry queues m again after the backoff of its attempt.
func (d *Dispatcher) retry(m store.Claimed, reason string) *store.Result {
	wait := d.cfg.Backoff << min(m.Attempts, 10)
	if wait <= 0 || wait > d.cfg.BackoffMax {
		wait = d.cfg.BackoffMax
	}
	if reason == store.ReasonNoAnswer {
		wait = d.cfg.Backoff // the statuses of the first copy may settle the row meanwhile
	}
	d.Log.Warn("send failed, retried", "component", "whatsapp", phone.LogKey, phone.Mask(m.Phone), "reason", reason)
	return &store.Result{ID: m.ID, Status: store.OutQueued, Reason: reason, NotBefore: d.Now().Add(wait)}
}
