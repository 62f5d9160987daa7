package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/storable"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// inboxBatch is how many stored webhooks one round reads.
const inboxBatch = 100

// inboxEvery is how often the inbox looks for webhooks without being woken: those another instance
// stored, or that a crash left behind.
const inboxEvery = 5 * time.Second

// Inbox applies stored webhooks: each inbound message is stored once, each status kept at the
// highest seen. Every instance may run one; a webhook is applied by exactly one of them.
type Inbox struct {
	// Pack holds the opt-out, opt-in and help phrases (a STOP written on WhatsApp opts her out of
	// every channel, as one sent by SMS does) and the words of the answers (messages-whatsapp.yaml,
	// messages-peer.yaml); nil is the embedded pack.
	Pack *lessons.Pack
	// Menus answers every other message (nil: none is answered).
	Menus Menus
	// Circles follows mentor circles' WhatsApp groups and bridges their messages to SMS members
	// (GROUPS_ENABLED); nil skips group events and group messages.
	Circles *Circles

	db      *store.DB
	log     *slog.Logger
	metrics *Metrics
	wake    chan struct{}
}

// NewInbox returns an Inbox; m may be nil.
func NewInbox(db *store.DB, log *slog.Logger, m *Metrics) *Inbox {
	if m == nil {
		m = NewMetrics(prometheus.NewRegistry())
	}
	return &Inbox{db: db, log: log.With("component", "whatsapp"), metrics: m, wake: make(chan struct{}, 1)}
}

// Wake asks Run for a round now; it never blocks.
func (in *Inbox) Wake() {
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

// Run applies stored webhooks whenever woken and every inboxEvery, until ctx ends.
func (in *Inbox) Run(ctx context.Context) {
	tick := time.NewTicker(inboxEvery)
	defer tick.Stop()
	for {
		if err := in.Drain(ctx); err != nil && ctx.Err() == nil {
			in.log.Error("inbox round", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-in.wake:
		case <-tick.C:
		}
	}
}

// Drain applies every stored webhook not yet applied, then answers the stored messages that wait
// for the menus.
func (in *Inbox) Drain(ctx context.Context) error {
	for {
		hooks, err := in.db.PendingWhatsAppWebhooks(ctx, inboxBatch)
		if err != nil {
			return err
		}
		if len(hooks) == 0 {
			return in.answer(ctx)
		}
		for _, hook := range hooks {
			if err := in.apply(ctx, hook); err != nil {
				return err
			}
		}
	}
}

// handle acts on a new message, in the transaction that stores it: a peer group command from a
// worker (the "Group chat" of her WhatsApp menu sends one) is relayed and answered on WhatsApp. Any
// other message is answered with the menus after the transaction (answer).
func (in *Inbox) handle(ctx context.Context, tx *store.Tx, m store.WhatsAppMessage) error {
	p, err := in.pack()
	if err != nil {
		return err
	}
	if c, ok := p.Commands.Match(m.Body); ok && (c == lessons.CommandStop || c == lessons.CommandStart) {
		return in.keyword(ctx, tx, m, c, p)
	}
	cmd, ok := peer.Parse(m.Body)
	if !ok {
		return nil
	}
	w, err := in.db.WorkerByPhoneIn(ctx, tx, m.Phone)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	answer, err := peer.Handle(ctx, in.db, tx, peer.Received{Command: cmd, From: w, Source: store.ChannelWhatsApp, Key: "wa:" + m.WAMID,
		Pack: p})
	if err != nil || answer == "" {
		return err
	}
	// She just wrote: her window is open, so the answer goes free-form.
	_, err = in.db.Enqueue(ctx, tx, store.Outgoing{DedupeKey: "wa:" + m.WAMID, Kind: store.KindReply, Phone: m.Phone,
		Body: answer, WorkerID: w.ID, Channel: store.ChannelWhatsApp})
	return err
}

// keyword opts the writer out of every channel (recorded as from WhatsApp) or back in, and says so
// on WhatsApp in her language.
func (in *Inbox) keyword(ctx context.Context, tx *store.Tx, m store.WhatsAppMessage, c lessons.Command, p *lessons.Pack) error {
	key := "whatsapp.stopped"
	if c == lessons.CommandStart {
		key = "whatsapp.started"
	}
	if c == lessons.CommandStop {
		if err := in.db.RecordOptOut(ctx, tx, store.OptOut{Phone: m.Phone, Channel: store.ChannelWhatsApp,
			Reason: store.OptOutKeyword, Detail: "STOP on WhatsApp"}); err != nil {
			return err
		}
	} else if err := in.db.OptIn(ctx, tx, m.Phone); err != nil {
		return err
	}
	w, err := in.db.WorkerByPhoneIn(ctx, tx, m.Phone)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	text := p.Say(w.Language, key)
	_, err = in.db.Enqueue(ctx, tx, store.Outgoing{DedupeKey: "wa:" + m.WAMID, Kind: store.KindReply, Phone: m.Phone,
		Body: text, WorkerID: w.ID, Channel: store.ChannelWhatsApp})
	return err
}

func (in *Inbox) apply(ctx context.Context, hook store.WhatsAppWebhook) error {
	msgs, statuses, groups := in.read(hook)
	var circles func(tx *store.Tx) error
	if in.Circles != nil && (len(groups.events) > 0 || len(groups.msgs) > 0) {
		circles = func(tx *store.Tx) error { return in.Circles.apply(ctx, tx, groups.events, groups.msgs) }
	}
	fresh, err := in.db.ApplyWhatsAppWebhook(ctx, hook.ID, msgs, statuses, func(tx *store.Tx, m store.WhatsAppMessage) error {
		return in.handle(ctx, tx, m)
	}, circles)
	if err != nil {
		return err
	}
	in.metrics.messages.Add(float64(len(fresh)))
	for _, s := range statuses {
		in.metrics.statuses.WithLabelValues(s.Status).Inc()
	}
	return nil
}

// groupParts are a webhook's group events and the messages posted in groups, for Circles.
type groupParts struct {
	events []cloudapi.GroupEvent
	msgs   []cloudapi.Inbound
}

// read turns a stored webhook into the rows to store, and its group parts. What cannot be read is
// logged and skipped: the raw body stays in the inbox.
func (in *Inbox) read(hook store.WhatsAppWebhook) ([]store.WhatsAppMessage, []store.WhatsAppStatus, groupParts) {
	var groups groupParts
	w, err := cloudapi.ParseWebhook(hook.Body)
	if err != nil {
		in.log.Error("webhook not readable", "inbox_id", hook.ID, "err", err)
		return nil, nil, groups
	}
	var msgs []store.WhatsAppMessage
	var statuses []store.WhatsAppStatus
	for _, e := range w.Entry {
		for _, ch := range e.Changes {
			for _, g := range ch.Value.Groups {
				if g.InitiatedBy == "" {
					g.InitiatedBy = ch.Value.InitiatedBy
				}
				groups.events = append(groups.events, g)
			}
			if ch.Field != "messages" {
				continue
			}
			for _, m := range ch.Value.Messages {
				if m.GroupID != "" && m.ID != "" && m.From != "" {
					groups.msgs = append(groups.msgs, m)
				}
				if msg, ok := in.message(hook.ID, m); ok {
					msgs = append(msgs, msg)
				}
			}
			for _, s := range ch.Value.Statuses {
				if st, ok := in.status(hook.ID, s); ok {
					statuses = append(statuses, st)
				}
			}
		}
	}
	return msgs, statuses, groups
}

func (in *Inbox) message(id int64, m cloudapi.Inbound) (store.WhatsAppMessage, bool) {
	// Group messages go to Circles (read); senders known only by a username (BSUID) wait for
	// the groups slice.
	if m.ID == "" || m.From == "" || m.GroupID != "" {
		in.log.Info("message skipped", "inbox_id", id, "type", m.Type, "group", m.GroupID != "")
		return store.WhatsAppMessage{}, false
	}
	p, err := phone.Normalize("+" + m.From)
	if err != nil {
		in.log.Warn("message skipped: sender not readable", "inbox_id", id)
		return store.WhatsAppMessage{}, false
	}
	at, err := cloudapi.ParseTime(m.Timestamp)
	if err != nil {
		at = time.Now().UTC()
	}
	replyID, text := m.Reply()
	return store.WhatsAppMessage{WAMID: storable.Text(m.ID), Phone: p, Kind: storable.Text(m.Type),
		ReplyID: storable.Text(replyID), Body: storable.Text(text), SentAt: at}, true
}

func (in *Inbox) status(id int64, s cloudapi.Status) (store.WhatsAppStatus, bool) {
	rank := cloudapi.StatusRank(s.Status)
	if s.ID == "" || rank == 0 {
		if s.Status != "deleted" {
			in.log.Info("status skipped", "inbox_id", id, "status", storable.Text(s.Status))
		}
		return store.WhatsAppStatus{}, false
	}
	at, err := cloudapi.ParseTime(s.Timestamp)
	if err != nil {
		at = time.Now().UTC()
	}
	st := store.WhatsAppStatus{WAMID: storable.Text(s.ID), Status: s.Status, Rank: rank,
		Recipient: storable.Text(s.RecipientID), Opaque: storable.Text(s.Opaque), At: at}
	if len(s.Errors) > 0 {
		st.ErrorCode = s.Errors[0].Code
	}
	return st, true
}

// pack returns in.Pack, or the embedded pack when it is nil.
func (in *Inbox) pack() (*lessons.Pack, error) {
	if in.Pack != nil {
		return in.Pack, nil
	}
	return lessons.Default()
}
