package main

import (
	"context"
	"fmt"
	"io"

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
	fmt.Fprintf(out, "%s: facility %s, mentor %s, active nurses %s to %s (one group, all paired with the mentor, a visit next week).\n"+
		"Dial as a nurse, in another terminal:  chanjo dial --phone %s\n"+
		"Dial as the mentor (menu item 7):      chanjo dial --phone %s\n"+
		"Load test (50 nurses on the three walks):  chanjo bench\n",
		state, r.FacilityCode, r.MentorPhone, r.Nurses[0], r.Nurses[len(r.Nurses)-1],
		store.DemoNursePhone(0), r.MentorPhone)
	return nil
}
