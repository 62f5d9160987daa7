package sms

import (
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// RegistrationNotice returns the wording of the SMS that tells a nurse her
// registration was approved or rejected (messages-sms.yaml), naming
// ussdCode (USSD_CODE): what the console and the API give the store.
func RegistrationNotice(p *lessons.Pack, ussdCode string) store.RegistrationNoticeFunc {
	return func(approved bool, lang string) string {
		if approved {
			return p.Say(lang, "sms.registration.approved", "code", ussdCode)
		}
		return p.Say(lang, "sms.registration.rejected", "code", ussdCode)
	}
}
