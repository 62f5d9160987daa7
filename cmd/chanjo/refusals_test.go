package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestRefusedCallbackIsLogged: a wrong token is logged at warn, once per
// route however many calls follow, with the number masked and the token
// never; a right token logs nothing.
func TestRefusedCallbackIsLogged(t *testing.T) {
	var logs bytes.Buffer
	r := gin.New()
	g := r.Group("", requireToken("s3cret-token-0123456789", newRefusals(slog.New(slog.NewTextHandler(&logs, nil)))))
	g.POST("/ussd", func(c *gin.Context) { c.String(http.StatusOK, "CON hi") })
	g.POST("/sms/inbound", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	post := func(path, form string) int {
		req := httptest.NewRequest("POST", path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		return rec.Code
	}
	for range 3 {
		if code := post("/ussd?token=wrong-guess", "phoneNumber=%2B254712345678&text="); code != http.StatusForbidden {
			t.Fatalf("POST /ussd with a wrong token = %d, want 403", code)
		}
	}
	post("/sms/inbound?token=wrong-guess", "from=%2B254712345678&text=hi")
	post("/ussd?token=s3cret-token-0123456789", "phoneNumber=%2B254712345678&text=")
	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "route=/ussd") ||
		!strings.Contains(lines[1], "route=/sms/inbound") {
		t.Errorf("log =\n%s\nwant two warnings: /ussd once for three refusals, /sms/inbound once", out)
	}
	for _, secret := range []string{"wrong-guess", "s3cret", "712345678"} {
		if strings.Contains(out, secret) {
			t.Errorf("log =\n%s\nwant no %q in it", out, secret)
		}
	}
}

// TestRefusalsOncePerMinute: a route logs again once refusalEvery has passed,
// saying how many refusals went unlogged meanwhile.
func TestRefusalsOncePerMinute(t *testing.T) {
	var logs bytes.Buffer
	r := newRefusals(slog.New(slog.NewTextHandler(&logs, nil)))
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for _, at := range []time.Duration{0, 30 * time.Second, 59 * time.Second, refusalEvery} {
		r.note("/ussd", "", t0.Add(at))
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "refused_before_unlogged=2") {
		t.Errorf("log =\n%s\nwant two lines, the second counting the 2 refusals left out", logs.String())
	}
}
