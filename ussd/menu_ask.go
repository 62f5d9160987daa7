package ussd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/store"
)

// The states of "5 Ask a mentor".
const (
	StAskType    State = "ask.type"
	StAskConfirm State = "ask.confirm"
	StAskSent    State = "ask.sent" // ID: the question; Key: where it went (store.Asked.To)
	StAskList    State = "ask.list"
	StAskOne     State = "ask.one" // ID: the question
)

// askStore is what "Ask a mentor" needs of the database.
type askStore interface {
	MyQuestions(ctx context.Context, workerID int64, limit int) ([]store.Question, error)
	WorkerQuestion(ctx context.Context, workerID, id int64) (store.Question, error)
}

var askTree = []Node{
	{State: StAsk, Show: showAsk},
	{State: StAskType, Show: showAskType, Input: askTypeInput},
	{State: StAskConfirm, Show: showAskConfirm},
	{State: StAskSent, Show: showAskSent},
	{State: StAskList, Show: showMyQuestions},
	{State: StAskOne, Show: showAsked},
}

// Bounds of a typed question; the gateway's input is shorter still.
const (
	minQuestion = 3
	maxQuestion = 300
	// myQuestions is how many of her latest questions "My questions" lists.
	myQuestions = 9
)

func showAsk(c *Ctx) (Screen, error) {
	return Menu(c.Say("mentor.ask_mentor"),
		Item{Label: c.Say("mentor.ask_question"), To: Frame{State: StAskType}},
		Item{Label: c.Say("mentor.my_questions"), To: Frame{State: StAskList}}), nil
}

func showAskType(c *Ctx) (Screen, error) {
	return FreeText(c.Say("mentor.type_question")), nil
}

// askTypeInput keeps the question in the session's Work.Question until it
// is sent; it may hold any character the phone sends, '*' too.
func askTypeInput(c *Ctx, in string) (Move, error) {
	q := strings.Join(strings.Fields(in), " ")
	switch {
	case len(q) < minQuestion:
		return Retry(c.Say("mentor.please_type_question")), nil
	case len(q) > maxQuestion:
		return Retry(c.Say("mentor.question_long", "most", maxQuestion)), nil
	}
	c.S.Work.Question = &QuestionDraft{Text: q}
	return Go(Frame{State: StAskConfirm}), nil
}

func showAskConfirm(c *Ctx) (Screen, error) {
	d := c.S.Work.Question
	if d == nil {
		return showAsk(c)
	}
	return Menu(c.Say("mentor.send_question")+"\n"+cut(d.Text, 80),
		Item{Label: c.Say("mentor.send"), Do: sendQuestion},
		Item{Label: c.Say("mentor.change_question"), Do: func(*Ctx) (Move, error) { return Back(), nil }}), nil
}

// sendQuestion stores the question and queues its SMS to the mentors in
// one transaction; a replayed hop finds the same question (the store takes
// the same text within the hour as one).
func sendQuestion(c *Ctx) (Move, error) {
	a, err := c.mentoring().AskQuestion(c, c.S.Nurse.ID, c.S.Work.Question.Text, "ussd")
	if err != nil {
		return Move{}, err
	}
	c.S.Work.Question = nil
	return Replace(Frame{State: StAskSent, ID: a.ID, Key: a.To}), nil
}

func showAskSent(c *Ctx) (Screen, error) {
	id, to := c.S.Top().ID, c.S.Top().Key
	if to == store.AskedSupervisor {
		return End(c.Say("mentor.saved_supervisor", "qid", id)), nil
	}
	sms, wa := "mentor.sent", "mentor.sent_whatsapp"
	if to == store.AskedGroup {
		sms, wa = "mentor.sent_group", "mentor.sent_group_whatsapp"
	}
	key, err := onHerChannel(c, sms, wa)
	if err != nil {
		return Screen{}, err
	}
	return End(c.Say(key, "qid", id) + " " + c.Say("mentor.read_answers")), nil
}

// onHerChannel returns the catalogue key sms, or wa when her channel in effect is WhatsApp: the
// text that says how an answer will reach her names the channel it goes on.
func onHerChannel(c *Ctx, sms, wa string) (string, error) {
	ch, err := storeOf[settingsStore](c).WorkerChannel(c, c.S.Nurse.ID)
	if err != nil {
		return "", err
	}
	if ch.Effective == store.ChannelWhatsApp {
		return wa, nil
	}
	return sms, nil
}

func showMyQuestions(c *Ctx) (Screen, error) {
	qs, err := storeOf[askStore](c).MyQuestions(c, c.S.Nurse.ID, myQuestions)
	if err != nil {
		return Screen{}, err
	}
	if len(qs) == 0 {
		return Menu(c.Say("mentor.no_questions_yet")), nil
	}
	items := make([]Item, len(qs))
	for i, q := range qs {
		state := c.Say("mentor.waiting")
		switch q.State() {
		case store.QuestionAnswered:
			state = c.Say("mentor.answered")
		case store.QuestionClosed:
			state = c.Say("mentor.closed")
		}
		items[i] = Item{Label: fmt.Sprintf("Q%d %s: %s", q.ID, state, cut(q.Body, 16)), To: Frame{State: StAskOne, ID: q.ID}}
	}
	return Menu(c.Say("mentor.my_questions_title"), items...), nil
}

// showAsked shows the question and the mentor's answer; a long one is
// read with "98 More".
func showAsked(c *Ctx) (Screen, error) {
	q, err := storeOf[askStore](c).WorkerQuestion(c, c.S.Nurse.ID, c.S.Top().ID)
	if errors.Is(err, store.ErrNotFound) {
		return Menu(c.Say("mentor.question_not_there")), nil
	}
	if err != nil {
		return Screen{}, err
	}
	text := fmt.Sprintf("Q%d (%s): %s\n", q.ID, q.AskedAt.In(c.zone()).Format("02/01"), q.Body)
	switch q.State() {
	case store.QuestionClosed: // by the helpdesk: no answer will come
		return Menu(text + c.Say("mentor.closed_no_answer")), nil
	case store.QuestionOpen, store.QuestionPassedOn:
		key, err := onHerChannel(c, "mentor.no_answer_yet", "mentor.no_answer_yet_whatsapp")
		if err != nil {
			return Screen{}, err
		}
		return Menu(text + c.Say(key)), nil
	}
	return Menu(text + c.Say("mentor.answer_from", "mentor", q.Answerer) + " " + q.Answer), nil
}
