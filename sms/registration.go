package sms

import (
	"strings"

	"github.com/chanjo-health/chanjo/store"
)

// registrationNotices are the SMS that tell a nurse of the decision on her
// registration, in English and Kiswahili; %[1]s is the USSD code.
var registrationNotices = map[bool][2]string{
	true: {
		"Chanjo: welcome! Your registration is approved. Dial %[1]s for lessons, quizzes and stock calculators.",
		"Chanjo: karibu! Usajili wako umekubaliwa. Piga %[1]s kwa masomo, mazoezi na vikokotoo.",
	},
	false: {
		"Chanjo: your registration was not approved. If you work in the programme, ask your supervisor, then dial %[1]s again.",
		"Chanjo: usajili wako haukukubaliwa. Kama unafanya kazi katika mpango huu, muulize msimamizi wako, kisha piga %[1]s tena.",
	},
}

// RegistrationNotice returns the wording of the SMS that tells a nurse her
// registration was approved or rejected, naming ussdCode (USSD_CODE): what
// the console and the API give the store.
func RegistrationNotice(ussdCode string) store.RegistrationNoticeFunc {
	return func(approved bool, lang string) string {
		t := registrationNotices[approved]
		return strings.ReplaceAll(pick(lang, t[0], t[1]), "%[1]s", ussdCode)
	}
}
