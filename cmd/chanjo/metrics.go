package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// knownMethods are the HTTP methods that get a label of their own. A
// client may send any token as a method; each new one would be a new
// series kept for ever, so the rest share "other".
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// methodLabel is the metrics label of a request's method.
func methodLabel(m string) string {
	if knownMethods[m] {
		return m
	}
	return "other"
}

// requireBearer answers 401 to a request without "Authorization: Bearer
// token", comparing in constant time.
func requireBearer(token string, h http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the bearer token (METRICS_TOKEN)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveMetrics serves /metrics alone on ln (METRICS_ADDR), for an operator
// who keeps that port private, and returns the function that stops it.
// The Go profiles (/debug/pprof/) are served there too, behind the same
// token: only on that private port, never on the public one, because a
// CPU profile costs the hops while it runs.
func (a *app) serveMetrics(ln net.Listener) (stop func()) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics)
	mux.Handle("GET /debug/pprof/", a.guard(http.HandlerFunc(pprof.Index)))
	mux.Handle("GET /debug/pprof/profile", a.guard(http.HandlerFunc(pprof.Profile)))
	mux.Handle("GET /debug/pprof/trace", a.guard(http.HandlerFunc(pprof.Trace)))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("metrics listener stopped", "component", "http", "err", err)
		}
	}()
	a.log.Info("metrics listening", "component", "http", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}
}

// guard puts h behind METRICS_TOKEN when one is set, as /metrics is.
func (a *app) guard(h http.Handler) http.Handler {
	if a.cfg.MetricsToken == "" {
		return h
	}
	return requireBearer(a.cfg.MetricsToken, h)
}
