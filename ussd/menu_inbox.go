package ussd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/store"
)

// The states of a mentor's inbox: the open questions she may answer.
const (
	StInbox       State = "inbox"
	StInboxOne    State = "inbox.one"    // Arg: question id
	StInboxAnswer State = "inbox.answer" // Arg: question id
)

var inboxTree = []Node{
	{State: StInbox, Show: showInbox},
	{State: StInboxOne, Show: showInboxQuestion, Input: inboxQuestionInput},
	{State: StInboxAnswer, Show: showInboxAnswer, Input: inboxAnswerInput},
}

// inboxSize bounds the questions the inbox reads; the list shows them a
// window at a time.
const inboxSize = 50

// inboxItem returns the main menu's "Questions for you (n)" for a mentor
// with open questions, and false for anyone else.
func inboxItem(c *Ctx) (Item, bool, error) {
	if c.S.Nurse.Role != store.RoleMentor {
		return Item{}, false, nil
	}
	qs, err := c.Store().MentorInbox(c, c.S.Nurse.ID, inboxSize)
	if err != nil || len(qs) == 0 {
		return Item{}, false, err
	}
	return Item{Label: fmt.Sprintf(c.T("Questions for you (%d)", "Maswali wazi kwako (%d)"), len(qs)), State: StInbox, Arg: "0"}, true, nil
}

func showInbox(c *Ctx) (Screen, error) {
	qs, err := c.Store().MentorInbox(c, c.S.Nurse.ID, inboxSize)
	if err != nil {
		return Screen{}, err
	}
	if len(qs) == 0 {
		return Menu(c.T("No question is waiting for you. Thank you!", "Hakuna swali linalokusubiri. Asante!")), nil
	}
	items := make([]Item, len(qs))
	for i, q := range qs {
		label := fmt.Sprintf("Q%d %s: %s", q.ID, cut(q.Name, 12), cut(q.Body, 18))
		if q.EscalatedAt.Valid {
			// Passed on, by her or after a day: others may answer it too.
			label = fmt.Sprintf("Q%d %s %s: %s", q.ID, c.T("(group)", "(kikundi)"), cut(q.Name, 12), cut(q.Body, 12))
		}
		items[i] = Item{Label: label, State: StInboxOne, Arg: itoa(q.ID)}
	}
	return Menu(c.T("Questions for you:", "Maswali wazi kwako:"), window(c, items, StInbox)...), nil
}

// inboxQuestion returns the open question of the current frame, and whether
// it is still in the mentor's inbox.
func inboxQuestion(c *Ctx) (store.InboxQuestion, bool, error) {
	id, err := argID(c.Arg())
	if err != nil {
		return store.InboxQuestion{}, false, nil
	}
	qs, err := c.Store().MentorInbox(c, c.S.Nurse.ID, inboxSize)
	for _, q := range qs {
		if q.ID == id {
			return q, true, err
		}
	}
	return store.InboxQuestion{}, false, err
}

func noQuestion(c *Ctx) Screen {
	return Menu(c.T("This question is answered or no longer yours.", "Swali hili limejibiwa au si lako tena."))
}

func showInboxQuestion(c *Ctx) (Screen, error) {
	q, ok, err := inboxQuestion(c)
	if err != nil || !ok {
		return noQuestion(c), err
	}
	who := cut(q.Name, 20)
	if q.Facility != "" {
		who += ", " + cut(q.Facility, 24)
	}
	text := fmt.Sprintf(c.T("Q%d from %s, %s:\n%s", "Q%d kutoka kwa %s, %s:\n%s"), q.ID, who, q.AskedAt.In(c.zone()).Format("02/01"), q.Body)
	return Menu(text,
		Item{Label: c.T("Answer", "Jibu"), State: StInboxAnswer, Arg: c.Arg()},
		Item{Label: c.T("Pass to the group", "Peleka kwa kikundi")}), nil
}

// inboxQuestionInput passes the question to the other mentors of the
// nurse's groups, as a day without an answer would.
func inboxQuestionInput(c *Ctx, in string) (Move, error) {
	q, ok, err := inboxQuestion(c)
	if err != nil || !ok || in != "2" {
		return c.Invalid(), err
	}
	sent, err := c.Store().PassQuestion(c, q.ID, c.S.Nurse.ID, c.mentoring().Note)
	switch {
	case errors.Is(err, store.ErrNotYours), errors.Is(err, store.ErrAlreadyAnswered), errors.Is(err, store.ErrQuestionClosed):
		return Back().Say(noQuestion(c).Text), nil
	case err != nil:
		return Move{}, err
	case sent == 0:
		return Back().Say(fmt.Sprintf(c.T("No other mentor in reach for Q%d: it stays here and the supervisor sees it.",
			"Hakuna mshauri mwingine kwa Q%d: linabaki hapa na msimamizi ataliona."), q.ID)), nil
	}
	return Back().Say(fmt.Sprintf(c.T("Q%d sent to her group's mentors (%d).", "Q%d limetumwa kwa washauri wa kikundi chake (%d)."), q.ID, sent)), nil
}

func showInboxAnswer(c *Ctx) (Screen, error) {
	q, ok, err := inboxQuestion(c)
	if err != nil || !ok {
		return noQuestion(c), err
	}
	return FreeText(fmt.Sprintf(c.T("Type your answer to Q%d for %s:", "Andika jibu lako kwa Q%d kwa %s:"), q.ID, cut(q.Name, 20))), nil
}

// inboxAnswerInput stores the answer and queues it to the nurse at once,
// with the store call an SMS answer makes; the inbox shows what is left.
func inboxAnswerInput(c *Ctx, in string) (Move, error) {
	id, err := argID(c.Arg())
	if err != nil {
		return c.Invalid(), nil
	}
	answer := strings.Join(strings.Fields(in), " ")
	if len(answer) < minQuestion {
		return Retry(c.T("Please type your answer.", "Tafadhali andika jibu lako.")), nil
	}
	q, err := c.Store().RelayAnswer(c, id, c.S.Nurse.ID, answer, c.mentoring().Answer)
	switch {
	case errors.Is(err, store.ErrAlreadyAnswered):
		return Reset(StInbox, "0").Say(fmt.Sprintf(c.T("Q%d was already answered by %s.", "Q%d tayari limejibiwa na %s."), id, q.Answerer)), nil
	case errors.Is(err, store.ErrQuestionClosed):
		return Reset(StInbox, "0").Say(fmt.Sprintf(c.T("Q%d was closed, so your answer was not sent.",
			"Q%d limefungwa, kwa hiyo jibu lako halikutumwa."), id)), nil
	case errors.Is(err, store.ErrNotYours), errors.Is(err, store.ErrNotFound):
		return Reset(StInbox, "0").Say(noQuestion(c).Text), nil
	case err != nil:
		return Move{}, err
	}
	return Reset(StInbox, "0").Say(fmt.Sprintf(c.T("Your answer was sent to %s.", "Jibu lako limetumwa kwa %s."), cut(q.Name, 20))), nil
}
