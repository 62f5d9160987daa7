package main

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/store"
)

// The run states of an instance, as /readyz tells the load balancer.
const (
	// stateStarting lasts until the workers run and the listener serves.
	stateStarting int32 = iota
	stateServing
	// stateDraining starts at SIGTERM: the instance still answers, for
	// DrainDelay, while the balancer's probes see 503 and stop sending it
	// work; then it shuts down.
	stateDraining
)

var stateNames = [...]string{"starting", "serving", "draining"}

// dependency is something /readyz checks. A shared one (PostgreSQL, a real
// Redis) is the same for every instance: its outage shows in the answer's
// detail and in chanjo_dependency_up but leaves the instance ready, since
// taking every instance out of the balancer at once would answer the
// gateway with the balancer's 503 instead of Chanjo's apology (README "Health and readiness",
// "Several instances"). One of the instance's own (its SQLite file, the
// in-process Redis, a client it closed) makes it not ready.
type dependency struct {
	name   string
	shared bool
	ping   func(context.Context) error
}

// dependencies lists what /readyz checks, in the order it reports them.
func (a *app) dependencies() []dependency {
	return []dependency{
		{"database", a.db.Dialect == store.Postgres, a.db.PingContext},
		{"redis", !a.kv.Embedded, func(ctx context.Context) error { return a.kv.Ping(ctx).Err() }},
	}
}

// readyCheck is one dependency's line in /readyz's answer.
type readyCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Shared bool   `json:"shared"`
}

// readyAnswer is /readyz's JSON body.
type readyAnswer struct {
	Ready  bool         `json:"ready"`
	State  string       `json:"state"`
	Checks []readyCheck `json:"checks"`
}

// newDependencyUp registers chanjo_dependency_up on reg.
func newDependencyUp(reg prometheus.Registerer) *prometheus.GaugeVec {
	up := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "chanjo_dependency_up",
		Help: "1 when the dependency answered the last /readyz check, else 0; shared=true: every instance uses it, and its outage leaves instances ready.",
	}, []string{"dependency", "shared"})
	reg.MustRegister(up)
	return up
}

// readyz answers 200 when this instance can serve and 503 when it cannot:
// while starting, while draining, or when one of its own dependencies
// fails. Every check sets chanjo_dependency_up, and a change of a
// dependency's health is logged once.
func (a *app) readyz() gin.HandlerFunc {
	up := a.dependencyUp
	deps := a.dependencies()
	healthy := make([]atomic.Bool, len(deps))
	for i := range healthy {
		healthy[i].Store(true)
	}
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), time.Second)
		defer cancel()
		state := a.state.Load()
		ans := readyAnswer{Ready: state == stateServing, State: stateNames[state]}
		for i, d := range deps {
			err := d.ping(ctx)
			// A client this process closed is its own fault, whatever
			// server it talked to.
			shared := d.shared && !errors.Is(err, redis.ErrClosed)
			ans.Checks = append(ans.Checks, readyCheck{Name: d.name, OK: err == nil, Shared: shared})
			up.WithLabelValues(d.name, boolLabel(d.shared)).Set(boolGauge(err == nil))
			if err != nil && !shared {
				ans.Ready = false
			}
			if healthy[i].Swap(err == nil) != (err == nil) {
				if err != nil {
					a.log.Warn("dependency not answering", "component", "readyz", "dependency", d.name, "shared", shared, "err", err)
				} else {
					a.log.Info("dependency answering again", "component", "readyz", "dependency", d.name)
				}
			}
		}
		status := http.StatusOK
		if !ans.Ready {
			status = http.StatusServiceUnavailable
		}
		c.JSON(status, ans)
	}
}

func boolLabel(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
