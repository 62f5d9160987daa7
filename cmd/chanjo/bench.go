package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// benchWalk is one path a nurse takes through the menus: the inputs after
// the dial, each sent with the cumulative text as the gateway does.
type benchWalk struct {
	name, path string
}

// benchWalks are the walks of docs/performance.md: reading a lesson and
// going home; the dial-heavy short walk, left mid-lesson so that every dial
// after the first offers to continue and does; and the practice quiz of the
// first topic (five answers, each stored before its feedback screen, each
// feedback's "1 Next", the score). The lesson and quiz walks end with "00"
// on the main menu: a session left elsewhere makes the next dial offer to
// continue, and the walk's keys would then go to other menus.
var benchWalks = []benchWalk{
	{"lesson", "1,2,1,1,1,00"},
	{"dial", "1,1,1,1"},
	{"quiz", "2,1,1,1,1,1,1,1,1,1,1,1,00"},
}

type benchFlags struct {
	url, token, floor, walk string
	phones, pairs           int
	duration                time.Duration
}

// benchRun is what one load run measured.
type benchRun struct {
	hops, sessions, failed int
	elapsed                time.Duration
	p50, p99               time.Duration
	problem                string // the first failed or malformed answer
}

func (r benchRun) rate() float64 { return float64(r.hops) / r.elapsed.Seconds() }

func runBench(ctx context.Context, e env, args []string) error {
	fs := flags(e, "bench", "bench [--url URL --token T] [--floor URL] [--walk lesson|dial|quiz|all] [--phones N] [--duration D] [--pairs N]")
	var f benchFlags
	fs.StringVar(&f.url, "url", "", "USSD callback URL (default: the local server at CHANJO_ADDR, with its token)")
	fs.StringVar(&f.token, "token", "", "the callback token of --url")
	fs.StringVar(&f.floor, "floor", "", "URL of a floor server to alternate with; prints medians and ratios")
	fs.StringVar(&f.walk, "walk", "all", "lesson, dial, quiz or all")
	fs.IntVar(&f.phones, "phones", 50, "concurrent phones, the demo nurses from "+store.DemoNursePhone(0)+" upward")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "length of each run")
	fs.IntVar(&f.pairs, "pairs", 3, "runs of each walk (with --floor: floor and server pairs, at least 3)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	walks, err := pickWalks(f.walk)
	switch {
	case err != nil:
		return badUsage(fs, "--walk: %v", err)
	case f.phones < 1 || f.phones > store.DemoNurses:
		return badUsage(fs, "--phones must be 1 to %d (the demo nurses)", store.DemoNurses)
	case f.duration <= 0:
		return badUsage(fs, "--duration must be positive")
	case f.pairs < 1 || (f.floor != "" && f.pairs < 3):
		return badUsage(fs, "--pairs must be at least 1, and at least 3 with --floor (a median of pairs)")
	}
	target, err := benchTarget(ctx, e, f)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: 2 * f.phones, MaxConnsPerHost: 2 * f.phones}}
	defer client.CloseIdleConnections()
	for _, w := range walks {
		if err := benchWalkRuns(ctx, e.stdout, client, target, w, f); err != nil {
			return err
		}
	}
	return nil
}

// benchTarget is --url with --token, or the local server as chanjo dial finds it.
func benchTarget(ctx context.Context, e env, f benchFlags) (string, error) {
	if f.url != "" {
		return withToken(f.url, f.token), nil
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return "", err
	}
	return localURL(ctx, cfg)
}

func pickWalks(name string) ([]benchWalk, error) {
	if name == "all" {
		return benchWalks, nil
	}
	for _, w := range benchWalks {
		if w.name == name {
			return []benchWalk{w}, nil
		}
	}
	return nil, fmt.Errorf("%q is not lesson, dial, quiz or all", name)
}

// benchWalkRuns runs one walk --pairs times, alternating with the floor
// server when there is one (floor first, then the server, so both see the
// same minute of a shared machine), and prints each run and the medians.
func benchWalkRuns(ctx context.Context, out io.Writer, client *http.Client, target string, w benchWalk, f benchFlags) error {
	var floor, server []benchRun
	for i := 0; i < f.pairs; i++ {
		if f.floor != "" {
			r, err := benchLoad(ctx, client, f.floor, w, f)
			if err != nil {
				return fmt.Errorf("bench: floor: %w", err)
			}
			fmt.Fprintf(out, "%-6s floor  %s\n", w.name, r)
			floor = append(floor, r)
		}
		r, err := benchLoad(ctx, client, target, w, f)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		fmt.Fprintf(out, "%-6s chanjo %s\n", w.name, r)
		server = append(server, r)
	}
	rate, p99 := medians(server)
	if f.floor == "" {
		fmt.Fprintf(out, "%-6s median of %d: %.0f hops/s, p99 %s\n", w.name, len(server), rate, millis(p99))
		return nil
	}
	frate, fp99 := medians(floor)
	fmt.Fprintf(out, "%-6s median of %d pairs: floor %.0f hops/s p99 %s, chanjo %.0f hops/s p99 %s: %.2fx hops/s, %.2fx p99\n",
		w.name, len(server), frate, millis(fp99), rate, millis(p99), rate/frate, float64(p99)/float64(fp99))
	return nil
}

func (r benchRun) String() string {
	return fmt.Sprintf("hops=%d sessions=%d %.0f hops/s p50=%s p99=%s", r.hops, r.sessions, r.rate(), millis(r.p50), millis(r.p99))
}

func millis(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// medians returns the median hops/s and the median p99 of runs.
func medians(runs []benchRun) (float64, time.Duration) {
	rates := make([]float64, len(runs))
	p99s := make([]time.Duration, len(runs))
	for i, r := range runs {
		rates[i], p99s[i] = r.rate(), r.p99
	}
	slices.Sort(rates)
	slices.Sort(p99s)
	return rates[len(rates)/2], p99s[len(p99s)/2]
}

// benchLoad runs the walk on --phones phones for --duration: each phone
// dials, sends the walk's inputs, and dials again, until the time is up. A
// failed request or an answer that is not a CON or END screen fails the run.
func benchLoad(ctx context.Context, client *http.Client, target string, w benchWalk, f benchFlags) (benchRun, error) {
	// The run stops starting hops at its end but lets those in flight
	// finish: a hop cut off would be logged by the server as a failure.
	end := time.Now().Add(f.duration)
	prefix := newSessionID()
	runs := make([]benchRun, f.phones)
	lats := make([][]time.Duration, f.phones)
	var wg sync.WaitGroup
	start := time.Now()
	for p := range f.phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ph := benchPhone{hop: overHTTP(client, target), phone: store.DemoNursePhone(p), inputs: strings.Split(w.path, ",")}
			for s := 0; time.Now().Before(end) && ctx.Err() == nil; s++ {
				ph.session(ctx, end, fmt.Sprintf("%s_%d_%d", prefix, p, s), &runs[p], &lats[p])
			}
		}()
	}
	wg.Wait()
	total := benchRun{elapsed: time.Since(start)}
	var all []time.Duration
	for p, r := range runs {
		total.hops += r.hops
		total.sessions += r.sessions
		total.failed += r.failed
		if total.problem == "" {
			total.problem = r.problem
		}
		all = append(all, lats[p]...)
	}
	if total.failed > 0 {
		return total, fmt.Errorf("%s: %d of %d hops failed, the first: %s", w.name, total.failed, total.hops+total.failed, total.problem)
	}
	if len(all) == 0 {
		return total, fmt.Errorf("%s: no hop answered in %s", w.name, f.duration)
	}
	slices.Sort(all)
	total.p50, total.p99 = all[len(all)/2], all[(len(all)-1)*99/100]
	return total, nil
}

// benchPhone is one virtual phone of a run.
type benchPhone struct {
	hop    hopper
	phone  string
	inputs []string
}

// session dials once and walks the inputs, stopping at an END screen, a
// failure or the end of the run.
func (ph benchPhone) session(ctx context.Context, end time.Time, id string, r *benchRun, lat *[]time.Duration) {
	form := url.Values{"sessionId": {id}, "serviceCode": {"*384*123#"}, "phoneNumber": {ph.phone}, "networkCode": {"63902"}, "text": {""}}
	for h := 0; h <= len(ph.inputs) && time.Now().Before(end); h++ {
		if h > 0 {
			form.Set("text", strings.TrimPrefix(form.Get("text")+"*"+ph.inputs[h-1], "*"))
		}
		t0 := time.Now()
		body, err := ph.hop(ctx, form)
		if err == nil && !strings.HasPrefix(body, "CON ") && !strings.HasPrefix(body, "END ") {
			err = fmt.Errorf("not a USSD screen: %.60q", body)
		}
		if err != nil {
			r.failed++
			if r.problem == "" {
				r.problem = err.Error()
			}
			return
		}
		*lat = append(*lat, time.Since(t0))
		r.hops++
		if strings.HasPrefix(body, "END ") {
			break
		}
	}
	r.sessions++
}
