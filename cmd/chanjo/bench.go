package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanjo-health/chanjo/phone"
)

// benchFlags are the settings of one load run.
type benchFlags struct {
	url, token, path, code string
	phones                 int
	duration               time.Duration
	first                  string
}

// runBench drives USSD sessions against a server the way the gateway sends
// them and prints hops per second and latency percentiles: the project's
// own load tool (docs/performance.md). Each phone walks the path again and
// again until the time is up; a session's first hop has no text, each later
// one appends the next input after '*'.
func runBench(ctx context.Context, e env, args []string) error {
	fs := flags(e, "bench", "bench --url URL --token T [--path 1,2,1,1,1,00] [-c 50] [-d 10s] [--first +254700000000]")
	var f benchFlags
	fs.StringVar(&f.url, "url", "", "USSD callback URL, e.g. http://127.0.0.1:8080/ussd")
	fs.StringVar(&f.token, "token", "", "the server's callback token")
	fs.StringVar(&f.path, "path", "1,2,1,1,1,00", "the inputs of one session after its first hop, comma separated")
	fs.StringVar(&f.code, "code", "*384*123#", "the service code the hops carry")
	fs.IntVar(&f.phones, "c", 50, "phones dialling at once")
	fs.DurationVar(&f.duration, "d", 10*time.Second, "how long to run")
	fs.StringVar(&f.first, "first", "+254700000000", "the first phone's number; each next phone adds 1 (serve --demo's nurses)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	first, err := phone.Normalize(f.first)
	switch {
	case f.url == "":
		return badUsage(fs, "--url is required")
	case f.phones < 1:
		return badUsage(fs, "-c must be at least 1")
	case f.duration <= 0:
		return badUsage(fs, "-d must be more than 0")
	case err != nil:
		return badUsage(fs, "--first: %v", err)
	}
	base, _ := strconv.ParseInt(strings.TrimPrefix(first, "+"), 10, 64)
	var inputs []string
	if f.path != "" {
		inputs = strings.Split(f.path, ",")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * f.phones}}
	r := bench(ctx, overHTTP(client, withToken(f.url, f.token)), f, base, inputs)
	fmt.Fprint(e.stdout, r)
	if r.hops == 0 && r.firstErr != nil {
		return r.firstErr
	}
	return nil
}

// benchResult counts one run.
type benchResult struct {
	took                  time.Duration
	sessions, hops, fails int
	bad                   int // answers that are neither CON nor END
	firstErr              error
	latency               []time.Duration
}

// bench runs f.phones phones for f.duration, numbered from base.
func bench(ctx context.Context, hop hopper, f benchFlags, base int64, inputs []string) benchResult {
	ctx, cancel := context.WithTimeout(ctx, f.duration)
	defer cancel()
	results := make([]benchResult, f.phones)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range results {
		wg.Go(func() { results[i] = walk(ctx, hop, f.code, "+"+strconv.FormatInt(base+int64(i), 10), inputs) })
	}
	wg.Wait()
	all := benchResult{took: time.Since(start)}
	for _, r := range results {
		all.sessions, all.hops, all.fails, all.bad = all.sessions+r.sessions, all.hops+r.hops, all.fails+r.fails, all.bad+r.bad
		all.latency = append(all.latency, r.latency...)
		if all.firstErr == nil {
			all.firstErr = r.firstErr
		}
	}
	slices.Sort(all.latency)
	return all
}

// walk is one phone: sessions one after another until ctx ends.
func walk(ctx context.Context, hop hopper, code, p string, inputs []string) benchResult {
	var r benchResult
	for ctx.Err() == nil {
		form := url.Values{"sessionId": {newSessionID()}, "serviceCode": {code}, "phoneNumber": {p}, "networkCode": {"63902"}, "text": {""}}
		for h := 0; h <= len(inputs) && ctx.Err() == nil; h++ {
			if h > 0 {
				form.Set("text", strings.Join(inputs[:h], "*"))
			}
			t0 := time.Now()
			body, err := hop(ctx, form)
			switch {
			case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
				return r // the run ended mid-hop: not the server's failure
			case err != nil:
				r.fails++
				if r.firstErr == nil {
					r.firstErr = err
				}
				continue
			case !strings.HasPrefix(body, "CON ") && !strings.HasPrefix(body, "END "):
				r.bad++
			}
			r.hops++
			r.latency = append(r.latency, time.Since(t0))
		}
		r.sessions++
	}
	return r
}

// String is the run's report: what was done, per second, and the latency
// percentiles of the hops answered.
func (r benchResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d sessions, %d hops in %.1f s: %.0f hops/s; %d failed, %d not CON/END\n",
		r.sessions, r.hops, r.took.Seconds(), float64(r.hops)/r.took.Seconds(), r.fails, r.bad)
	if len(r.latency) > 0 {
		at := func(q float64) time.Duration { return r.latency[int(q*float64(len(r.latency)-1))] }
		fmt.Fprintf(&b, "latency p50 %v, p90 %v, p99 %v, max %v\n", at(0.50), at(0.90), at(0.99), r.latency[len(r.latency)-1])
	}
	if r.firstErr != nil {
		fmt.Fprintf(&b, "first failure: %v\n", r.firstErr)
	}
	return b.String()
}
