package main

import (
	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
)

// registerConsole adds the supervisors' console under /admin, and the
// public certificate check at /verify/CODE.
func (a *app) registerConsole(r gin.IRouter) {
	con := admin.NewConsole(a.db, a.log, a.cfg.TZ)
	con.Price = segmentPrice(a.cfg)
	con.WAPrices = a.cfg.WhatsApp.Prices
	con.Quiet, con.SMSRate = quietHours(a.cfg), a.cfg.SMSRate
	con.Mentoring, con.Checklist = a.mentoring, a.pack.Checklist
	con.Pack, con.Templates = a.pack, a.templateStatus()
	con.RegistrationNotice = sms.RegistrationNotice(a.pack, a.cfg.USSDCode)
	if a.circles != nil {
		con.Circles = a.circles
	}
	con.Register(r)
	admin.NewVerifyHandler(a.db, a.pack, a.cfg.TZ, a.log).Register(r)
}

// segmentPrice is SMS_SEGMENT_COST, for the broadcast cost estimates of the
// console, the API and the replies to BC by SMS.
func segmentPrice(cfg Config) store.Price {
	return store.Price{PerSegment: cfg.SegmentCost, Currency: cfg.Currency}
}

// quietHours is SMS_QUIET_HOURS, for what the console, the API and the
// replies to BC by SMS say holds a broadcast.
func quietHours(cfg Config) quiet.Hours {
	return quiet.Hours{Start: cfg.QuietHours.Start, End: cfg.QuietHours.End}
}
