package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/ussd"
)

// registerUSSD adds the gateway's USSD callbacks, behind the callback token.
func (a *app) registerUSSD(r gin.IRouter) {
	ussd.NewHandler(a.ussd, a.db).Register(r.Group("", requireToken(a.token, newRefusals(a.log))))
}

// loadDemo loads the demo roster (serve --demo) and tells the newcomer
// which numbers to dial and how.
func (a *app) loadDemo(ctx context.Context, out io.Writer) error {
	r, err := a.db.LoadDemo(ctx)
	if err != nil {
		return fmt.Errorf("--demo: %w", err)
	}
	state := "Loaded the demo roster"
	if !r.Loaded {
		state = "The demo roster is already loaded"
	}
	_, port, _ := net.SplitHostPort(a.cfg.Addr)
	fmt.Fprintf(out, "%s: facility %s, mentor %s, active nurses %s to %s (one group, all paired with the mentor, a visit next week).\n"+
		"Dial as a nurse, in another terminal:  chanjo dial --phone %s\n"+
		"Dial as the mentor (menu item 7):      chanjo dial --phone %s\n"+
		"Load test: chanjo bench --url http://127.0.0.1:%s/ussd --token CALLBACK_TOKEN -c 50 (phones from +254700000000)\n",
		state, r.FacilityCode, r.MentorPhone, r.Nurses[0], r.Nurses[len(r.Nurses)-1],
		store.DemoNursePhone(0), r.MentorPhone, port)
	return nil
}
