package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// scrape returns /metrics of h, with the bearer token when not "".
func scrape(h http.Handler, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestInventedMethodsAddNoSeries: requests with made-up methods, on known
// routes and unknown paths, all count under method "other", so a client
// cannot grow the metrics without bound.
func TestInventedMethodsAddNoSeries(t *testing.T) {
	a, _ := testApp(t, nil)
	h := a.router()
	series := func() int {
		return strings.Count(scrape(h, "").Body.String(), "\nchanjo_http_requests_total{")
	}
	scrape(h, "") // the scrapes count too
	for i := range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("BREW%d", i), "/healthz", nil))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("BREW%d", i), "/nowhere", nil))
	}
	before := series()
	for i := range 200 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("X%d", i), "/healthz", nil))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("X%d", i), fmt.Sprintf("/path/%d", i), nil))
	}
	body := scrape(h, "").Body.String()
	if after := series(); after != before {
		t.Errorf("series of chanjo_http_requests_total: %d before 400 invented requests, %d after; want no new one", before, after)
	}
	if strings.Contains(body, `method="X1"`) || !strings.Contains(body, `method="other"`) {
		t.Errorf("metrics carry invented methods, or none under \"other\"")
	}
}

func TestMetricsToken(t *testing.T) {
	const token = "a-metrics-token-0123456789"
	a, _ := testApp(t, map[string]string{"METRICS_TOKEN": token})
	h := a.router()
	for _, tt := range []struct {
		token  string
		status int
	}{{"", http.StatusUnauthorized}, {"wrong-token-0123456789", http.StatusUnauthorized}, {token, http.StatusOK}} {
		if rec := scrape(h, tt.token); rec.Code != tt.status {
			t.Errorf("GET /metrics with token %q = %d, want %d", tt.token, rec.Code, tt.status)
		}
	}
}

// TestMetricsAddr: with METRICS_ADDR, /metrics leaves the public port and
// is served, behind the token if one is set, on its own listener.
func TestMetricsAddr(t *testing.T) {
	const token = "a-metrics-token-0123456789"
	a, _ := testApp(t, map[string]string{"METRICS_ADDR": "127.0.0.1:0", "METRICS_TOKEN": token})
	h := a.router()
	if rec := scrape(h, token); rec.Code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port = %d, want 404", rec.Code)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := a.serveMetrics(ln)
	defer stop()
	url := "http://" + ln.Addr().String() + "/metrics"
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET METRICS_ADDR/metrics without the token = %d, want 401", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "chanjo_http_requests_total") {
		t.Errorf("GET METRICS_ADDR/metrics with the token = %d, want 200 with the metrics", resp.StatusCode)
	}
	// The Go profiles: there, behind the same token, and not on the public port.
	pprofURL := "http://" + ln.Addr().String() + "/debug/pprof/goroutine?debug=1"
	if resp, err = http.Get(pprofURL); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET METRICS_ADDR/debug/pprof/ without the token = %d, want 401", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", pprofURL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Errorf("GET METRICS_ADDR/debug/pprof/goroutine with the token = %d, want 200 with the profile", resp.StatusCode)
	}
	rec := httptest.NewRecorder()
	pub, _ := http.NewRequest("GET", "/debug/pprof/goroutine?debug=1", nil)
	pub.Header.Set("Authorization", "Bearer "+token)
	h.ServeHTTP(rec, pub)
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /debug/pprof/ on the public port = %d, want 404", rec.Code)
	}
}
