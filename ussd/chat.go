package ussd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

// ChatTTL is how long a WhatsApp conversation waits for her next message:
// a nurse answers between other work, so it lasts as long as she keeps
// answering within a day, and resumes at her place after a pause.
const ChatTTL = 24 * time.Hour

// chatID is the GatewayID of a WhatsApp conversation's session: her next
// message continues it, where a session last left on USSD (or ended) is
// started again, with the offer to continue it when it was dropped midway.
const chatID = "whatsapp"

// Chat answers one WhatsApp message from the number phoneNumber: in is
// the text she typed, or the ID of the list row or reply button she chose
// (Choice.ID, the number she could have typed). It runs the machine of
// USSD on the phone's last position, the very session a USSD dial resumes
// from, so her USSD and WhatsApp progress are one; it keeps the session
// for ChatTTL. Like Hop it never fails: a problem is logged and answered
// with the apology, and the session keeps its last good state.
func (s *Service) Chat(ctx context.Context, phoneNumber, in string) (answer Chat) {
	ctx, cancel := context.WithTimeout(ctx, hopTimeout)
	defer cancel()
	p, err := phone.Normalize(phoneNumber)
	if err != nil {
		return Chat{Body: s.notForNumber(), End: true}
	}
	lang := ""
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("chat panicked", phone.LogKey, phone.Mask(p), "panic", fmt.Sprint(v))
			answer = Chat{Body: s.apology(lang), End: true}
		}
	}()
	key := keysOf(s.kv.Prefix, chatID, p).phone
	get := redis.NewStringCmd(ctx, "get", key)
	if err := s.kv.Send(ctx, get); err != nil && !errors.Is(err, redis.Nil) {
		s.log.Error("load chat", phone.LogKey, phone.Mask(p), "err", err)
		return Chat{Body: s.apology(""), End: true}
	}
	last, _ := decodeSession(get.Val())
	lang = languageOf(last)
	next, answer, err := s.m.Converse(ctx, p, last, in)
	if err == nil {
		err = s.kv.Send(ctx, redis.NewStatusCmd(ctx, "set", key, encodeSession(&next), "px", ChatTTL.Milliseconds()))
	}
	if err != nil {
		s.log.Error("chat failed", phone.LogKey, phone.Mask(p), "err", err)
		return Chat{Body: s.apology(lang), End: true}
	}
	return answer
}

// Converse applies one WhatsApp message to the phone's last session and
// returns the next session and its answer: the message continues a
// WhatsApp conversation that has not ended; anything else (no session, one
// that ended, one left on USSD) starts one, and the message only opens it.
func (m *Machine) Converse(ctx context.Context, phone string, last *Session, in string) (Session, Chat, error) {
	c, err := m.resume(ctx, phone, last, in)
	if err == nil && c == nil {
		c, err = m.start(ctx, phone, last, true)
	}
	if err != nil {
		return Session{}, Chat{}, err
	}
	answer, err := m.renderChat(c)
	if err != nil {
		return Session{}, Chat{}, err
	}
	c.S.GatewayID = chatID
	return *c.S, answer, nil
}

// resume applies in to last when it is a WhatsApp conversation that has
// not ended, and returns nil when it is not. A conversation outlives a USSD
// session by far, so the nurse it carries is read again once it is older
// than reloadAfter, as at a dial: one whom the roster no longer has active
// (or now has, after she registered) starts afresh.
func (m *Machine) resume(ctx context.Context, phone string, last *Session, in string) (*Ctx, error) {
	if last == nil || last.GatewayID != chatID || last.Done {
		return nil, nil
	}
	n, _, err := m.nurse(ctx, phone, last)
	if err != nil {
		return nil, err
	}
	if n.ID != last.Nurse.ID || (n.ID != 0 && n.Status != store.StatusActive) {
		return nil, nil
	}
	s := *last
	s.Nurse = n
	return m.move(ctx, phone, s, in)
}

// renderChat shows the current frame for WhatsApp and records its shape:
// one message, so no "98 More" page follows. The USSD answer and text of
// the session are cleared: they belong to a gateway's session, and a USSD
// dial starts its own.
func (m *Machine) renderChat(c *Ctx) (Chat, error) {
	sc, err := m.show(c)
	if err != nil {
		return Chat{}, err
	}
	f := c.S.Top()
	f.Page = 0
	c.S.setTop(f)
	c.S.record(sc, false)
	c.S.Text, c.S.Reply = "", ""
	return chatOf(sc, f.Notice, wordsOf(c)), nil
}
