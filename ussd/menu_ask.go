package ussd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/store"
)

// The states of "5 Ask a mentor".
const (
	StAskType    State = "ask.type"
	StAskConfirm State = "ask.confirm"
	StAskSent    State = "ask.sent" // Arg: question id:where it went (store.Asked.To)
	StAskList    State = "ask.list"
	StAskOne     State = "ask.one" // Arg: question id
)

var askTree = []Node{
	{State: StAsk, Show: showAsk},
	{State: StAskType, Show: showAskType, Input: askTypeInput},
	{State: StAskConfirm, Show: showAskConfirm, Input: askConfirmInput},
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

// varQuestion keeps the typed question until it is sent.
const varQuestion = "ask.q"

func showAsk(c *Ctx) (Screen, error) {
	return Menu(c.T("Ask a mentor", "Uliza mshauri"),
		Item{Label: c.T("Ask a question", "Uliza swali"), State: StAskType},
		Item{Label: c.T("My questions", "Maswali yangu"), State: StAskList}), nil
}

func showAskType(c *Ctx) (Screen, error) {
	return FreeText(c.T("Type your question for your mentor:", "Andika swali lako kwa mshauri wako:")), nil
}

// askTypeInput keeps the question, which may hold any character the phone
// sends, '*' too, for the confirmation.
func askTypeInput(c *Ctx, in string) (Move, error) {
	q := strings.Join(strings.Fields(in), " ")
	switch {
	case len(q) < minQuestion:
		return Retry(c.T("Please type your question.", "Tafadhali andika swali lako.")), nil
	case len(q) > maxQuestion:
		return Retry(fmt.Sprintf(c.T("Too long: at most %d letters.", "Ni refu mno: herufi %d tu."), maxQuestion)), nil
	}
	c.S.SetVar(varQuestion, q)
	return Go(StAskConfirm, ""), nil
}

func showAskConfirm(c *Ctx) (Screen, error) {
	q := c.S.Var(varQuestion)
	return Menu(c.T("Send this question?\n", "Tuma swali hili?\n")+cut(q, 80),
		Item{Label: c.T("Send", "Tuma")},
		Item{Label: c.T("Change it", "Libadilishe")}), nil
}

// askConfirmInput stores the question and queues its SMS to the mentors in
// one transaction; a replayed hop finds the same question (the store takes
// the same text within the hour as one).
func askConfirmInput(c *Ctx, in string) (Move, error) {
	q := c.S.Var(varQuestion)
	switch {
	case in == "2" || in == "1" && q == "":
		return Back(), nil
	case in != "1":
		return c.Invalid(), nil
	}
	a, err := c.Store().AskQuestion(c, c.S.Nurse.ID, q, "ussd", c.mentoring().Note)
	if err != nil {
		return Move{}, err
	}
	delete(c.S.Vars, varQuestion)
	return Replace(StAskSent, fmt.Sprintf("%d:%s", a.ID, a.To)), nil
}

func showAskSent(c *Ctx) (Screen, error) {
	id, to, _ := strings.Cut(c.Arg(), ":")
	read := c.T(" Read answers in 5 Ask a mentor, 2 My questions.", " Soma majibu kwenye 5 Uliza mshauri, 2 Maswali yangu.")
	switch to {
	case store.AskedGroup:
		return End(fmt.Sprintf(c.T("Sent as Q%s to the mentors of your group. They will answer by SMS.",
			"Limetumwa kama Q%s kwa washauri wa kikundi chako. Watajibu kwa SMS."), id) + read), nil
	case store.AskedSupervisor:
		return End(fmt.Sprintf(c.T("Saved as Q%s. You have no mentor yet: your supervisor will see your question.",
			"Limehifadhiwa kama Q%s. Bado huna mshauri: msimamizi wako ataliona swali lako."), id)), nil
	}
	return End(fmt.Sprintf(c.T("Sent as Q%s. Your mentor will answer by SMS.", "Limetumwa kama Q%s. Mshauri wako atajibu kwa SMS."), id) + read), nil
}

func showMyQuestions(c *Ctx) (Screen, error) {
	qs, err := c.Store().MyQuestions(c, c.S.Nurse.ID, myQuestions)
	if err != nil {
		return Screen{}, err
	}
	if len(qs) == 0 {
		return Menu(c.T("You have not asked a question yet.", "Bado hujauliza swali.")), nil
	}
	items := make([]Item, len(qs))
	for i, q := range qs {
		state := c.T("waiting", "linasubiri")
		switch q.State() {
		case store.QuestionAnswered:
			state = c.T("answered", "limejibiwa")
		case store.QuestionClosed:
			state = c.T("closed", "limefungwa")
		}
		items[i] = Item{Label: fmt.Sprintf("Q%d %s: %s", q.ID, state, cut(q.Body, 16)), State: StAskOne, Arg: itoa(q.ID)}
	}
	return Menu(c.T("My questions:", "Maswali yangu:"), items...), nil
}

// showAsked shows the question and the mentor's answer; a long one is
// read with "98 More".
// ignoreNotFound returns err unless it is a bad argument or ErrNotFound,
// which a screen shows as "not there".
func ignoreNotFound(err error) error {
	var num *strconv.NumError
	if errors.Is(err, store.ErrNotFound) || errors.As(err, &num) {
		return nil
	}
	return err
}

func showAsked(c *Ctx) (Screen, error) {
	id, err := argID(c.Arg())
	var q store.Question
	if err == nil {
		q, err = c.Store().WorkerQuestion(c, c.S.Nurse.ID, id)
	}
	if err != nil {
		return Menu(c.T("This question is not there.", "Swali hili halipo.")), ignoreNotFound(err)
	}
	text := fmt.Sprintf("Q%d (%s): %s\n", q.ID, q.AskedAt.In(c.zone()).Format("02/01"), q.Body)
	switch q.State() {
	case store.QuestionClosed: // by the helpdesk: no answer will come
		return Menu(text + c.T("It was closed without an answer. Ask again if you still need help.",
			"Limefungwa bila jibu. Uliza tena kama bado unahitaji msaada.")), nil
	case store.QuestionOpen, store.QuestionPassedOn:
		return Menu(text + c.T("No answer yet. It will come by SMS.", "Bado halijajibiwa. Jibu litakuja kwa SMS.")), nil
	}
	return Menu(text + fmt.Sprintf(c.T("Answer from %s: %s", "Jibu la %s: %s"), q.Answerer, q.Answer)), nil
}
