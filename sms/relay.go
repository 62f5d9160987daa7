package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// Ask a mentor by SMS. A worker's text that is not a keyword is a question:
// it is stored and relayed at once to her mentors (or, without one, to the
// mentors of her groups) as "Q12 from Jane (Kithimani): ..., reply A12
// <answer>". A mentor's "A12 <answer>" stores the answer and relays it to
// the nurse; any other text from a mentor with open questions answers the
// oldest (she is told which), and "Q <text>" is her own question. Both go
// as replies: a person's message, not a reminder, so neither quiet hours
// nor a STOP hold it. A mentor may correct her own answer (the nurse gets
// the correction); another mentor's answer to an answered question is
// politely refused, so the nurse is never sent two answers that may
// disagree (the mentors can talk to each other).

// handledAnswer is how an answer is recorded in inbound_sms.handled_as.
const handledAnswer = "answer"

// answerForm is "A12 <answer>": A (any case) right before the number, then
// spaces or punctuation, then the answer (which may be empty: usage).
var answerForm = regexp.MustCompile(`(?is)^\s*A(\d{1,9})(?:[\s:.,;-]+(.*?))?\s*$`)

// parseAnswer reads "A12 <answer>", and reports whether text has that form.
func parseAnswer(text string) (id int64, answer string, ok bool) {
	m := answerForm.FindStringSubmatch(text)
	if m == nil {
		return 0, "", false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	return id, m[2], err == nil
}

// ownQuestionForm is "Q <question>": a mentor with open questions asking
// her own instead of answering the oldest.
var ownQuestionForm = regexp.MustCompile(`(?is)^\s*Q(?:[\s:.,;-]+(.*?))?\s*$`)

// routed is what a worker's SMS that is no keyword turns out to be.
type routed struct {
	text    string
	answer  bool  // an answer to question id; else a question
	id      int64 // the question answered
	uncoded bool  // an answer sent without "A<n>": she is told which question it answered
}

// route reads an SMS that is no keyword (docs/content.md, commands.yaml; orders
// 4 to 6): "A<n> ..." answers question n; from a mentor, "Q ..." is her own
// question and any other text answers her oldest open question; anything
// else is a question.
func (h *Handler) route(ctx context.Context, tx *store.Tx, w store.Worker, text string) (routed, error) {
	if id, answer, ok := parseAnswer(text); ok {
		return routed{text: answer, answer: true, id: id}, nil
	}
	if w.Role != store.RoleMentor {
		return routed{text: text}, nil
	}
	if m := ownQuestionForm.FindStringSubmatch(text); m != nil {
		return routed{text: m[1]}, nil
	}
	q, open, err := h.db.OldestOpenQuestionFor(ctx, tx, w.ID)
	if err != nil || !open {
		return routed{text: text}, err
	}
	return routed{text: text, answer: true, id: q.ID, uncoded: true}, nil
}

// relay handles a worker's SMS that is no keyword: an answer or a question,
// with the incoming SMS and every SMS it causes in one transaction.
func (h *Handler) relay(ctx context.Context, in africastalking.Incoming, w store.Worker) error {
	return h.db.Tx(ctx, func(tx *store.Tx) error {
		r, err := h.route(ctx, tx, w, in.Text)
		if err != nil {
			return err
		}
		handled := string(actQuestion)
		if r.answer {
			handled = handledAnswer
		}
		fresh, err := h.db.RecordInbound(ctx, tx, store.InboundSMS{
			GatewayID: in.ID, Phone: in.From, To: in.To, Body: in.Text, LinkID: in.LinkID,
			WorkerID: w.ID, HandledAs: handled, SentAt: in.Date,
		})
		if err != nil || !fresh {
			return err
		}
		var msgs []store.Outgoing
		if r.answer {
			msgs, err = h.relayAnswer(ctx, tx, w, in.ID, r)
		} else {
			msgs, err = h.relayQuestion(ctx, tx, w, r.text)
		}
		if err != nil {
			return err
		}
		for i := range msgs {
			if msgs[i].DedupeKey == "" {
				msgs[i].DedupeKey, msgs[i].Phone, msgs[i].WorkerID = "in:"+in.ID, in.From, w.ID
			}
			msgs[i].Kind = store.KindReply
		}
		_, err = h.db.Enqueue(ctx, tx, msgs...)
		return err
	})
}

// relayQuestion stores the question, queues it to the mentors and returns
// the reply to the nurse (its key and number filled in by relay).
func (h *Handler) relayQuestion(ctx context.Context, tx *store.Tx, w store.Worker, text string) ([]store.Outgoing, error) {
	p := h.Pack
	a, err := h.Mentoring.AskQuestionTx(ctx, tx, w.ID, text, "sms")
	if errors.Is(err, store.ErrEmptyQuestion) { // "Q" alone
		return []store.Outgoing{{Body: p.Say(w.Language, "sms.ask.empty")}}, nil
	}
	if err != nil {
		return nil, err
	}
	if a.To == store.AskedSupervisor {
		return []store.Outgoing{{Body: p.Say(w.Language, "sms.ask.supervisor")}}, nil
	}
	// The answer goes on her channel (mentoring queues it so), which the
	// thanks names: she asked by SMS, but may read it on WhatsApp.
	bySMS, onWhatsApp := "sms.reply.question", "sms.reply.question_whatsapp"
	if a.To == store.AskedGroup {
		bySMS, onWhatsApp = "sms.ask.group", "sms.ask.group_whatsapp"
	}
	ch, err := h.db.WorkerChannel(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	key := bySMS
	if ch.Effective == store.ChannelWhatsApp {
		key = onWhatsApp
	}
	return []store.Outgoing{{Body: p.Say(w.Language, key)}}, nil
}

// relayAnswer stores the mentor's answer (or her correction of it) and
// returns the SMS to the nurse and the mentor's confirmation, or the
// mentor's reason why not. inID is the incoming SMS's gateway id: each
// correction is an SMS of its own.
func (h *Handler) relayAnswer(ctx context.Context, tx *store.Tx, w store.Worker, inID string, r routed) ([]store.Outgoing, error) {
	id := r.id
	q, err := h.Mentoring.AnswerTx(ctx, tx, id, w.ID, r.text, inID)
	lang, p := w.Language, h.Pack
	var refusal string
	switch {
	case errors.Is(err, store.ErrEmptyQuestion):
		refusal = p.Say(lang, "sms.answer.empty", "q", id)
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrNotYours):
		refusal = p.Say(lang, "sms.answer.unknown", "q", id)
	case errors.Is(err, store.ErrAlreadyAnswered):
		refusal = p.Say(lang, "sms.answer.taken", "q", id, "name", q.Answerer)
	case errors.Is(err, store.ErrQuestionClosed):
		refusal = p.Say(lang, "sms.answer.closed", "q", id)
	case err != nil:
		return nil, err
	}
	if refusal != "" {
		return []store.Outgoing{{Body: refusal}}, nil
	}
	return []store.Outgoing{{Body: thanks(p, q, lang, r.uncoded)}}, nil
}

// thanks is the mentor's confirmation that her answer went to the nurse;
// one sent without a code says which question it answered and how to ask
// her own instead.
func thanks(p *lessons.Pack, q store.Question, lang string, uncoded bool) string {
	name := gsm.Shorten(q.Name, 20)
	switch {
	case uncoded:
		return p.Say(lang, "sms.answer.sent_uncoded", "other", name, "q", q.ID, "excerpt", gsm.Shorten(q.Body, 40))
	case q.Corrected:
		return p.Say(lang, "sms.answer.sent_correction", "q", q.ID, "other", name)
	}
	return p.Say(lang, "sms.answer.sent", "q", q.ID, "other", name)
}

// RelayConfig holds the escalation worker's settings.
type RelayConfig struct {
	// TZ is CHANJO_TZ, the zone of the quiet hours.
	TZ *time.Location
	// Quiet holds escalations back until morning (SMS_QUIET_HOURS): a
	// question that waited a day can wait for the night to end.
	Quiet QuietHours
	// After is how long a question waits for an answer before it goes to
	// the other mentors of the nurse's groups. Default 24 hours.
	After time.Duration
	// Poll is the wait between ticks. Default 1 minute.
	Poll time.Duration
	// Batch is the most questions claimed in one tick. Default 100.
	Batch int
	// Lease is how long a claimed question stays this relay's: one whose
	// escalation failed waits that long before any relay tries it again.
	// Default 1 minute.
	Lease time.Duration
}

func (c RelayConfig) withDefaults() RelayConfig {
	if c.TZ == nil {
		c.TZ = time.UTC
	}
	if c.After <= 0 {
		c.After = 24 * time.Hour
	}
	if c.Poll <= 0 {
		c.Poll = time.Minute
	}
	if c.Batch <= 0 {
		c.Batch = 100
	}
	if c.Lease <= 0 {
		c.Lease = time.Minute
	}
	return c
}

// Relay escalates questions left unanswered: each goes once, after
// RelayConfig.After, to the other mentors of the nurse's groups. Several
// relays may share one database: each claims its questions with a lease, and
// the store's guarded update lets one win should two hold the same.
type Relay struct {
	db  *store.DB
	m   *mentoring.Service
	cfg RelayConfig
	// Owner is the process identity the leases name (store.NewProcessID
	// unless set).
	Owner string
	// Now is the clock of Run; tests call Tick with their own time.
	Now func() time.Time
	Log *slog.Logger
}

// NewRelay returns the escalation worker on db, which escalates through m.
func NewRelay(db *store.DB, m *mentoring.Service, cfg RelayConfig) *Relay {
	return &Relay{db: db, m: m, cfg: cfg.withDefaults(), Owner: store.NewProcessID(), Now: time.Now, Log: slog.New(slog.DiscardHandler)}
}

// Run ticks until ctx is cancelled, at once again after a tick that claimed
// a full batch.
func (r *Relay) Run(ctx context.Context) error {
	log := r.Log.With("component", "relay")
	for {
		tctx, cancel := context.WithTimeout(ctx, time.Minute)
		claimed, n, err := r.tick(tctx, r.Now())
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			log.Error("escalate questions", "err", err)
		}
		if n > 0 {
			log.Info("questions escalated", "count", n)
		}
		if claimed < r.cfg.Batch || err != nil {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(r.cfg.Poll):
			}
		}
	}
}

// tick escalates the questions unanswered for RelayConfig.After at now,
// outside quiet hours, and returns how many it claimed and escalated. One
// question's failure does not stop the others; the errors are returned
// together.
func (r *Relay) tick(ctx context.Context, now time.Time) (claimed, escalated int, err error) {
	if r.cfg.Quiet.Contains(now.In(r.cfg.TZ)) {
		return 0, 0, nil
	}
	ids, err := r.db.ClaimStaleQuestions(ctx, store.RowClaim{Owner: r.Owner, Limit: r.cfg.Batch, Lease: r.cfg.Lease}, now.Add(-r.cfg.After))
	if err != nil {
		return 0, 0, fmt.Errorf("sms: relay: %w", err)
	}
	n := 0
	var errs []error
	for _, id := range ids {
		done, _, err := r.m.EscalateQuestion(ctx, id)
		if err != nil {
			errs = append(errs, err)
		}
		if done {
			n++
		}
	}
	if len(errs) > 0 {
		return len(ids), n, fmt.Errorf("sms: relay: %w", errors.Join(errs...))
	}
	return len(ids), n, nil
}
