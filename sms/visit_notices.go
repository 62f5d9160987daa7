package sms

import (
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// visitNotices holds the SMS that tell a mentee and her mentor a visit was
// scheduled, moved or cancelled, in English and Kiswahili, with the glossary's
// "ziara ya ushauri". The same text serves both: it names the other person.
// Verbs: %[1]s the other person, %[2]s the date, %[3]s the time, %[4]s a
// move's old date.
var visitNotices = map[store.VisitChange][2]string{
	store.VisitWasScheduled: {
		"Chanjo: your mentorship visit with %[1]s is on %[2]s at %[3]s.",
		"Chanjo: ziara yako ya ushauri na %[1]s ni tarehe %[2]s saa %[3]s.",
	},
	store.VisitWasMoved: {
		"Chanjo: your mentorship visit with %[1]s on %[4]s has moved to %[2]s at %[3]s.",
		"Chanjo: ziara yako ya ushauri na %[1]s ya tarehe %[4]s imehamishwa hadi tarehe %[2]s saa %[3]s.",
	},
	store.VisitWasCancelled: {
		"Chanjo: your mentorship visit with %[1]s on %[2]s at %[3]s is cancelled.",
		"Chanjo: ziara yako ya ushauri na %[1]s tarehe %[2]s saa %[3]s imeghairiwa.",
	},
}

// visitNotice returns the wording of visit notices in the zone tz: what
// VisitRules gives the store.
func visitNotice(tz *time.Location) store.VisitNoticeFunc {
	if tz == nil {
		tz = time.UTC
	}
	return func(n store.VisitNotice) string {
		t := visitNotices[n.Change]
		other := n.Visit.MentorName
		if n.ToMentor {
			other = n.Visit.MenteeName
		}
		at := n.Visit.At.In(tz)
		return fmt.Sprintf(pick(n.Lang, t[0], t[1]), shorten(other, 20), at.Format(dateLayout), at.Format("15:04"),
			n.From.In(tz).Format(dateLayout))
	}
}
