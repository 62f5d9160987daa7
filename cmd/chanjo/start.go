package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/ussd"
	"github.com/chanjo-health/chanjo/whatsapp"
)

// build makes the components that both the router and the workers use,
// once, before either: the metrics registry and what is registered on it,
// the one USSD service and its lesson-page writer, the WhatsApp inbox. The
// router then only mounts handlers, however often it is built. It fails
// only when the USSD service cannot be made (ussd.New).
func (a *app) build() error {
	a.reg = prometheus.NewRegistry()
	a.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.httpMetrics, a.dependencyUp = newHTTPMetrics(a.reg), newDependencyUp(a.reg)
	a.metrics = promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{})
	if a.cfg.MetricsToken != "" {
		a.metrics = requireBearer(a.cfg.MetricsToken, a.metrics)
	}
	a.smsMetrics = sms.NewMetrics(a.reg)
	a.pages = ussd.NewProgress(a.db, a.log)
	if !a.kv.Embedded {
		// Pages the database does not take wait in Redis, where any
		// instance writes them, rather than in this process's memory.
		a.pages.SpillTo(a.kv)
	}
	pages := a.pages
	a.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "chanjo_lesson_pages_held", Help: "Lesson page marks waiting to be written (they grow during a database outage).",
	}, func() float64 { return float64(pages.Held()) }), prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "chanjo_lesson_pages_cap_reached_total", Help: "Lesson page marks that found the write-behind full and were written in the hop.",
	}, func() float64 { return float64(pages.CapReached()) }))
	var err error
	a.ussd, err = ussd.New(ussd.Config{Store: a.db, KV: a.kv, Log: a.log, OpenEnrolment: a.cfg.OpenEnrolment, Now: a.db.Now, Pack: a.pack,
		Progress: a.pages, TZ: a.cfg.TZ, Mentoring: a.mentoring})
	if err != nil {
		return err
	}
	if a.cfg.WhatsApp.On() {
		a.whatsappMetrics = whatsapp.NewMetrics(a.reg)
		a.whatsappInbox = whatsapp.NewInbox(a.db, a.log, a.whatsappMetrics)
		a.whatsappInbox.Pack = a.pack
		a.whatsappInbox.Menus = a.ussd
		if a.cfg.WhatsApp.Groups {
			a.circles = whatsapp.NewCircles(a.db, a.whatsappClient(), a.log)
			a.circles.Pack = a.pack
			a.circles.Owner, a.circles.RetryFor = a.process, a.cfg.SMSRetryReply
			a.whatsappInbox.Circles = a.circles
		}
	}
	return nil
}

// components lists the background workers in start order; serve stops them
// in the reverse order, once the HTTP server has stopped. out receives what
// the dispatcher must say on the terminal.
func (a *app) components(out io.Writer) []worker {
	ws := []worker{
		// First: it beats before any other worker takes a lease, and stops
		// after all of them have released theirs. It also stops them all
		// when a newer binary migrates the database (heartbeat).
		{name: "process", run: a.heartbeat},
		// The dispatchers send what the workers after them queue: they stop
		// after them, so nothing they queue waits for a stopped dispatcher.
		{name: "sms", run: func(ctx context.Context) error { return a.dispatcher(out).Run(ctx) }},
	}
	wa := a.cfg.WhatsApp.On()
	if wa {
		ws = append(ws, worker{name: "whatsapp-send", run: func(ctx context.Context) error { return a.whatsappDispatcher().Run(ctx) }})
	}
	ws = append(ws,
		worker{name: "reminders", run: func(ctx context.Context) error { return a.scheduler().Run(ctx) }},
		worker{name: "relay", run: func(ctx context.Context) error { return a.relay().Run(ctx) }},
		// It queues nothing, so its place does not matter.
		worker{name: "retention", run: func(ctx context.Context) error { return a.retention().Run(ctx) }},
	)
	if a.circles != nil {
		ws = append(ws, worker{name: "whatsapp-circles", run: func(ctx context.Context) error { a.circles.Run(ctx, time.Second); return nil }})
	} else {
		a.log.Info("WhatsApp groups for mentor circles are off: GROUPS_ENABLED is not 1", "component", "whatsapp")
	}
	if wa {
		ws = append(ws, worker{name: "whatsapp", run: func(ctx context.Context) error { a.whatsappInbox.Run(ctx); return nil }})
	} else {
		a.log.Info("WhatsApp is off: WA_PHONE_NUMBER_ID, WA_TOKEN, WA_APP_SECRET and WA_VERIFY_TOKEN are not set", "component", "whatsapp")
	}
	// Last, so it stops first, once the HTTP server has stopped: no hop
	// hands it a page after its last write. Without serve (dial --local)
	// no worker runs, and each page is written in its hop.
	return append(ws, worker{name: "ussd-progress", run: a.pages.Run})
}

// start starts each worker in order and returns, in the same order,
// functions that stop each one, wait for it and return the error it stopped
// with (what it could not finish: the exit status says so), after a first
// one that releases their common context. A worker that finds the database
// migrated by a newer binary stops them all (heartbeat).
func (a *app) start() []func() error {
	all, halt := context.WithCancel(context.Background())
	stops := append(make([]func() error, 0, 1+len(a.workers)), func() error { halt(); return nil })
	for _, w := range a.workers {
		ctx, cancel := context.WithCancel(all)
		done := make(chan struct{})
		var werr error
		// by itself: the worker returned before anything cancelled it, and
		// said why then; its stop reports nothing more. done may close
		// after the halt it caused reached the others, so only this flag,
		// read after done, tells.
		var byItself bool
		go func() {
			defer close(done)
			werr = w.run(ctx)
			byItself = ctx.Err() == nil
			if errors.Is(werr, store.ErrNewerSchema) {
				halt()
			}
			if werr != nil && !errors.Is(werr, context.Canceled) {
				a.log.Error("worker stopped", "component", w.name, "err", werr)
			}
		}()
		stops = append(stops, func() error {
			cancel()
			<-done
			if byItself || werr == nil || errors.Is(werr, context.Canceled) {
				return nil
			}
			return fmt.Errorf("%s: %w", w.name, werr)
		})
	}
	return stops
}
