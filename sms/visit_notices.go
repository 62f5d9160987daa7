package sms

import (
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// visitNoticeKeys are the catalogue keys (messages-sms.yaml) of the SMS
// that tell a mentee and her mentor a visit was scheduled, moved or
// cancelled. The same text serves both: it names the other person.
var visitNoticeKeys = map[store.VisitChange]string{
	store.VisitWasScheduled: "sms.visit.scheduled",
	store.VisitWasMoved:     "sms.visit.moved",
	store.VisitWasCancelled: "sms.visit.cancelled",
}

// visitNotice returns the wording of visit notices in the zone tz: what
// VisitRules gives the store.
func visitNotice(p *lessons.Pack, tz *time.Location) store.VisitNoticeFunc {
	if tz == nil {
		tz = time.UTC
	}
	return func(n store.VisitNotice) string {
		other := n.Visit.MentorName
		if n.ToMentor {
			other = n.Visit.MenteeName
		}
		at := n.Visit.At.In(tz)
		return p.Say(n.Lang, visitNoticeKeys[n.Change], "other", shorten(other, 20), "date", at.Format(dateLayout),
			"time", at.Format("15:04"), "old_date", n.From.In(tz).Format(dateLayout))
	}
}
