package main

import (
	"context"
	"fmt"
	"io"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/ussd"
)

// registerUSSD adds the gateway's USSD callbacks, behind the callback token,
// and the worker that writes lesson pages behind the hops. That worker is
// the last added, so it stops first, once the HTTP server has stopped: no
// hop hands it a page after its last write. Without serve (dial --local) no
// worker runs, and each page is written in its hop.
func (a *app) registerUSSD(r gin.IRouter, reg prometheus.Registerer) {
	pages := ussd.NewProgress(a.db, a.log)
	if !a.kv.Embedded {
		// Pages the database does not take wait in Redis, where any
		// instance writes them, rather than in this process's memory.
		pages.SpillTo(a.kv)
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "chanjo_lesson_pages_held", Help: "Lesson page marks waiting to be written (they grow during a database outage).",
	}, func() float64 { return float64(pages.Held()) }), prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "chanjo_lesson_pages_cap_reached_total", Help: "Lesson page marks that found the write-behind full and were written in the hop.",
	}, func() float64 { return float64(pages.CapReached()) }))
	svc, err := ussd.New(ussd.Config{Store: a.db, KV: a.kv, Log: a.log, OpenEnrolment: a.cfg.OpenEnrolment, Now: a.db.Now, Pack: a.pack,
		Progress: pages, TZ: a.cfg.TZ, Mentoring: a.mentoring()})
	if err != nil {
		// New fails only without a store, Redis or pack, which newApp opened.
		a.log.Error("USSD not served", "component", "ussd", "err", err)
		return
	}
	a.workers = append(a.workers, worker{name: "ussd-progress", run: pages.Run})
	ussd.NewHandler(svc, a.db).Register(r.Group("", requireToken(a.token, newRefusals(a.log))))
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
