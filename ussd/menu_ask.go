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
	AskQuestion(ctx context.Context, workerID int64, body, source string, note store.NoteFunc) (store.Asked, error)
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
	return Menu(c.T("Ask a mentor", "Uliza mshauri"),
		Item{Label: c.T("Ask a question", "Uliza swali"), To: Frame{State: StAskType}},
		Item{Label: c.T("My questions", "Maswali yangu"), To: Frame{State: StAskList}}), nil
}

func showAskType(c *Ctx) (Screen, error) {
	return FreeText(c.T("Type your question for your mentor:", "Andika swali lako kwa mshauri wako:")), nil
}

// askTypeInput keeps the question in the session's Work.Question until it
// is sent; it may hold any character the phone sends, '*' too.
func askTypeInput(c *Ctx, in string) (Move, error) {
	q := strings.Join(strings.Fields(in), " ")
	switch {
	case len(q) < minQuestion:
		return Retry(c.T("Please type your question.", "Tafadhali andika swali lako.")), nil
	case len(q) > maxQuestion:
		return Retry(fmt.Sprintf(c.T("Too long: at most %d letters.", "Ni refu mno: herufi %d tu."), maxQuestion)), nil
	}
	c.S.Work.Question = &QuestionDraft{Text: q}
	return Go(Frame{State: StAskConfirm}), nil
}

func showAskConfirm(c *Ctx) (Screen, error) {
	d := c.S.Work.Question
	if d == nil {
		return showAsk(c)
	}
	return Menu(c.T("Send this question?\n", "Tuma swali hili?\n")+cut(d.Text, 80),
		Item{Label: c.T("Send", "Tuma"), Do: sendQuestion},
		Item{Label: c.T("Change it", "Libadilishe"), Do: func(*Ctx) (Move, error) { return Back(), nil }}), nil
}

// sendQuestion stores the question and queues its SMS to the mentors in
// one transaction; a replayed hop finds the same question (the store takes
// the same text within the hour as one).
func sendQuestion(c *Ctx) (Move, error) {
	a, err := storeOf[askStore](c).AskQuestion(c, c.S.Nurse.ID, c.S.Work.Question.Text, "ussd", c.mentoring().Note)
	if err != nil {
		return Move{}, err
	}
	c.S.Work.Question = nil
	return Replace(Frame{State: StAskSent, ID: a.ID, Key: a.To}), nil
}

func showAskSent(c *Ctx) (Screen, error) {
	id, to := c.S.Top().ID, c.S.Top().Key
	read := c.T(" Read answers in 5 Ask a mentor, 2 My questions.", " Soma majibu kwenye 5 Uliza mshauri, 2 Maswali yangu.")
	switch to {
	case store.AskedGroup:
		return End(fmt.Sprintf(c.T("Sent as Q%d to the mentors of your group. They will answer by SMS.",
			"Limetumwa kama Q%d kwa washauri wa kikundi chako. Watajibu kwa SMS."), id) + read), nil
	case store.AskedSupervisor:
		return End(fmt.Sprintf(c.T("Saved as Q%d. You have no mentor yet: your supervisor will see your question.",
			"Limehifadhiwa kama Q%d. Bado huna mshauri: msimamizi wako ataliona swali lako."), id)), nil
	}
	return End(fmt.Sprintf(c.T("Sent as Q%d. Your mentor will answer by SMS.", "Limetumwa kama Q%d. Mshauri wako atajibu kwa SMS."), id) + read), nil
}

func showMyQuestions(c *Ctx) (Screen, error) {
	qs, err := storeOf[askStore](c).MyQuestions(c, c.S.Nurse.ID, myQuestions)
	if err != nil {
		return Screen{}, err
	}
	if len(qs) == 0 {
		return Menu(c.T("You have not asked a question yet.", "Bado hujauliza swali.")), nil
	}
	items := make([]Item, len(qs))
	for i, q := range qs {
		state := c.T("waiting", "linasubiri")
		if q.Answered() {
			state = c.T("answered", "limejibiwa")
		}
		items[i] = Item{Label: fmt.Sprintf("Q%d %s: %s", q.ID, state, cut(q.Body, 16)), To: Frame{State: StAskOne, ID: q.ID}}
	}
	return Menu(c.T("My questions:", "Maswali yangu:"), items...), nil
}

// showAsked shows the question and the mentor's answer; a long one is
// read with "98 More".
func showAsked(c *Ctx) (Screen, error) {
	q, err := storeOf[askStore](c).WorkerQuestion(c, c.S.Nurse.ID, c.S.Top().ID)
	if errors.Is(err, store.ErrNotFound) {
		return Menu(c.T("This question is not there.", "Swali hili halipo.")), nil
	}
	if err != nil {
		return Screen{}, err
	}
	text := fmt.Sprintf("Q%d (%s): %s\n", q.ID, q.AskedAt.In(c.zone()).Format("02/01"), q.Body)
	if !q.Answered() {
		return Menu(text + c.T("No answer yet. It will come by SMS.", "Bado halijajibiwa. Jibu litakuja kwa SMS.")), nil
	}
	return Menu(text + fmt.Sprintf(c.T("Answer from %s: %s", "Jibu la %s: %s"), q.Answerer, q.Answer)), nil
}
