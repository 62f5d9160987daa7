package ussd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/store"
)

// The states of a mentor's inbox: the open questions she may answer.
const (
	StInbox       State = "inbox"
	StInboxOne    State = "inbox.one"    // ID: the question
	StInboxAnswer State = "inbox.answer" // ID: the question
)

// inboxStore is what a mentor's inbox needs of the database.
type inboxStore interface {
	MentorInbox(ctx context.Context, mentorID int64, limit int) ([]store.InboxQuestion, error)
}

var inboxTree = []Node{
	{State: StInbox, Show: showInbox},
	{State: StInboxOne, Show: showInboxQuestion},
	{State: StInboxAnswer, Show: showInboxAnswer, Input: inboxAnswerInput},
}

// inboxSize bounds the questions the inbox reads; the renderer pages the
// list with "98 More".
const inboxSize = 50

// inboxItem returns the main menu's "Questions for you (n)" for a mentor
// with open questions, and false for anyone else.
func inboxItem(c *Ctx) (Item, bool, error) {
	if c.S.Nurse.Role != store.RoleMentor {
		return Item{}, false, nil
	}
	qs, err := storeOf[inboxStore](c).MentorInbox(c, c.S.Nurse.ID, inboxSize)
	if err != nil || len(qs) == 0 {
		return Item{}, false, err
	}
	return Item{Label: c.Say("mentor.inbox_item", "tally", len(qs)), To: Frame{State: StInbox}}, true, nil
}

func showInbox(c *Ctx) (Screen, error) {
	qs, err := storeOf[inboxStore](c).MentorInbox(c, c.S.Nurse.ID, inboxSize)
	if err != nil {
		return Screen{}, err
	}
	if len(qs) == 0 {
		return Menu(c.Say("mentor.inbox_empty")), nil
	}
	items := make([]Item, len(qs))
	for i, q := range qs {
		label := fmt.Sprintf("Q%d %s: %s", q.ID, cut(q.Name, 12), cut(q.Body, 18))
		if q.EscalatedAt.Valid {
			// Passed on, by her or after a day: others may answer it too.
			label = fmt.Sprintf("Q%d %s %s: %s", q.ID, c.Say("mentor.group_mark"), cut(q.Name, 12), cut(q.Body, 12))
		}
		items[i] = Item{Label: label, To: Frame{State: StInboxOne, ID: q.ID}}
	}
	return Menu(c.Say("mentor.inbox_title"), items...), nil
}

// inboxQuestion returns the open question of the current frame, and whether
// it is still in the mentor's inbox.
func inboxQuestion(c *Ctx) (store.InboxQuestion, bool, error) {
	qs, err := storeOf[inboxStore](c).MentorInbox(c, c.S.Nurse.ID, inboxSize)
	for _, q := range qs {
		if q.ID == c.S.Top().ID {
			return q, true, err
		}
	}
	return store.InboxQuestion{}, false, err
}

func noQuestion(c *Ctx) Screen {
	return Menu(c.Say("mentor.question_gone"))
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
	text := c.Say("mentor.inbox_question", "qid", q.ID, "who", who, "day", q.AskedAt.In(c.zone()).Format("02/01")) + "\n" + q.Body
	return Menu(text,
		Item{Label: c.Say("mentor.answer_item"), To: Frame{State: StInboxAnswer, ID: q.ID}},
		Item{Label: c.Say("mentor.pass_group"), Do: func(c *Ctx) (Move, error) { return passQuestion(c, q) }}), nil
}

// passQuestion passes the question to the other mentors of the nurse's
// groups, as a day without an answer would.
func passQuestion(c *Ctx, q store.InboxQuestion) (Move, error) {
	sent, err := c.mentoring().PassQuestion(c, q.ID, c.S.Nurse.ID)
	switch {
	case errors.Is(err, store.ErrNotYours), errors.Is(err, store.ErrAlreadyAnswered), errors.Is(err, store.ErrQuestionClosed):
		return Back().Say(noQuestion(c).Text), nil
	case err != nil:
		return Move{}, err
	case sent == 0:
		return Back().Say(c.Say("mentor.pass_none", "qid", q.ID)), nil
	}
	return Back().Say(c.Say("mentor.passed", "qid", q.ID, "tally", sent)), nil
}

func showInboxAnswer(c *Ctx) (Screen, error) {
	q, ok, err := inboxQuestion(c)
	if err != nil || !ok {
		return noQuestion(c), err
	}
	return FreeText(c.Say("mentor.answer_prompt", "qid", q.ID, "mentee", q.Name)), nil
}

// inboxAnswerInput stores the answer and queues it to the nurse at once,
// with the store call an SMS answer makes; the inbox shows what is left.
func inboxAnswerInput(c *Ctx, in string) (Move, error) {
	id := c.S.Top().ID
	answer := strings.Join(strings.Fields(in), " ")
	if len(answer) < minQuestion {
		return Retry(c.Say("mentor.please_type_answer")), nil
	}
	q, err := c.mentoring().AnswerQuestion(c, id, c.S.Nurse.ID, answer)
	switch {
	case errors.Is(err, store.ErrAlreadyAnswered):
		return Reset(Frame{State: StInbox}).Say(c.Say("mentor.already_answered", "qid", id, "mentor", q.Answerer)), nil
	case errors.Is(err, store.ErrQuestionClosed):
		return Reset(Frame{State: StInbox}).Say(c.Say("mentor.closed_not_sent", "qid", id)), nil
	case errors.Is(err, store.ErrNotYours), errors.Is(err, store.ErrNotFound):
		return Reset(Frame{State: StInbox}).Say(noQuestion(c).Text), nil
	case err != nil:
		return Move{}, err
	}
	return Reset(Frame{State: StInbox}).Say(c.Say("mentor.answer_sent", "mentee", q.Name)), nil
}
