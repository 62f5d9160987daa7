package sms

import (
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// AnswerNote returns the wording of the SMS that takes a mentor's answer to
// the nurse, the same whether the mentor answered by SMS or on the USSD
// menu (cmd/chanjo hands it to the USSD service); ussdCode is where she
// reads an answer cut to fit.
func AnswerNote(p *lessons.Pack, ussdCode string) func(store.Question) string {
	return func(q store.Question) string { return answerSMS(p, q, ussdCode) }
}
