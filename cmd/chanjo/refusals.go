package main

import (
	"log/slog"
	"sync"
	"time"

	"github.com/chanjo-health/chanjo/phone"
)

// refusalEvery is how often, at most, a route logs a callback refused for
// its token. A gateway set up with a wrong token calls on every hop; one line
// a minute says what is wrong as well as a thousand would.
const refusalEvery = time.Minute

// refusals logs the gateway callbacks requireToken refuses, at warn level,
// at most once per refusalEvery per route, counting the ones it left out.
// The token never appears and the number is masked.
type refusals struct {
	log     *slog.Logger
	mu      sync.Mutex
	last    map[string]time.Time
	skipped map[string]int
}

func newRefusals(log *slog.Logger) *refusals {
	return &refusals{log: log, last: map[string]time.Time{}, skipped: map[string]int{}}
}

// note records a refusal on route at now from the number p (raw, "" when the
// request named none).
func (r *refusals) note(route, p string, now time.Time) {
	r.mu.Lock()
	if at, ok := r.last[route]; ok && now.Sub(at) < refusalEvery {
		r.skipped[route]++
		r.mu.Unlock()
		return
	}
	skipped := r.skipped[route]
	r.last[route], r.skipped[route] = now, 0
	r.mu.Unlock()
	attrs := []any{"component", "http", "route", route, "refused_before_unlogged", skipped}
	if p != "" {
		attrs = append(attrs, phone.LogKey, phone.Mask(p))
	}
	r.log.Warn("gateway callback refused: missing or wrong ?token= (compare the gateway's callback URLs with chanjo token show)", attrs...)
}
