package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/ussd"
)

// Menus answers a nurse's WhatsApp message with the USSD menus rendered for WhatsApp;
// *ussd.Service is one.
type Menus interface {
	Chat(ctx context.Context, phone, in string) ussd.Chat
}

// answerWithin is how long after it was received a stored message is still answered with the menus:
// long enough for a restart or a database outage, short enough that a screen she no longer expects
// (or, at the first start after an upgrade, every message the release before stored without
// answering) is not sent.
const answerWithin = time.Hour

// answer gives every stored message that is not a command, and has no answer yet, the menus' answer
// through the outbox, oldest first. The message was stored (and acknowledged to Meta) before; the
// answer is queued under the message's key, so a message is answered once however often a round
// sees it, and a crash before the answer was queued leaves it for the next round.
func (in *Inbox) answer(ctx context.Context) error {
	if in.Menus == nil {
		return nil
	}
	since := in.db.Now().Add(-answerWithin)
	skipped := 0 // commands that got no answer stay unanswered: each page starts after them
	for {
		msgs, err := in.db.UnansweredWhatsAppMessages(ctx, since, skipped, inboxBatch)
		if err != nil || len(msgs) == 0 {
			return err
		}
		for _, m := range msgs {
			if in.command(m.Body) {
				skipped++
				continue
			}
			err := in.db.AnswerWhatsAppMessage(ctx, m, func() (store.Outgoing, bool) {
				return in.chat(ctx, m)
			})
			if err != nil {
				return err
			}
		}
	}
}

// command reports whether a message is one the inbox acts on in the transaction that stores it (STOP,
// START, a peer group command), not an input of the menus.
func (in *Inbox) command(body string) bool {
	p, err := in.pack()
	if err != nil {
		return false
	}
	if c, ok := p.Commands.Match(body); ok && (c == lessons.CommandStop || c == lessons.CommandStart) {
		return true
	}
	_, ok := peer.Parse(body)
	return ok
}

// chat runs the menus on m: the chosen row's or button's id (the number she could have typed), else
// her text.
func (in *Inbox) chat(ctx context.Context, m store.WhatsAppMessage) (store.Outgoing, bool) {
	input := m.ReplyID
	if input == "" {
		input = m.Body
	}
	reply := in.Menus.Chat(ctx, m.Phone, input)
	var workerID int64
	if w, err := in.db.WorkerByPhone(ctx, m.Phone); err == nil {
		workerID = w.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		in.log.Error("answer: worker not read", "err", err)
	}
	// She just wrote: her window is open, so the answer goes as it is, free-form or interactive.
	body, content := menuBody(reply)
	return store.Outgoing{Kind: store.KindReply, Phone: m.Phone, Body: body, WAContent: content, WorkerID: workerID,
		Channel: store.ChannelWhatsApp}, true
}

// menuBody is the outbox body of a menus' answer and what it holds: a text answer as its text, an
// interactive one (a list or buttons) as the ussd.Chat in JSON, marked store.WAMenu: the outbox keeps
// one body a row, and only the WhatsApp dispatcher reads it.
func menuBody(c ussd.Chat) (string, store.WAContent) {
	if c.Kind == ussd.ChatText {
		return c.Body, store.WAText
	}
	b, err := json.Marshal(c)
	if err != nil { // a struct of strings always encodes
		return c.Body, store.WAText
	}
	return string(b), store.WAMenu
}

// menuOf decodes the body of a store.WAMenu row; a body that cannot be read (menuBody wrote none)
// is sent as the text it is.
func menuOf(body string) ussd.Chat {
	var c ussd.Chat
	if json.Unmarshal([]byte(body), &c) != nil {
		return ussd.Chat{Kind: ussd.ChatText, Body: body}
	}
	return c
}
