package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/storable"
	"github.com/chanjo-health/chanjo/store"
)

// Handler answers the gateway's SMS callbacks: incoming SMS, delivery
// reports and opt-outs. The routes must sit behind the callback token check.
type Handler struct {
	db       *store.DB
	ussdCode string
	tz       *time.Location
	log      *slog.Logger
	metrics  *Metrics
	// Price (SMS_SEGMENT_COST) estimates the cost of a broadcast asked for
	// by SMS in the reply that asks for YES.
	Price store.Price
	// Quiet (SMS_QUIET_HOURS) is what the reply to a YES says holds the
	// broadcast.
	Quiet QuietHours
	// Deadline bounds the work of one callback (CallbackDeadline unless
	// set): a database that does not answer gets the gateway a 503 in time
	// to retry, not a request that hangs.
	Deadline time.Duration
	// SenderID is AT_SENDER_ID: opt-outs from other senders change nothing;
	// "" accepts every sender.
	SenderID string
	// Pack is the content pack: the phrases of STOP, START and HELP
	// (commands.yaml) and the words of every reply (messages-sms.yaml);
	// NewHandler sets the embedded pack.
	Pack *lessons.Pack
	// Mentoring relays questions and answers; NewHandler sets one of the
	// embedded pack.
	Mentoring *mentoring.Service
}

// CallbackDeadline is the default Deadline: well under the gateway's own
// timeout, and long enough for a database that is merely slow.
const CallbackDeadline = 5 * time.Second

// NewHandler returns the callback handler. ussdCode is shown in replies; tz
// (CHANJO_TZ) sets the day of the once-a-day reply to unknown numbers; m may
// be nil.
func NewHandler(db *store.DB, ussdCode string, tz *time.Location, log *slog.Logger, m *Metrics) *Handler {
	if m == nil {
		m = NewMetrics(prometheus.NewRegistry())
	}
	if tz == nil {
		tz = time.UTC
	}
	p := embeddedPack()
	return &Handler{db: db, ussdCode: ussdCode, tz: tz, log: log.With("component", "sms"), metrics: m,
		Deadline: CallbackDeadline, Pack: p,
		Mentoring: mentoring.New(db, p, mentoring.Config{TZ: tz, USSDCode: ussdCode})}
}

// embeddedPack returns the embedded pack, which its tests prove loads.
func embeddedPack() *lessons.Pack {
	p, err := lessons.Default()
	if err != nil {
		panic(fmt.Sprintf("sms: the embedded content pack does not load: %v", err))
	}
	return p
}

// Register adds POST /sms/inbound, /sms/delivery and /sms/optout to r.
func (h *Handler) Register(r gin.IRouter) {
	r.POST("/sms/inbound", h.form, h.inbound)
	r.POST("/sms/delivery", h.form, h.delivery)
	r.POST("/sms/optout", h.form, h.optOut)
}

// form runs before every callback: it parses the form and cleans its
// fields (NUL bytes and invalid UTF-8 written as escapes, see package
// storable), so that no text a phone or the gateway sends can make storing it
// fail, and it puts the Deadline on the request's context.
func (h *Handler) form(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		h.answer(c, fmt.Errorf("%w: %v", africastalking.ErrInvalidCallback, err))
		c.Abort()
		return
	}
	storable.Form(c.Request.PostForm)
	ctx, cancel := context.WithTimeout(c.Request.Context(), h.Deadline)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// errBadNumber is a callback whose phone number cannot be read.
var errBadNumber = errors.New("phone number not readable")

// answer writes the plain-text answer for err: 200 for nil, 400 with the
// reason for a bad callback, and 503 (and a log line) for our own failure,
// which is never the content's (that is cleaned and always stored) but the
// database's not answering in time: the gateway retries a 503.
func (h *Handler) answer(c *gin.Context, err error) {
	switch {
	case err == nil:
		c.String(http.StatusOK, "ok\n")
	case errors.Is(err, africastalking.ErrInvalidCallback), errors.Is(err, errBadNumber):
		c.String(http.StatusBadRequest, "bad callback: %s\n", err)
	default:
		h.log.Error("callback", "route", c.FullPath(), "err", err)
		c.String(http.StatusServiceUnavailable, "could not process the callback, please retry\n")
	}
}

func (h *Handler) inbound(c *gin.Context) {
	in, err := africastalking.ParseIncoming(c.Request.PostForm)
	if err == nil {
		in.From, err = normalize(in.From)
	}
	if err == nil {
		c.Set(phone.LogKey, in.From)
		err = h.receive(c.Request.Context(), in)
	}
	h.answer(c, err)
}

func normalize(p string) (string, error) {
	n, err := phone.Normalize(p)
	if err != nil {
		return "", fmt.Errorf("sms: %w", errBadNumber)
	}
	return n, nil
}

// receive handles one incoming SMS in one transaction with its reply, so a
// callback the gateway retries changes nothing the second time.
func (h *Handler) receive(ctx context.Context, in africastalking.Incoming) error {
	if theirs, err := h.supervisorSMS(ctx, in); theirs || err != nil {
		return err
	}
	w, err := h.db.WorkerByPhone(ctx, in.From)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("sms: receive: %w", err)
	}
	// A group command is no opt-out phrase (the pack's lint keeps G free),
	// so it is taken here, in the grammar's order.
	if cmd, ok := peer.Parse(in.Text); ok && w.ID != 0 {
		return h.group(ctx, in, w, cmd)
	}
	act := classify(h.Pack.Commands, in.Text, w.ID != 0)
	if act == actQuestion {
		return h.relay(ctx, in, w) // a question or a mentor's answer: relay.go
	}
	return h.db.Tx(ctx, func(tx *store.Tx) error {
		fresh, err := h.db.RecordInbound(ctx, tx, store.InboundSMS{
			GatewayID: in.ID, Phone: in.From, To: in.To, Body: in.Text, LinkID: in.LinkID,
			WorkerID: w.ID, HandledAs: string(act), SentAt: in.Date,
		})
		if err != nil || !fresh {
			return err
		}
		if act == actStop || act == actStart {
			if err := h.keyword(ctx, tx, in.From, act); err != nil {
				return err
			}
		}
		_, err = h.db.Enqueue(ctx, tx, store.Outgoing{
			DedupeKey: h.replyKey(act, in), Kind: store.KindReply, Phone: in.From,
			Body: reply(h.Pack, act, w.Language, h.ussdCode), WorkerID: w.ID,
		})
		return err
	})
}

// replyKey is the reply's dedupe key: the incoming SMS's gateway id, except
// for unknown numbers, who get the short help at most once a day.
func (h *Handler) replyKey(act action, in africastalking.Incoming) string {
	if act == actUnknown {
		return "unknown:" + in.From + ":" + h.db.Now().In(h.tz).Format(time.DateOnly)
	}
	return "in:" + in.ID
}

func (h *Handler) delivery(c *gin.Context) {
	dr, err := africastalking.ParseDeliveryReport(c.Request.PostForm)
	if err != nil {
		h.answer(c, err)
		return
	}
	d := store.Delivery{GatewayID: dr.ID, GatewayStatus: dr.Status, Reason: dr.FailureReason}
	switch dr.State {
	case africastalking.StateDelivered:
		d.Status = store.OutDelivered
	case africastalking.StateFailed:
		d.Status = store.OutFailed
		if d.Reason == "" {
			d.Reason = dr.Status
		}
	}
	changed, err := h.db.RecordDelivery(c.Request.Context(), d)
	if changed {
		h.metrics.delivery(d)
	}
	if err == nil && africastalking.BlacklistReason(dr.FailureReason) {
		err = h.blacklisted(c.Request.Context(), dr)
	}
	h.answer(c, err)
}
