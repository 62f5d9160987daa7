package main

import (
	"crypto/subtle"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/phone"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// newLogger builds the process's logger from LOG_LEVEL and LOG_FORMAT.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// httpMetrics counts requests and their latency by route and status.
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// children caches the series of each route, method and status, so that a
	// request does not look its labels up: a map replaced as a whole under
	// mu, read without a lock.
	children atomic.Pointer[map[metricKey]series]
	mu       sync.Mutex
}

type metricKey struct {
	route, method string
	status        int
}

type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// maxSeries bounds the cache; label sets beyond it are looked up on each
// request.
const maxSeries = 256

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chanjo_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "chanjo_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	m.children.Store(&map[metricKey]series{})
	reg.MustRegister(m.requests, m.latency)
	return m
}

// observe counts one request of route and method answered with status.
func (m *httpMetrics) observe(route, method string, status int, elapsed time.Duration) {
	k := metricKey{route, method, status}
	s, ok := (*m.children.Load())[k]
	if !ok {
		s = m.add(k)
	}
	s.requests.Inc()
	s.latency.Observe(elapsed.Seconds())
}

// add returns the series of k, cached while the cache has room.
func (m *httpMetrics) add(k metricKey) series {
	s := series{
		requests: m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(k.status)),
		latency:  m.latency.WithLabelValues(k.route, k.method),
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.children.Load()
	if len(old) < maxSeries {
		next := make(map[metricKey]series, len(old)+1)
		maps.Copy(next, old)
		next[k] = s
		m.children.Store(&next)
	}
	return s
}

// requestLog logs every request once, after it is answered, and feeds the
// metrics. The query string is never logged: it carries the callback token.
func requestLog(log *slog.Logger, m *httpMetrics) gin.HandlerFunc {
	log = log.With("component", "http")
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		status := c.Writer.Status()
		m.observe(route, methodLabel(c.Request.Method), status, elapsed)
		level := slog.LevelDebug
		if status >= 500 {
			level = slog.LevelError
		}
		ctx := c.Request.Context()
		if !log.Enabled(ctx, level) {
			return
		}
		attrs := []any{"method", c.Request.Method, "route", route, "status", status, "ms", float64(elapsed.Microseconds()) / 1000}
		if p := c.GetString(phone.LogKey); p != "" {
			attrs = append(attrs, phone.LogKey, phone.Mask(p))
		}
		log.Log(ctx, level, "request", attrs...)
	}
}

// requireToken guards the gateway's callbacks: they are unsigned, so each
// must carry the secret as ?token=. A wrong token gets 403 and changes
// nothing; refused notes it for the operator.
func requireToken(token string, refused *refusals) gin.HandlerFunc {
	want := []byte(token)
	return func(c *gin.Context) {
		if subtle.ConstantTimeCompare([]byte(c.Query("token")), want) != 1 {
			// USSD and delivery reports name the phone as phoneNumber, incoming SMS as from.
			refused.note(c.FullPath(), c.PostForm("phoneNumber")+c.PostForm("from"), time.Now())
			c.String(http.StatusForbidden, "missing or wrong token\n")
			c.Abort()
			return
		}
		c.Next()
	}
}

// router builds the HTTP surface from the components build made; it
// changes nothing, so tests build it as often as they like.
func (a *app) router() *gin.Engine {
	r := gin.New()
	// X-Forwarded-For names the client only when a listed proxy sends it:
	// the login throttle counts tries per client address.
	if err := r.SetTrustedProxies(a.cfg.TrustedProxies); err != nil {
		a.log.Error("TRUSTED_PROXIES ignored: no proxy trusted", "component", "http", "err", err)
		r.SetTrustedProxies(nil)
	}
	r.Use(requestLog(a.log, a.httpMetrics), gin.Recovery())
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	// A person who opens the bare address wants the console (which sends her
	// to its login page); the gateway only ever calls the callback paths.
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/admin") })
	r.GET("/readyz", a.readyz())
	if a.cfg.MetricsAddr == "" { // else on its own listener (serveMetrics)
		r.GET("/metrics", gin.WrapH(a.metrics))
	}
	a.registerSMS(r)
	a.registerUSSD(r)
	a.registerAPI(r)
	a.registerConsole(r)
	a.registerWhatsApp(r)
	return r
}
