package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/ussd"
	"github.com/chanjo-health/chanjo/whatsapp"
)

// worker is a background component owned by the server: it runs until its
// context is cancelled.
type worker struct {
	name string
	run  func(ctx context.Context) error
}

// app is the wired service: configuration, connections and components.
type app struct {
	cfg   Config
	log   *slog.Logger
	db    *store.DB
	kv    *kv.Client
	token string
	pack  *lessons.Pack // the content pack, and the programme settings in it
	// mentoring changes visits and relays questions for every surface.
	mentoring *mentoring.Service
	// workers are the background components in start order (components).
	workers []worker
	// process is this process's identity, drawn at random at start: every
	// lease it takes names it, and its heartbeat row keeps them its own.
	process string
	// host is the machine's name, kept in the process's heartbeat row.
	host string
	// printSMS shows unsent SMS bodies on the terminal (serve --demo only).
	printSMS bool
	// state is stateStarting, stateServing or stateDraining (ready.go).
	state atomic.Int32

	// What build makes, for the router and the workers to share.
	reg         *prometheus.Registry
	httpMetrics *httpMetrics
	// dependencyUp is chanjo_dependency_up, which /readyz sets.
	dependencyUp *prometheus.GaugeVec
	// metrics is /metrics, behind METRICS_TOKEN when it is set.
	metrics    http.Handler
	smsMetrics *sms.Metrics
	// ussd answers the gateway's hops.
	ussd *ussd.Service
	// pages writes lesson pages behind the hops.
	pages *ussd.Progress
	// whatsappInbox applies stored WhatsApp webhooks, when WA_* are set.
	whatsappInbox   *whatsapp.Inbox
	whatsappMetrics *whatsapp.Metrics
	// circles runs mentor circles' WhatsApp groups, when GROUPS_ENABLED=1.
	circles *whatsapp.Circles
}

// flags returns a flag set for a subcommand that prints its usage to stderr.
func flags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: chanjo %s\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning a flag error into errUsage; -h is not an error.
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return false, errUsage
	}
	return false, nil
}

func runMigrate(ctx context.Context, e env, args []string) error {
	if help, err := parse(flags(e, "migrate", "migrate"), args); help || err != nil {
		return err
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		fmt.Fprintf(e.stdout, "database migrated (%s)\n", db.Dialect)
		return nil
	})
}

// withStore runs fn, for a one-off command, on the configuration and the
// configured database, migrated.
func withStore(ctx context.Context, e env, fn func(Config, *store.DB) error) error {
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(cfg, db)
}

func runServe(ctx context.Context, e env, args []string) error {
	fs := flags(e, "serve", "serve [--demo]")
	demo := fs.Bool("demo", false, "load a demo roster into an empty database and print the numbers to dial")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	tuneGC(e.getenv)
	a, err := newApp(ctx, cfg, newLogger(cfg, e.stderr), e.stdout)
	if err != nil {
		return err
	}
	defer a.close()
	if *demo {
		a.printSMS = true
		if err := a.loadDemo(ctx, e.stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("CHANJO_ADDR: %w", err)
	}
	h := a.router()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("METRICS_ADDR: %w", err)
		}
		defer a.serveMetrics(mln)()
	}
	return a.serve(ctx, ln, h)
}

// openStore connects to DATABASE_URL and migrates it.
func openStore(ctx context.Context, cfg Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	return db, nil
}

// newApp loads the content pack, connects to the database and Redis, in that
// order, and settles the callback token. out receives what the operator must
// copy (once).
func newApp(ctx context.Context, cfg Config, log *slog.Logger, out io.Writer) (*app, error) {
	pack, err := loadPack(cfg)
	if err != nil {
		return nil, err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, db: db, pack: pack, process: store.NewProcessID()}
	a.mentoring = mentoring.New(db, pack, mentoring.Config{TZ: cfg.TZ, USSDCode: cfg.USSDCode})
	a.kv, err = kv.Open(ctx, kv.Config{URL: cfg.RedisURL, Addrs: cfg.RedisAddrs, Master: cfg.RedisMaster, Prefix: cfg.RedisPrefix})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", redisVariable(cfg), err)
	}
	if a.kv.Embedded {
		log.Warn("REDIS_URL is not set: using an in-process Redis; USSD sessions are not durable and not shared between instances", "component", "kv")
	}
	if a.token, err = a.callbackToken(ctx, out); err != nil {
		a.close()
		return nil, err
	}
	if err := a.registerProcess(ctx); err != nil {
		a.close()
		return nil, err
	}
	if err := a.build(); err != nil {
		a.close()
		return nil, err
	}
	a.workers = a.components(out)
	return a, nil
}

func redisVariable(cfg Config) string {
	if len(cfg.RedisAddrs) > 0 {
		return "REDIS_ADDRS"
	}
	return "REDIS_URL"
}

// callbackToken returns CALLBACK_TOKEN or the one kept in the database,
// generating and printing it on the very first start. Every instance reads
// the same stored value, so the gateway needs one URL whatever instance answers.
func (a *app) callbackToken(ctx context.Context, out io.Writer) (string, error) {
	if a.cfg.CallbackToken != "" {
		return a.cfg.CallbackToken, nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("callback token: %w", err)
	}
	fresh := hex.EncodeToString(b)
	token, err := a.db.InitSetting(ctx, "callback_token", fresh)
	if err != nil {
		return "", fmt.Errorf("callback token: %w", err)
	}
	if token == fresh {
		printFirstStart(out, a.cfg, token)
	}
	return token, nil
}

// serve runs the HTTP server and the workers until ctx is cancelled, then
// drains for DrainDelay (still answering, /readyz 503, so the balancer
// stops sending work here before the listener closes) and shuts down: the
// listener first, finishing in-flight requests, then the workers in the
// reverse order of their start, so that nothing a request enqueued is left
// without the component that handles it. It returns what a worker could not
// finish (lesson pages it could not write during a database outage), so that
// the exit status says so.
func (a *app) serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	stops := a.start()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info("listening", "component", "http", "addr", ln.Addr().String(), "database", string(a.db.Dialect))
	a.state.Store(stateServing)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		err = a.drain(srv, errc)
	}
	errs := make([]error, 0, 1+len(stops))
	for i := len(stops) - 1; i >= 0; i-- {
		errs = append(errs, stops[i]())
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(append(errs, err)...)
}

// drain marks the instance draining, keeps serving for DrainDelay, then
// shuts srv down, finishing in-flight requests; errc is srv.Serve's result.
func (a *app) drain(srv *http.Server, errc <-chan error) error {
	a.state.Store(stateDraining)
	a.log.Info("draining", "component", "http", "for", a.cfg.DrainDelay.String())
	select {
	case err := <-errc:
		return err
	case <-time.After(a.cfg.DrainDelay):
	}
	a.log.Info("shutting down", "component", "http")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func (a *app) close() {
	if a.kv != nil {
		a.kv.Close()
	}
	a.endProcess()
	a.db.Close()
}
