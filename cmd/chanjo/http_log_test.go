package main

import (
	"github.com/chanjo-health/chanjo/phone"

	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
)

// logRouter is a router with the request log at level, and routes that
// answer 200 (with a phone number), 500 and 404.
func logRouter(level slog.Level) (*gin.Engine, *prometheus.Registry, *bytes.Buffer) {
	var out bytes.Buffer
	reg := prometheus.NewRegistry()
	m := newHTTPMetrics(reg)
	r := gin.New()
	r.Use(requestLog(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: level})), m))
	r.POST("/hop", func(c *gin.Context) { c.Set(phone.LogKey, "+254700000042"); c.String(http.StatusOK, "CON x") })
	r.GET("/broken", func(c *gin.Context) { c.String(http.StatusInternalServerError, "no") })
	return r, reg, &out
}

// counts returns the samples of metric in reg, by their labels (k=v,...)
// with the counter's value or the histogram's sample count.
func counts(t *testing.T, reg *prometheus.Registry, metric string) map[string]float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		if f.GetName() != metric {
			continue
		}
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			got[strings.Join(labels, ",")] = m.GetCounter().GetValue() + float64(m.GetHistogram().GetSampleCount())
		}
	}
	return got
}

func TestRequestLogCountsEveryRequest(t *testing.T) {
	r, reg, _ := logRouter(slog.LevelWarn)
	for _, req := range []struct {
		method, path string
		times        int
	}{{"POST", "/hop", 3}, {"GET", "/broken", 2}, {"GET", "/nowhere", 1}, {"PATCH", "/hop", 1}} {
		for range req.times {
			r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(req.method, req.path, nil))
		}
	}
	want := map[string]float64{
		"method=POST,route=/hop,status=200":       3,
		"method=GET,route=/broken,status=500":     2,
		"method=GET,route=unmatched,status=404":   1,
		"method=PATCH,route=unmatched,status=404": 1,
	}
	if got := counts(t, reg, "chanjo_http_requests_total"); !cmp.Equal(got, want) {
		t.Errorf("chanjo_http_requests_total = %v, want %v", got, want)
	}
	wantLatency := map[string]float64{"method=POST,route=/hop": 3, "method=GET,route=/broken": 2, "method=GET,route=unmatched": 1, "method=PATCH,route=unmatched": 1}
	if got := counts(t, reg, "chanjo_http_request_duration_seconds"); !cmp.Equal(got, wantLatency) {
		t.Errorf("chanjo_http_request_duration_seconds counts = %v, want %v", got, wantLatency)
	}
}

func TestRequestLogLevels(t *testing.T) {
	tests := []struct {
		name  string
		level slog.Level
		path  string
		want  []string // lines that must appear; nil: nothing is logged
	}{
		{"debug logs a hop with the number masked", slog.LevelDebug, "/hop", []string{"route=/hop", "status=200", "phone=+2547******42"}},
		{"warn skips a hop", slog.LevelWarn, "/hop", nil},
		{"warn logs a 500", slog.LevelWarn, "/broken", []string{"level=ERROR", "route=/broken", "status=500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, out := logRouter(tt.level)
			method := map[string]string{"/hop": "POST", "/broken": "GET"}[tt.path]
			r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, tt.path, nil))
			got := out.String()
			if tt.want == nil && got != "" {
				t.Errorf("log at %v after %s = %q, want nothing", tt.level, tt.path, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("log at %v after %s = %q, want it to contain %q", tt.level, tt.path, got, w)
				}
			}
			if strings.Contains(got, "+254700000042") {
				t.Errorf("log = %q, shows the whole number", got)
			}
		})
	}
}

// TestRequestLogCountsInventedMethods checks that methods a client makes
// up, more of them than the cache of series holds, are all counted, under
// method "other".
func TestRequestLogCountsInventedMethods(t *testing.T) {
	r, reg, _ := logRouter(slog.LevelWarn)
	const methods = maxSeries + 20
	for i := range methods {
		for range 2 {
			r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("M%d", i), "/hop", nil))
		}
	}
	got := counts(t, reg, "chanjo_http_requests_total")
	if key := "method=other,route=unmatched,status=404"; got[key] != 2*methods || len(got) != 1 {
		t.Errorf("chanjo_http_requests_total = %v, want only {%s} = %d", got, key, 2*methods)
	}
}
