package sms

import (
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
)

// RegistrationNotice returns the SMS that tells a nurse her registration was
// approved or rejected (messages-sms.yaml), in every language of the pack,
// naming ussdCode (USSD_CODE): what the console and the API give the store.
func RegistrationNotice(p *lessons.Pack, ussdCode string) *store.RegistrationNotice {
	n := &store.RegistrationNotice{Approved: i18n.Text{}, Rejected: i18n.Text{}}
	for _, lang := range p.LanguageCodes() {
		n.Approved[lang] = p.Say(lang, "sms.registration.approved", "code", ussdCode)
		n.Rejected[lang] = p.Say(lang, "sms.registration.rejected", "code", ussdCode)
	}
	return n
}
