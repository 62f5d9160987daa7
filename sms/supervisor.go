package sms

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// Supervisor commands, as recorded in inbound_sms.handled_as.
const (
	cmdBroadcast = "broadcast" // BC <group or sub-county> <message>
	cmdConfirm   = "confirm"   // YES (NDIYO)
	cmdCancel    = "cancel"    // BC CANCEL
)

// maxAudienceWords bounds the words of a group or sub-county name after BC.
const maxAudienceWords = 5

// supervisorCommand returns the command an SMS holds, if any, the text
// after BC (for an answer, the whole text), and whether it is BC! (urgent:
// it skips quiet hours).
func supervisorCommand(text string) (cmd, rest string, urgent bool) {
	text = strings.TrimSpace(text)
	if _, _, ok := parseAnswer(text); ok {
		return handledAnswer, text, false
	}
	first, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	switch {
	case strings.EqualFold(first, "BC") && strings.EqualFold(strings.Trim(rest, ".!"), "CANCEL"):
		return cmdCancel, "", false
	case strings.EqualFold(first, "BC"), strings.EqualFold(first, "BC!"):
		return cmdBroadcast, rest, first[len(first)-1] == '!'
	case strings.EqualFold(strings.Trim(text, ".!"), "YES"), strings.EqualFold(strings.Trim(text, ".!"), "NDIYO"):
		return cmdConfirm, "", false
	}
	return "", "", false
}

// supervisorSMS handles BC, YES, BC CANCEL and A<n> from a console user's
// phone: a broadcast asked for by SMS, then confirmed, or cancelled; or her
// answer to a question of her sub-counties. It reports whether the SMS was
// hers; anything else goes on to the workers' keywords.
func (h *Handler) supervisorSMS(ctx context.Context, in africastalking.Incoming) (bool, error) {
	cmd, rest, urgent := supervisorCommand(in.Text)
	if cmd == "" {
		return false, nil
	}
	u, err := h.db.UserByPhone(ctx, in.From)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	var sc store.Scope
	if err == nil {
		sc, err = h.db.Scope(ctx, u)
	}
	if err != nil {
		return true, fmt.Errorf("sms: supervisor sms: %w", err)
	}
	name, a, err := h.audienceOf(ctx, sc, cmd, rest)
	var refusal string // the answer to a BC refused before it is drafted
	if err != nil {
		if refusal, err = h.supervisorReply(name, err); err != nil {
			return true, err
		}
	}
	return true, h.db.Tx(ctx, func(tx *store.Tx) error {
		fresh, err := h.db.RecordInbound(ctx, tx, store.InboundSMS{GatewayID: in.ID, Phone: in.From, To: in.To,
			Body: in.Text, LinkID: in.LinkID, HandledAs: cmd, SentAt: in.Date})
		if err != nil || !fresh {
			return err
		}
		var text string
		switch {
		case refusal != "":
			text = refusal
		case cmd == cmdBroadcast:
			body := strings.TrimSpace(rest[len(name):])
			p, derr := h.db.DraftBroadcast(ctx, tx, sc, u.ID, a, body, urgent)
			if text = h.draftReply(name, body, urgent, p); derr != nil {
				text, err = h.supervisorReply(name, derr)
			}
		case cmd == cmdCancel:
			text, err = h.cancelBySMS(ctx, tx, sc, u.ID)
		case cmd == handledAnswer:
			text, err = h.answerBySMS(ctx, tx, sc, u.ID, rest)
		default:
			b, cerr := h.db.ConfirmDraft(ctx, tx, sc, u.ID)
			if text = h.goingReply(b); cerr != nil {
				text, err = h.supervisorReply(name, cerr)
			}
		}
		if err != nil {
			return err
		}
		_, err = h.db.Enqueue(ctx, tx, store.Outgoing{DedupeKey: "in:" + in.ID, Kind: store.KindReply, Phone: in.From, Body: text})
		return err
	})
}

// Refusals of a BC before it is drafted.
var (
	// errUsage is a BC without an audience or a message.
	errUsage = errors.New("usage")
	// errNoMessage is a BC naming an audience and nothing more.
	errNoMessage = errors.New("message missing")
)

// audienceOf finds the audience named at the start of a BC's text, the
// longest name first ("Kibra North" before "Kibra"), and returns the name
// as typed. A YES has none.
func (h *Handler) audienceOf(ctx context.Context, sc store.Scope, cmd, rest string) (string, store.Audience, error) {
	words := strings.Fields(rest)
	if cmd != cmdBroadcast {
		return "", store.Audience{}, nil
	}
	if len(words) == 0 {
		return "", store.Audience{}, errUsage
	}
	// The whole text naming an audience is a BC whose message was left out,
	// not a message to the audience of its first words.
	if len(words) <= maxAudienceWords {
		switch _, err := h.db.AudienceNamed(ctx, sc, rest); {
		case err == nil:
			return rest, store.Audience{}, errNoMessage
		case !errors.Is(err, store.ErrNotFound):
			return rest, store.Audience{}, err
		}
	}
	if len(words) < 2 {
		return "", store.Audience{}, errUsage
	}
	for n := min(len(words)-1, maxAudienceWords); n >= 1; n-- {
		name := strings.Join(words[:n], " ")
		a, err := h.db.AudienceNamed(ctx, sc, name)
		if !errors.Is(err, store.ErrNotFound) {
			return prefixOf(rest, n), a, err
		}
	}
	return words[0], store.Audience{}, store.ErrNotFound
}

// prefixOf returns the first n words of s as they stand in s, so that the
// message after them keeps its own spacing.
func prefixOf(s string, n int) string {
	end := 0
	for range n {
		s2 := s[end:]
		start := len(s2) - len(strings.TrimLeft(s2, " \t\n"))
		stop := strings.IndexAny(s2[start:], " \t\n")
		if stop < 0 {
			return s
		}
		end += start + stop
	}
	return s[:end]
}

// supervisorReply is the answer to a BC or YES refused: why nothing was
// sent. An error that is no answer for her is returned instead.
func (h *Handler) supervisorReply(name string, err error) (string, error) {
	var ie *store.InputError
	switch {
	case errors.Is(err, store.ErrNoRecipients):
		return "Chanjo: nobody in " + name + " can get SMS in your sub-counties; nothing was sent. Hakuna wa kupokea; hakuna kilichotumwa.", nil
	case errors.As(err, &ie):
		return "Chanjo: " + ie.Message + "; nothing was sent. Hakuna kilichotumwa.", nil
	case errors.Is(err, errNoMessage):
		return "Chanjo: the message is missing; nothing was sent. Send BC " + name + " <message>. Ujumbe haupo; tuma BC " + name + " <ujumbe>.", nil
	case errors.Is(err, errUsage):
		return "Chanjo: send BC <group or sub-county> <message>, e.g. BC Kibra Meeting on Friday at 9. Tuma BC <kikundi au kaunti ndogo> <ujumbe>.", nil
	case errors.Is(err, store.ErrOutsideScope):
		return "Chanjo: " + name + " is not one of your sub-counties; nothing was sent. Si kaunti ndogo yako; hakuna kilichotumwa.", nil
	case errors.Is(err, store.ErrNotFound):
		return "Chanjo: no group or sub-county called " + name + "; nothing was sent. Hakuna kikundi wala kaunti ndogo hiyo.", nil
	case errors.Is(err, store.ErrDraftExpired):
		return "Chanjo: more than 10 minutes passed, so nothing was sent. Send BC again. Muda umepita; tuma BC tena.", nil
	case errors.Is(err, store.ErrNoDraft):
		return "Chanjo: no broadcast is waiting for YES. Send BC <group or sub-county> <message> first.", nil
	}
	return "", fmt.Errorf("sms: supervisor sms: %w", err)
}

// cancelBySMS is BC CANCEL: it drops the broadcast waiting for her YES, if
// any, and cancels the SMS still waiting of her newest broadcast, and
// returns her answer.
func (h *Handler) cancelBySMS(ctx context.Context, tx *store.Tx, sc store.Scope, userID int64) (string, error) {
	dropped, err := h.db.DropDraft(ctx, tx, userID)
	if err != nil {
		return "", fmt.Errorf("sms: supervisor sms: %w", err)
	}
	b, n, err := h.db.CancelLatestBroadcast(ctx, tx, sc, userID)
	switch {
	case err == nil:
		return fmt.Sprintf("Chanjo: cancelled your broadcast \"%s\": %d SMS will not be sent. Tangazo limesitishwa; ujumbe %d hautatumwa.",
			excerpt(b.Body), n, n), nil
	case !errors.Is(err, store.ErrNothingToCancel):
		return "", fmt.Errorf("sms: supervisor sms: %w", err)
	case dropped:
		return "Chanjo: the broadcast waiting for YES is dropped; nothing was sent. Tangazo lililosubiri NDIYO limefutwa.", nil
	}
	return "Chanjo: no broadcast of yours is waiting to go; nothing was cancelled. Hakuna tangazo la kusitisha.", nil
}

// excerptRunes is how much of a broadcast a reply about it quotes.
const excerptRunes = 30

// excerpt returns the start of a broadcast's text, for a reply naming it.
func excerpt(body string) string {
	r := []rune(body)
	if len(r) <= excerptRunes {
		return body
	}
	return strings.TrimSpace(string(r[:excerptRunes-3])) + "..."
}

// draftReply asks for the YES to a BC: who gets it, its size and cost,
// whether quiet hours will hold it, and the text as she typed it, so she
// confirms what she sees.
func (h *Handler) draftReply(name, body string, urgent bool, p store.Preview) string {
	cost := h.Price.Format(h.Price.Of(p.Recipients, p.Size.Segments))
	kind, held := "BC", ""
	if urgent {
		kind = "Urgent BC (also in quiet hours)"
	} else if until, ok := h.Quiet.Until(h.db.Now().In(h.tz)); ok {
		held = " Quiet hours hold it until " + until.Format("15:04") + " (BC! skips them)."
	}
	return fmt.Sprintf("Chanjo: %s to %s: %d recipients, %d SMS each, about %s.%s Reply YES within 10 minutes to send: \"%s\" Jibu NDIYO ndani ya dakika 10.",
		kind, name, p.Recipients, p.Size.Segments, cost, held, body)
}

// goingReply is the answer to a YES: the broadcast is on its way, or held
// for quiet hours until their end, so that she does not send it again.
func (h *Handler) goingReply(b store.Broadcast) string {
	due := b.SendAt
	if now := h.db.Now(); now.After(due) {
		due = now
	}
	if until, held := h.Quiet.Until(due.In(h.tz)); held && !b.Urgent {
		at := until.Format("15:04")
		return fmt.Sprintf("Chanjo: your broadcast \"%s\" to %d recipients is held for quiet hours until %s; it goes then, no need to resend. BC! skips quiet hours. Tangazo lako litatumwa saa %s.",
			excerpt(b.Body), b.Recipients, at, at)
	}
	return fmt.Sprintf("Chanjo: your broadcast \"%s\" is going out to %d recipients. Tangazo lako linatumwa kwa watu %d.",
		excerpt(b.Body), b.Recipients, b.Recipients)
}

// answerBySMS is a supervisor's "A12 <answer>" to a question of her
// sub-counties, which the helpdesk's SMS told her of: the answer goes to the
// nurse as a mentor's would (once: the first answer wins), and she is told
// so or why not, in the pack's first language (the console's).
func (h *Handler) answerBySMS(ctx context.Context, tx *store.Tx, sc store.Scope, userID int64, text string) (string, error) {
	id, answer, _ := parseAnswer(text)
	q, err := h.Mentoring.AnswerAsStaffTx(ctx, tx, sc, userID, id, answer)
	p := h.Pack
	lang := p.Lang("")
	switch {
	case err == nil:
		return p.Say(lang, "sms.answer.sent", "q", id, "other", gsm.Shorten(q.Name, 20)), nil
	case errors.Is(err, store.ErrEmptyQuestion):
		return p.Say(lang, "sms.answer.empty", "q", id), nil
	case errors.Is(err, store.ErrNotFound):
		return p.Say(lang, "sms.answer.unknown_scope", "q", id), nil
	case errors.Is(err, store.ErrAlreadyAnswered):
		return p.Say(lang, "sms.answer.taken", "q", id, "name", gsm.Shorten(q.Answerer, 20)), nil
	case errors.Is(err, store.ErrQuestionClosed):
		return p.Say(lang, "sms.answer.closed", "q", id), nil
	}
	return "", fmt.Errorf("sms: supervisor answer: %w", err)
}
